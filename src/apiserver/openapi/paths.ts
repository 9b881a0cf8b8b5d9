// The REST paths and operations of served resources as OpenAPI path items: one collection path and one item
// path per resource (plus the all-namespaces list), and one path per subresource, each operation tagged
// with x-kubernetes-action and x-kubernetes-group-version-kind as clients (kubectl) look them up.
import type { ResourceInfo, SubresourceInfo } from '../../api/resource-info.js';
import { refPrefix, type OpenAPIFlavour, type SchemaObject } from './schema-render.js';

/** Definition names of the meta types operations refer to. */
export const metaDefinitions = {
  deleteOptions: 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  patch: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  status: 'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
} as const;

/** Resolves a group/version/kind to its definition name, or undefined (e.g. PodExecOptions has none). */
export type DefinitionLookup = (group: string, version: string, kind: string) => string | undefined;

/** Subresources served as streams or proxies; upstream marks their operations "connect". */
const connectSubresources = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** PATCH bodies every resource accepts; built-in kinds also take strategic merge patches. */
const patchContentTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const builtinPatchContentTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** What our server can write: kubectl and clients ask for JSON; YAML is served too. */
const responseTypes = ['application/json', 'application/yaml'];
const watchResponseTypes = ['application/json;stream=watch'];

interface Param {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'integer' | 'boolean';
  description?: string;
  required?: boolean;
}

const q = (name: string, type: Param['type'] = 'string', description?: string): Param => ({
  name,
  in: 'query',
  type,
  ...(description ? { description } : {}),
});

