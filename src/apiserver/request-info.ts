// Parses a request path into what it addresses, like upstream's RequestInfoFactory: API prefix, group,
// version, namespace, resource, name, subresource and the verb (from the method, the name and `watch`).

export interface RequestInfo {
  /** False for /version, /healthz, /api, /apis, /apis/<group> and other non-resource paths. */
  isResourceRequest: boolean;
  /** The path, for non-resource requests. */
  path: string;
  /**
   * get, list, watch, create, update, patch, delete, deletecollection, proxy; for non-resource requests the
   * lower-case method.
   */
  verb: string;
  /** "api" or "apis". */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /**
   * Path segments from the resource on (`pods/p1/log` → ["pods","p1","log"]). A name that came from a
   * `metadata.name` field selector (lists, watches) is in `name` but not in `parts`.
   */
  parts: string[];
}

const apiPrefixes = new Set(['api', 'apis']);
const grouplessPrefixes = new Set(['api']);
/** Verbs that may appear as a path segment before the resource (`/api/v1/watch/pods`). */
const specialVerbs = new Set(['proxy', 'watch']);
/** Subresources of namespaces themselves: /api/v1/namespaces/<ns>/status is not a resource named status. */
const namespaceSubresources = new Set(['status', 'finalize']);

const verbByMethod: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The exact value a field selector requires for `field` (`a=b`, `a==b`), ignoring escapes; undefined if none. */
function exactFieldMatch(selector: string, field: string): string | undefined {
  for (const term of selector.split(',')) {
    const m = /^\s*([^!=\s]+)\s*==?\s*(.*?)\s*$/.exec(term);
    if (m && m[1] === field && !term.includes('!=')) return m[2];
  }
  return undefined;
}

function isWatchParam(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/**
 * Parses `path` (no query string) and `query` for `method`. Never throws: malformed resource paths
 * come back as non-resource requests, which end in a 404.
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 3 || !apiPrefixes.has(parts[0])) return info;
  const apiPrefix = parts[0];
  parts = parts.slice(1);
  let group = '';
  if (!grouplessPrefixes.has(apiPrefix)) {
    if (parts.length < 3) return info;
    group = parts[0];
    parts = parts.slice(1);
  }
  const version = parts[0];
  parts = parts.slice(1);

  let verb: string;
  if (specialVerbs.has(parts[0])) {
    if (parts.length < 2) return info;
    verb = parts[0];
    parts = parts.slice(1);
  } else {
    verb = verbByMethod[method.toUpperCase()] ?? '';
  }

  let namespace = '';
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1];
      if (parts.length > 2 && !namespaceSubresources.has(parts[2])) parts = parts.slice(2);
    }
  }

  Object.assign(info, { isResourceRequest: true, apiPrefix, apiGroup: group, apiVersion: version, namespace, parts });
  if (parts.length >= 3 && verb !== 'proxy') info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  info.resource = parts[0] ?? '';

  if (!info.name && verb === 'get') {
    verb = isWatchParam(query.get('watch')) ? 'watch' : 'list';
    const fieldSelector = query.get('fieldSelector');
    const exact = fieldSelector ? exactFieldMatch(fieldSelector, 'metadata.name') : undefined;
    // Like upstream, a list or watch of exactly one name is attributed to that name (for authorization),
    // but stays a collection request.
    if (exact && !exact.includes('/') && exact !== '.' && exact !== '..') info.name = exact;
    info.verb = verb;
    return info;
  }
  if (!info.name && verb === 'delete') verb = 'deletecollection';
  info.verb = verb;
  return info;
}
