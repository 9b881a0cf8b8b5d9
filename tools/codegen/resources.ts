// Derives the served-resource table (plural, scope, kind, verbs, subresources) from the REST paths
// of the OpenAPI document, and renders it as src/api/generated/resources.ts.
import type { ResourceInfo, SubresourceInfo } from '../../src/api/resource-info.js';
import { gvksOf, httpMethods, isGAVersion, type GroupVersionKind, type HttpMethod, type OpenAPIDocument } from './openapi.js';
import { generatedHeader } from './emit.js';

/** Verb a plain HTTP method stands for on a subresource (connect actions included). HEAD/OPTIONS have none. */
const subresourceVerbByMethod: Partial<Record<HttpMethod, string>> = {
  get: 'get',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
};

/** Verb of a resource-level `x-kubernetes-action`. */
const verbByAction: Record<string, string> = {
  list: 'list',
  get: 'get',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
  watch: 'watch',
  watchlist: 'watch',
};

interface PathParts {
  group: string;
  version: string;
  namespaced: boolean;
  plural: string;
  subresource?: string;
}

/** Splits a REST path into group, version, scope, resource and subresource; undefined for non-resource paths. */
export function parsePath(path: string): PathParts | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.*)$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3]!;
  let rest = m[4]!;
  if (rest.startsWith('watch/')) rest = rest.slice('watch/'.length);
  let namespaced = false;
  if (rest.startsWith('namespaces/{namespace}/')) {
    namespaced = true;
    rest = rest.slice('namespaces/{namespace}/'.length);
  }
  const segs = rest.split('/');
  const plural = segs[0];
  if (!plural || plural.startsWith('{')) return undefined;
  if (segs.length === 1) return { group, version, namespaced, plural };
  if (segs[1] !== '{name}') return undefined;
  if (segs.length === 2) return { group, version, namespaced, plural };
  const subresource = segs[2];
  if (!subresource || subresource.startsWith('{')) return undefined;
  return { group, version, namespaced, plural, subresource };
}

function sameGVK(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/**
 * Every resource of every GA group-version in the document, sorted by group, version, plural.
 * Verbs and subresource verbs are sorted alphabetically, as upstream discovery lists them.
 * shortNames and categories are left empty: they are not in the document (see src/api/resources.ts).
 */
export function buildResourceTable(doc: OpenAPIDocument): ResourceInfo[] {
  const definitionByGVK = new Map<string, string>();
  for (const [name, schema] of Object.entries(doc.definitions)) {
    for (const gvk of gvksOf(schema)) {
      const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
      // Shared meta types (DeleteOptions, WatchEvent) claim every group; a resource kind is claimed once.
      if (!definitionByGVK.has(key)) definitionByGVK.set(key, name);
    }
  }

  interface Draft {
    group: string;
    version: string;
    plural: string;
    namespaced: boolean;
    gvk?: GroupVersionKind;
    verbs: Set<string>;
    subresources: Map<string, { gvk?: GroupVersionKind; verbs: Set<string> }>;
  }
  const drafts = new Map<string, Draft>();

  for (const [path, item] of Object.entries(doc.paths)) {
    const parts = parsePath(path);
    if (!parts || !isGAVersion(parts.version)) continue;
    const key = `${parts.group}/${parts.version}/${parts.plural}`;
    let draft = drafts.get(key);
    if (!draft) {
      draft = { group: parts.group, version: parts.version, plural: parts.plural, namespaced: false, verbs: new Set(), subresources: new Map() };
      drafts.set(key, draft);
    }
    if (parts.namespaced) draft.namespaced = true;
    for (const method of httpMethods) {
      const op = item[method];
      const action = op?.['x-kubernetes-action'];
      if (!op || !action) continue;
      const gvk = op['x-kubernetes-group-version-kind'];
      if (parts.subresource === undefined) {
        const verb = verbByAction[action];
        if (!verb) throw new Error(`${path} ${method}: unknown action ${action}`);
        draft.verbs.add(verb);
        if (gvk && !draft.gvk) draft.gvk = gvk;
        else if (gvk && draft.gvk && !sameGVK(gvk, draft.gvk)) throw new Error(`${path}: kind ${gvk.kind} differs from ${draft.gvk.kind}`);
      } else {
        let sub = draft.subresources.get(parts.subresource);
        if (!sub) draft.subresources.set(parts.subresource, (sub = { verbs: new Set() }));
        const verb = subresourceVerbByMethod[method];
        if (verb) sub.verbs.add(verb);
        if (gvk && !sub.gvk) sub.gvk = gvk;
      }
    }
  }

  const table: ResourceInfo[] = [];
  for (const d of drafts.values()) {
    if (!d.gvk) throw new Error(`${d.group}/${d.version}/${d.plural}: no kind on any operation`);
    const gvk = d.gvk;
    const definition = definitionByGVK.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
    if (!definition) throw new Error(`${d.group}/${d.version}/${d.plural}: no definition for kind ${gvk.kind}`);
    const subresources: SubresourceInfo[] = [...d.subresources.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([name, s]) => {
        const sg = s.gvk ?? gvk;
        const info: SubresourceInfo = { name, kind: sg.kind, verbs: [...s.verbs].sort(compare) };
        if (sg.group !== d.group || sg.version !== d.version) {
          info.group = sg.group;
          info.version = sg.version;
        }
        return info;
      });
    table.push({
      group: d.group,
      version: d.version,
      kind: gvk.kind,
      listKind: `${gvk.kind}List`,
      plural: d.plural,
      singular: gvk.kind.toLowerCase(),
      namespaced: d.namespaced,
      verbs: [...d.verbs].sort(compare),
      shortNames: [],
      categories: [],
      subresources,
      definition,
    });
  }
  return table.sort((a, b) => compare(a.group, b.group) || compare(a.version, b.version) || compare(a.plural, b.plural));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Renders the table as a TypeScript module, one resource per line so diffs stay readable. */
export function emitResources(table: ResourceInfo[]): string {
  const lines = [
    generatedHeader,
    '// Resources served by a default apiserver (GA group-versions), derived from the OpenAPI paths.',
    "import type { ResourceInfo } from '../resource-info.js';",
    '',
    'export const generatedResources: ResourceInfo[] = [',
    ...table.map((r) => `  ${JSON.stringify(r)},`),
    '];',
    '',
  ];
  return lines.join('\n');
}
