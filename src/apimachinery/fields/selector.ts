// Field selectors (k8s.io/apimachinery/pkg/fields): `metadata.name=x,status.phase!=Failed`, with `\,`,
// `\=` and `\\` escapes in values, matched against the flat field set a resource exposes.

import { newBadRequest } from '../errors.js';

/** `=` and `==` mean the same; `!=` matches absent fields too (an absent field reads as ""). */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '==' | '!=';
  /** Unescaped value. */
  readonly value: string;
}

/** The flat fields of one object, e.g. `{"metadata.name": "web", "status.phase": "Running"}`. */
export type Fields = Readonly<Record<string, string>>;

export interface FieldSelector {
  /** The AND of these, in upstream's order (terms sorted as written). */
  readonly requirements: readonly FieldRequirement[];
  /** True when the selector selects everything. */
  empty(): boolean;
  matches(fields: Fields): boolean;
  /** The field names used, each once, in order: for the apiserver's "field label not supported" check. */
  fieldNames(): string[];
  /** The value a field must equal when the selector pins it (`metadata.name=x`), else undefined. */
  requiresExactMatch(field: string): string | undefined;
  /** Canonical form with escaped values (`==` prints as `=`). */
  toString(): string;
}

/** Escapes `\`, `,` and `=` so a value can be embedded in a selector string. */
export function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Reverses escapeValue. Throws Error with upstream's text on a bad escape (`\x`, trailing `\`) or an
 * unescaped `,` or `=` (reported, as upstream does, as the character's code point).
 */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits at commas that are not escaped. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator anywhere in the term splits it; `!=` and `==` are tried before `=` at each position. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

class TermsSelector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(fields: Fields): boolean {
    for (const r of this.requirements) {
      const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      if ((r.operator === '!=') === (actual === r.value)) return false;
    }
    return true;
  }
  fieldNames(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }
  requiresExactMatch(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator !== '!=') return r.value;
    return undefined;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeValue(r.value)}`).join(',');
  }
}

/** `{"metadata.name": "x"}` → `metadata.name=x`. */
export function selectorFromSet(set: Fields): FieldSelector {
  return new TermsSelector(Object.keys(set).sort().map((field) => ({ field, operator: '=' as const, value: set[field] })));
}

/** The selector that matches everything. */
export function everything(): FieldSelector {
  return new TermsSelector([]);
}

/**
 * Parses `?fieldSelector=`. Throws a 400 BadRequest StatusError with upstream's message, e.g.
 * `invalid selector: 'foo'; can't understand 'foo'`.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw newBadRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    try {
      reqs.push({ ...term, value: unescapeValue(term.value) });
    } catch (err) {
      throw newBadRequest((err as Error).message);
    }
  }
  return new TermsSelector(reqs);
}

/**
 * Rejects selectors naming fields the resource does not expose, with upstream's 400
 * `field label not supported: <name>` (the first unsupported name, in selector order).
 */
export function checkSupportedFields(selector: FieldSelector, supported: ReadonlySet<string> | readonly string[]): void {
  const has = Array.isArray(supported)
    ? (f: string) => (supported as readonly string[]).includes(f)
    : (f: string) => (supported as ReadonlySet<string>).has(f);
  for (const f of selector.fieldNames()) if (!has(f)) throw newBadRequest(`field label not supported: ${f}`);
}
