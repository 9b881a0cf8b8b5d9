// Builds the published OpenAPI documents from the served resources and the schema tables: one OpenAPI 3.0
// document per group-version (/openapi/v3/apis/<g>/<v>) and one Swagger 2.0 document for everything (/openapi/v2).
import type { DefinitionSchema } from '../../api/definition.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { gitVersion } from '../../apimachinery/version.js';
import { groupVersionPath, resourcePaths, tagFor, type DefinitionLookup } from './paths.js';
import { directRefs, renderDefinition, refPrefix, type OpenAPIFlavour, type SchemaObject } from './schema-render.js';

export interface OpenAPISource {
  /** Every served resource. */
  resources: readonly ResourceInfo[];
  /** Every definition by OpenAPI name (the generated tables; CRD schemas added by their owner). */
  definitions: Readonly<Record<string, DefinitionSchema>>;
  /** True for resources whose PATCH accepts strategic merge patches (built-ins); CRDs answer false. */
  isBuiltin: (r: ResourceInfo) => boolean;
}

export interface GroupVersion {
  group: string;
  version: string;
}

/** "api/v1" or "apis/apps/v1": the key of a group-version in the /openapi/v3 root. */
export function groupVersionKey(gv: GroupVersion): string {
  return groupVersionPath(gv.group, gv.version).slice(1);
}

/** Definition name lookup by group/version/kind, over the definitions' x-kubernetes-group-version-kind lists. */
export function definitionLookup(definitions: Readonly<Record<string, DefinitionSchema>>): DefinitionLookup {
  const byGVK = new Map<string, string>();
  for (const def of Object.values(definitions)) {
    for (const g of def.gvks ?? []) {
      const key = `${g.group}/${g.version}/${g.kind}`;
      if (!byGVK.has(key)) byGVK.set(key, def.name);
    }
  }
  return (group, version, kind) => byGVK.get(`${group}/${version}/${kind}`);
}

/**
 * The group-versions listed in the /openapi/v3 root: every group-version that serves a resource, plus every
 * group-version a subresource's kind lives in (autoscaling/v1 for the scale subresources, policy/v1 for pods/eviction),
 * because kubectl looks up those kinds' documents too (e.g. `kubectl edit --subresource=scale`).
 */
export function publishedGroupVersions(resources: readonly ResourceInfo[]): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  const add = (group: string, version: string) => {
    const gv = { group, version };
    if (!seen.has(groupVersionKey(gv))) seen.set(groupVersionKey(gv), gv);
  };
  for (const r of resources) add(r.group, r.version);
  for (const r of resources) for (const s of r.subresources) add(s.group ?? r.group, s.version ?? r.version);
  return [...seen.values()];
}

/** `roots` plus every definition they reach through refs, in sorted order. */
function closure(roots: Iterable<string>, definitions: Readonly<Record<string, DefinitionSchema>>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !Object.hasOwn(definitions, name)) continue;
    seen.add(name);
    for (const ref of directRefs(definitions[name]!)) if (!seen.has(ref)) stack.push(ref);
  }
  return [...seen].sort();
}

function refsIn(value: unknown, prefix: string, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, prefix, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) out.add(v.slice(prefix.length));
      else refsIn(v, prefix, out);
    }
  }
}

const securityScheme = { type: 'apiKey', description: 'Bearer token, sent in the Authorization header.', name: 'authorization', in: 'header' };

function discoveryPath(gv: GroupVersion, flavour: OpenAPIFlavour): [string, SchemaObject] {
  const ref = { $ref: `${refPrefix(flavour)}io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList` };
  const word = tagFor(gv.group, gv.version).replace(/_/, '');
  const operation: SchemaObject = {
    operationId: `get${word.charAt(0).toUpperCase()}${word.slice(1)}APIResources`,
    tags: [tagFor(gv.group, gv.version)],
    responses:
      flavour === 'v2'
        ? { '200': { description: 'OK', schema: ref }, '401': { description: 'Unauthorized' } }
        : { '200': { description: 'OK', content: { 'application/json': { schema: ref } } }, '401': { description: 'Unauthorized' } },
  };
  if (flavour === 'v2') Object.assign(operation, { consumes: ['application/json'], produces: ['application/json'], schemes: ['https'] });
  return [`${groupVersionPath(gv.group, gv.version)}/`, { get: operation }];
}

/** The paths of the given resources (plus their group-versions' discovery paths), sorted by path. */
function pathsFor(resources: readonly ResourceInfo[], source: OpenAPISource, flavour: OpenAPIFlavour): Record<string, SchemaObject> {
  const definitionOf = definitionLookup(source.definitions);
  const known = (name: string) => Object.hasOwn(source.definitions, name);
  const paths: Record<string, SchemaObject> = {};
  const gvs = new Map<string, GroupVersion>();
  for (const r of resources) {
    gvs.set(groupVersionKey(r), { group: r.group, version: r.version });
    Object.assign(paths, resourcePaths(r, { flavour, definitionOf, strategicMergePatch: source.isBuiltin(r), known }));
  }
  for (const gv of gvs.values()) {
    const [path, item] = discoveryPath(gv, flavour);
    paths[path] = item;
  }
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The OpenAPI 3.0 document of one group-version: the paths of its resources, and in components.schemas every
 * definition those paths reach, plus the definitions of this group-version's kinds that other resources use as
 * subresource bodies (so autoscaling/v1 carries Scale).
 */
export function groupVersionDocument(gv: GroupVersion, source: OpenAPISource): SchemaObject {
  const resources = source.resources.filter((r) => r.group === gv.group && r.version === gv.version);
  const paths = pathsFor(resources, source, 'v3');
  const roots = new Set<string>();
  refsIn(paths, refPrefix('v3'), roots);
  const definitionOf = definitionLookup(source.definitions);
  for (const r of source.resources) {
    for (const s of r.subresources) {
      if ((s.group ?? r.group) !== gv.group || (s.version ?? r.version) !== gv.version) continue;
      const name = definitionOf(gv.group, gv.version, s.kind);
      if (name) roots.add(name);
    }
  }
  const schemas: SchemaObject = {};
  for (const name of closure(roots, source.definitions)) schemas[name] = renderDefinition(source.definitions[name]!, 'v3');
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths,
    components: { schemas, securitySchemes: { BearerToken: securityScheme } },
    security: [{ BearerToken: [] }],
  };
}

/** The Swagger 2.0 document of the whole server: every path, and every definition. */
export function swaggerDocument(source: OpenAPISource): SchemaObject {
  const definitions: SchemaObject = {};
  for (const name of Object.keys(source.definitions).sort()) definitions[name] = renderDefinition(source.definitions[name]!, 'v2');
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: pathsFor(source.resources, source, 'v2'),
    definitions,
    securityDefinitions: { BearerToken: securityScheme },
    security: [{ BearerToken: [] }],
  };
}
