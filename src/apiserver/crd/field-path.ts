// The JSON paths CRDs use to name a field of their schema (`.spec.color`, `.spec['x-y']`), as upstream's
// ValidFieldPath reads them: dot-separated names and single-quoted bracketed names, each resolved against the
// structural schema (a name under additionalProperties is a map key). Used by selectableFields.

import type { JSONSchemaProps } from './crd-types.js';

/** One step of a path: a property (`.name`) or a map key (`['key']` under additionalProperties). */
export interface FieldPathStep {
  name: string;
  /** True for a map key, false for a property of the schema. */
  key: boolean;
}

export type FieldPathResult = { steps: FieldPathStep[]; schema: JSONSchemaProps } | { error: string };

/** Splits into upstream's tokens: '.', '[' and ']' alone, quoted strings whole, the rest between delimiters. */
function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j])) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/**
 * Resolves `jsonPath` against `schema` (upstream cel.ValidFieldPath): its steps and the schema of the field,
 * or upstream's error text (`does not refer to a valid field`, `array notation is not allowed`, …).
 */
export function resolveFieldPath(jsonPath: string, schema: JSONSchemaProps, opts: { allowArrayNotation: boolean }): FieldPathResult {
  const steps: FieldPathStep[] = [];
  let current: JSONSchemaProps | undefined = schema;
  /** Descends by `name`: a property when the schema has properties, else a key of its additionalProperties. */
  const descend = (name: string): string | undefined => {
    if (current?.properties) {
      const next: JSONSchemaProps | undefined = current.properties[name];
      if (!next) return 'does not refer to a valid field';
      steps.push({ name, key: false });
      current = next;
    } else if (current?.additionalProperties !== undefined && current.additionalProperties !== false) {
      steps.push({ name, key: true });
      current = typeof current.additionalProperties === 'object' ? current.additionalProperties : undefined;
    } else {
      return 'does not refer to a valid field';
    }
    return undefined;
  };
  const toks = tokens(jsonPath);
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    let err: string | undefined;
    if (tok === '[') {
      if (!opts.allowArrayNotation) return { error: 'array notation is not allowed' };
      const quoted = toks[++i];
      if (quoted === undefined) return { error: 'unexpected end of JSON path' };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return { error: `expected single quoted string but got ${quoted}` };
      err = descend(quoted.slice(1, -1).replace(/\\(.)/g, '$1'));
      if (err) return { error: err };
      const close = toks[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else if (tok === '.') {
      const name = toks[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      err = descend(name);
      if (err) return { error: err };
    } else {
      return { error: `expected [ or . but got: ${tok}` };
    }
  }
  return { steps, schema: current ?? {} };
}

/** The value at `steps` in `obj`, or undefined when any step is missing. */
export function valueAt(obj: unknown, steps: readonly FieldPathStep[]): unknown {
  let v: unknown = obj;
  for (const s of steps) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[s.name];
  }
  return v;
}
