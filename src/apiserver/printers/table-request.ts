// Whether a GET/LIST/WATCH asks for a Table (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`),
// in which group/version and encoding, and with which includeObject policy (the `includeObject` query
// parameter, upstream metav1.TableOptions).

import { newBadRequest } from '../../apimachinery/errors.js';
import { invalid } from '../../apimachinery/field-error.js';
import type { IncludeObjectPolicy, TableGroupVersion } from './table.js';

export interface TableRequest {
  groupVersion: TableGroupVersion;
  /** Body encoding of the Table. */
  encoding: 'json' | 'yaml';
  includeObject: IncludeObjectPolicy;
}

interface Clause {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
  index: number;
}

function parseClauses(accept: string): Clause[] {
  const clauses: Clause[] = [];
  accept.split(',').forEach((raw, index) => {
    const [head, ...rest] = raw.split(';');
    const [type = '', subtype = ''] = head.trim().toLowerCase().split('/');
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    if (type !== '' && Number.isFinite(q) && q > 0) clauses.push({ type, subtype, params, q, index });
  });
  return clauses.sort((a, b) => b.q - a.q || a.index - b.index);
}

/** The encoding a clause names among those k8ts serves (JSON first for wildcards), or undefined. */
function encodingOf(c: Clause): 'json' | 'yaml' | undefined {
  if (c.type === '*' && c.subtype === '*') return 'json';
  if (c.type !== 'application') return undefined;
  if (c.subtype === 'json' || c.subtype === '*') return 'json';
  if (c.subtype === 'yaml') return 'yaml';
  return undefined;
}

const tableGroupVersions: Record<string, TableGroupVersion> = { v1: 'meta.k8s.io/v1', v1beta1: 'meta.k8s.io/v1beta1' };

/**
 * Walks the Accept header in preference order as upstream negotiation does. The first clause k8ts can
 * serve decides: a Table clause (`as=Table`, `g=meta.k8s.io`, `v=v1|v1beta1`, JSON or YAML) → a
 * TableRequest; a plain JSON/YAML/wildcard clause → undefined (serve the object or list itself).
 * Clauses for other conversions (PartialObjectMetadata, other groups) and other media types are
 * skipped, so kubectl's trailing `application/json` is the fallback. Throws 400 BadRequest, in
 * upstream's words, when a Table is chosen and `includeObject` is not None, Metadata, Object or empty.
 */
export function tableRequestFor(accept: string | undefined, query: URLSearchParams): TableRequest | undefined {
  for (const clause of parseClauses(accept ?? '')) {
    const encoding = encodingOf(clause);
    if (!encoding) continue;
    const { as, g, v } = clause.params;
    if (as === undefined && g === undefined && v === undefined) return undefined;
    if (as !== 'Table' || g !== 'meta.k8s.io' || !(v in tableGroupVersions)) continue;
    return { groupVersion: tableGroupVersions[v], encoding, includeObject: includeObjectFrom(query) };
  }
  return undefined;
}

/** The includeObject query parameter; absent or empty means Metadata. */
export function includeObjectFrom(query: URLSearchParams): IncludeObjectPolicy {
  const value = query.get('includeObject') ?? '';
  switch (value) {
    case '':
    case 'Metadata':
      return 'Metadata';
    case 'None':
    case 'Object':
      return value;
    default: {
      const err = invalid('includeObject', value, "must be 'Metadata', 'Object', 'None', or empty");
      throw newBadRequest(`Unable to convert to Table as requested: ${err.field}: ${err.detail}`);
    }
  }
}

/** The Content-Type of a Table reply (not of a watch stream, which stays application/json). */
export function tableContentType(req: Pick<TableRequest, 'groupVersion' | 'encoding'>): string {
  const version = req.groupVersion.slice('meta.k8s.io/'.length);
  return `application/${req.encoding};as=Table;v=${version};g=meta.k8s.io`;
}
