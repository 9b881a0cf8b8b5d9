// YAML request bodies (`application/yaml`): one document, YAML 1.1 scalars as Go's yaml.v2 reads them
// (`on`/`yes` are booleans, timestamps stay strings), duplicate keys reported with line and field path.

import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';

/** A body that is not one valid YAML document; `message` follows upstream's `yaml: line N: …` form. */
export class YAMLSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YAMLSyntaxError';
  }
}

export interface DuplicateYAMLKey {
  /** Field path as JSON strict decoding spells it (`metadata.name`). */
  path: string;
  key: string;
  /** 1-based line of the second occurrence. */
  line: number;
}

export interface DecodedYAML {
  value: unknown;
  duplicates: DuplicateYAMLKey[];
}

const textDecoder = new TextDecoder();

const parseOptions = {
  version: '1.1' as const,
  uniqueKeys: false,
  merge: true,
  // yaml.v2 decodes timestamp-looking scalars into strings when the target is untyped; so do we.
  customTags: (tags: unknown[]) => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
};

/**
 * Parses a single-document YAML body into plain JSON values (map keys become strings). Throws
 * YAMLSyntaxError for syntax errors and for bodies with more than one document.
 */
export function decodeYAML(body: string | Uint8Array): DecodedYAML {
  const text = typeof body === 'string' ? body : textDecoder.decode(body);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...parseOptions, lineCounter } as never);
  if (!Array.isArray(docs)) return { value: null, duplicates: [] }; // an empty stream
  const real = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  if (real.length > 1) throw new YAMLSyntaxError('yaml: a request body must hold exactly one YAML document, found more');
  const doc = real[0] ?? docs[0];
  if (!doc) return { value: null, duplicates: [] };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
    throw new YAMLSyntaxError(`yaml: line ${line}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const duplicates: DuplicateYAMLKey[] = [];
  findDuplicates(doc.contents as Node | null, '', lineCounter, duplicates);
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return { value: stringifyKeys(value), duplicates };
}

function findDuplicates(node: Node | null, path: string, lc: LineCounter, out: DuplicateYAMLKey[]): void {
  if (!node) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = path ? `${path}.${key}` : key;
      if (seen.has(key)) {
        const pos = keyNode && 'range' in keyNode && keyNode.range ? keyNode.range[0] : 0;
        out.push({ path: childPath, key, line: lc.linePos(pos).line });
      } else {
        seen.add(key);
      }
      findDuplicates(pair.value as Node | null, childPath, lc, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicates(item as Node | null, `${path}[${i}]`, lc, out));
  }
}

/** toJS turns a map with non-string keys into a Map; JSON (and Go's YAML-to-JSON) wants string keys. */
function stringifyKeys(v: unknown): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) Object.defineProperty(out, String(k), { value: stringifyKeys(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (Array.isArray(v)) return v.map(stringifyKeys);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = stringifyKeys((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** upstream's strict YAML message for duplicates: `yaml: unmarshal errors:\n  line 4: key "name" already set in map`. */
export function yamlDuplicateMessage(dups: readonly DuplicateYAMLKey[]): string {
  return `yaml: unmarshal errors:\n${dups.map((d) => `  line ${d.line}: key ${JSON.stringify(d.key)} already set in map`).join('\n')}`;
}