const params = {
  pretty: q('pretty', 'string', "If 'true', the output is indented."),
  dryRun: q('dryRun', 'string', 'All: run every stage of the request but persist nothing.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q('fieldValidation', 'string', 'Ignore, Warn (default) or Strict: what to do with unknown or duplicate fields.'),
  force: q('force', 'boolean', 'Apply only: take ownership of conflicting fields.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean'),
  continue: q('continue'),
  fieldSelector: q('fieldSelector'),
  labelSelector: q('labelSelector'),
  limit: q('limit', 'integer'),
  resourceVersion: q('resourceVersion'),
  resourceVersionMatch: q('resourceVersionMatch'),
  sendInitialEvents: q('sendInitialEvents', 'boolean'),
  timeoutSeconds: q('timeoutSeconds', 'integer'),
  watch: q('watch', 'boolean'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer'),
  orphanDependents: q('orphanDependents', 'boolean'),
  propagationPolicy: q('propagationPolicy', 'string', 'Orphan, Background or Foreground: how dependents are garbage collected.'),
};

const listParams = [
  params.allowWatchBookmarks,
  params.continue,
  params.fieldSelector,
  params.labelSelector,
  params.limit,
  params.resourceVersion,
  params.resourceVersionMatch,
  params.sendInitialEvents,
  params.timeoutSeconds,
  params.watch,
];
const writeParams = [params.dryRun, params.fieldManager, params.fieldValidation];
const deleteParams = [params.dryRun, params.gracePeriodSeconds, params.orphanDependents, params.propagationPolicy];
const deleteCollectionParams = [
  params.continue,
  params.dryRun,
  params.fieldSelector,
  params.gracePeriodSeconds,
  params.labelSelector,
  params.limit,
  params.orphanDependents,
  params.propagationPolicy,
  params.resourceVersion,
  params.resourceVersionMatch,
  params.sendInitialEvents,
  params.timeoutSeconds,
];

function renderParam(p: Param, flavour: OpenAPIFlavour): SchemaObject {
  const base: SchemaObject = { name: p.name, in: p.in, ...(p.description ? { description: p.description } : {}) };
  if (p.required) base.required = true;
  return flavour === 'v2' ? { ...base, type: p.type, uniqueItems: true } : { ...base, schema: { type: p.type, uniqueItems: true } };
}

/** "apps" → "Apps", "rbac.authorization.k8s.io" → "RbacAuthorization", "" → "Core" (upstream operationId parts). */
function groupWord(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The operation tag, e.g. "apps_v1", "rbacAuthorization_v1", "core_v1". */
export function tagFor(group: string, version: string): string {
  const word = groupWord(group);
  return `${word.charAt(0).toLowerCase()}${word.slice(1)}_${version}`;
}

interface OperationSpec {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  action: string;
  gvk: { group: string; version: string; kind: string };
  params: Param[];
  /** Request body definition (or undefined for none); for patch, the Patch type under every patch content type. */
  body?: { definition: string; contentTypes: string[]; required: boolean };
  /** Status code → response definition, or undefined for a string (logs) or bodiless response. */
  responses: Array<[code: string, description: string, definition: string | undefined]>;
  streaming?: boolean;
  /** The response is plain text (pod logs) rather than an object. */
  text?: boolean;
}

/**
 * Renders one operation. References to definitions `known` rejects are left out (the response or body then has
 * no schema), so a document never carries a dangling $ref, which would make clients reject all of it.
 */
function renderOperation(spec: OperationSpec, tag: string, flavour: OpenAPIFlavour, known: (definition: string) => boolean): SchemaObject {
  const op: OperationSpec = {
    ...spec,
    body: spec.body && known(spec.body.definition) ? spec.body : undefined,
    responses: spec.responses.map(([code, text, definition]) => [code, text, definition && known(definition) ? definition : undefined]),
  };
  const prefix = refPrefix(flavour);
  const produces = op.text ? ['text/plain', 'application/json'] : op.streaming ? [...responseTypes, ...watchResponseTypes] : responseTypes;
  const out: SchemaObject = { operationId: op.operationId, tags: [tag] };
  const parameters = op.params.map((p) => renderParam(p, flavour));
  const responses: SchemaObject = {};
  for (const [code, description, definition] of op.responses) {
    const schema = definition ? { $ref: prefix + definition } : op.text ? { type: 'string' } : undefined;
    if (flavour === 'v2') {
      responses[code] = { description, ...(schema ? { schema } : {}) };
    } else {
      responses[code] = { description, ...(schema ? { content: Object.fromEntries(produces.map((t) => [t, { schema }])) } : {}) };
    }
  }
  responses['401'] = { description: 'Unauthorized' };
  if (flavour === 'v2') {
    if (op.body) {
      parameters.unshift({ name: 'body', in: 'body', required: op.body.required, schema: { $ref: prefix + op.body.definition } });
      out.consumes = op.body.contentTypes;
    } else {
      out.consumes = ['*/*'];
    }
    out.produces = produces;
    out.schemes = ['https'];
  } else if (op.body) {
    const schema = { $ref: prefix + op.body.definition };
    out.requestBody = { content: Object.fromEntries(op.body.contentTypes.map((t) => [t, { schema }])), required: op.body.required };
  }
  if (parameters.length) out.parameters = parameters;
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

/** The URL prefix of a group-version: "/api/v1" or "/apis/apps/v1". */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function sameGroupDefinition(r: ResourceInfo, kind: string): string {
  return r.definition.replace(/\.[^.]+$/, `.${kind}`);
}

export interface PathOptions {
  flavour: OpenAPIFlavour;
  /** Resolves subresource kinds (Scale, Eviction, TokenRequest, …); kinds without one (connect options) get no bodies. */
  definitionOf: DefinitionLookup;
  /**
   * Whether PATCH accepts strategic merge patches: true for built-in kinds, false for custom resources (kubectl
   * reads this list to choose the patch type of client-side apply).
   */
  strategicMergePatch: boolean;
  /** Whether a definition exists in the document being built. */
  known: (definition: string) => boolean;
}

/** The OpenAPI path items of one resource and its subresources, keyed by path. */
export function resourcePaths(r: ResourceInfo, opts: PathOptions): Record<string, SchemaObject> {
  const { flavour, definitionOf } = opts;
  const patchTypes = opts.strategicMergePatch ? builtinPatchContentTypes : patchContentTypes;
  const gv = groupVersionPath(r.group, r.version);
  const tag = tagFor(r.group, r.version);
  const opPrefix = `${groupWord(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const scoped = r.namespaced ? 'Namespaced' : '';
  const collection = r.namespaced ? `${gv}/namespaces/{namespace}/${r.plural}` : `${gv}/${r.plural}`;
  const item = `${collection}/{name}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const listDefinition = sameGroupDefinition(r, r.listKind);
  const has = (verb: string) => r.verbs.includes(verb);
  const nameParam: Param = { name: 'name', in: 'path', type: 'string', required: true, description: `The ${r.kind}'s name.` };
  const namespaceParam: Param = { name: 'namespace', in: 'path', type: 'string', required: true, description: 'The namespace.' };
  const pathParams = (named: boolean) => [...(named ? [nameParam] : []), ...(r.namespaced ? [namespaceParam] : []), params.pretty];

  const out: Record<string, SchemaObject> = {};
  const addPath = (path: string, ops: OperationSpec[], named: boolean) => {
    if (!ops.length) return;
    const item: SchemaObject = {};
    for (const op of ops) item[op.method] = renderOperation(op, tag, flavour, opts.known);
    item.parameters = pathParams(named).map((p) => renderParam(p, flavour));
    out[path] = item;
  };

  const bodyOf = (definition: string) => ({ definition, contentTypes: ['*/*'], required: true });
  const collectionOps: OperationSpec[] = [];
  if (has('list')) {
    collectionOps.push({
      method: 'get', operationId: `list${opPrefix}${scoped}${r.kind}`, action: 'list', gvk, params: listParams,
      responses: [['200', 'OK', listDefinition]], streaming: true,
    });
  }
  if (has('create')) {
    collectionOps.push({
      method: 'post', operationId: `create${opPrefix}${scoped}${r.kind}`, action: 'post', gvk, params: writeParams,
      body: bodyOf(r.definition),
      responses: [['200', 'OK', r.definition], ['201', 'Created', r.definition], ['202', 'Accepted', r.definition]],
    });
  }
  if (has('deletecollection')) {
    collectionOps.push({
      method: 'delete', operationId: `delete${opPrefix}Collection${scoped}${r.kind}`, action: 'deletecollection', gvk,
      params: deleteCollectionParams, body: { definition: metaDefinitions.deleteOptions, contentTypes: ['*/*'], required: false },
      responses: [['200', 'OK', metaDefinitions.status]],
    });
  }
  addPath(collection, collectionOps, false);

  const itemOps: OperationSpec[] = [];
  if (has('get')) {
    itemOps.push({ method: 'get', operationId: `read${opPrefix}${scoped}${r.kind}`, action: 'get', gvk, params: [], responses: [['200', 'OK', r.definition]] });
  }
  if (has('update')) {
    itemOps.push({
      method: 'put', operationId: `replace${opPrefix}${scoped}${r.kind}`, action: 'put', gvk, params: writeParams,
      body: bodyOf(r.definition), responses: [['200', 'OK', r.definition], ['201', 'Created', r.definition]],
    });
  }
  if (has('delete')) {
    itemOps.push({
      method: 'delete', operationId: `delete${opPrefix}${scoped}${r.kind}`, action: 'delete', gvk, params: deleteParams,
      body: { definition: metaDefinitions.deleteOptions, contentTypes: ['*/*'], required: false },
      responses: [['200', 'OK', r.definition], ['202', 'Accepted', r.definition]],
    });
  }
  if (has('patch')) {
    itemOps.push({
      method: 'patch', operationId: `patch${opPrefix}${scoped}${r.kind}`, action: 'patch', gvk, params: [...writeParams, params.force],
      body: { definition: metaDefinitions.patch, contentTypes: patchTypes, required: true },
      responses: [['200', 'OK', r.definition], ['201', 'Created', r.definition]],
    });
  }
  addPath(item, itemOps, true);

  if (r.namespaced && has('list')) {
    const allNamespaces: OperationSpec = {
      method: 'get', operationId: `list${opPrefix}${r.kind}ForAllNamespaces`, action: 'list', gvk, params: listParams,
      responses: [['200', 'OK', listDefinition]], streaming: true,
    };
    out[`${gv}/${r.plural}`] = { get: renderOperation(allNamespaces, tag, flavour, opts.known), parameters: [renderParam(params.pretty, flavour)] };
  }

  for (const sub of r.subresources) {
    addPath(`${item}/${sub.name}`, subresourceOperations({ r, sub, opPrefix, scoped, definitionOf, patchTypes }), true);
  }
  return out;
}

function subresourceOperations(o: {
  r: ResourceInfo;
  sub: SubresourceInfo;
  opPrefix: string;
  scoped: string;
  definitionOf: DefinitionLookup;
  patchTypes: string[];
}): OperationSpec[] {
  const { r, sub, opPrefix, scoped, definitionOf } = o;
  const gvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
  const definition = definitionOf(gvk.group, gvk.version, gvk.kind);
  const subWord = sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
  const ops: OperationSpec[] = [];
  if (connectSubresources.has(sub.name)) {
    const methods: Array<[string, OperationSpec['method'], string]> = [
      ['get', 'get', 'Get'],
      ['create', 'post', 'Post'],
      ['update', 'put', 'Put'],
      ['patch', 'patch', 'Patch'],
      ['delete', 'delete', 'Delete'],
    ];
    for (const [verb, method, word] of methods) {
      if (!sub.verbs.includes(verb)) continue;
      ops.push({
        method, operationId: `connect${opPrefix}${word}${scoped}${r.kind}${subWord}`, action: 'connect', gvk, params: [],
        responses: [['200', 'OK', undefined]], text: true,
      });
    }
    return ops;
  }
  const body = definition ? { definition, contentTypes: ['*/*'], required: true } : undefined;
  const id = (verb: string) => `${verb}${opPrefix}${scoped}${r.kind}${subWord}`;
  if (sub.verbs.includes('get')) {
    const isLog = sub.name === 'log';
    ops.push({
      method: 'get', operationId: id('read'), action: 'get', gvk, params: [],
      responses: [['200', 'OK', isLog ? undefined : definition]], text: isLog || !definition,
    });
  }
  if (sub.verbs.includes('create')) {
    ops.push({
      method: 'post', operationId: id('create'), action: 'post', gvk, params: writeParams, body,
      responses: [['200', 'OK', definition], ['201', 'Created', definition], ['202', 'Accepted', definition]],
    });
  }
  if (sub.verbs.includes('update')) {
    ops.push({
      method: 'put', operationId: id('replace'), action: 'put', gvk, params: writeParams, body,
      responses: [['200', 'OK', definition], ['201', 'Created', definition]],
    });
  }
  if (sub.verbs.includes('patch')) {
    ops.push({
      method: 'patch', operationId: id('patch'), action: 'patch', gvk, params: [...writeParams, params.force],
      body: { definition: metaDefinitions.patch, contentTypes: o.patchTypes, required: true },
      responses: [['200', 'OK', definition], ['201', 'Created', definition]],
    });
  }
  return ops;
}
