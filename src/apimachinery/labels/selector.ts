// Label selectors (k8s.io/apimachinery/pkg/labels): requirements, matching, and the string syntax
// `a=b,c!=d,e in (x,y),f notin (z),g,!h` with upstream's parse errors.

import { newBadRequest } from '../errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** upstream selection.Operator values, spelled as upstream spells them. */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One clause of a selector. `values` is sorted and free of duplicates when it comes from the parser. */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** Labels of an object: absent map = no labels. */
export type Labels = Readonly<Record<string, string>> | undefined;

/** A parsed selector: the AND of its requirements (sorted by key). */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True for the selector that selects everything (no requirements). */
  empty(): boolean;
  matches(labels: Labels): boolean;
  /** The canonical string form, e.g. `app=web,tier in (a,b)`; parse(s.toString()) gives an equal selector. */
  toString(): string;
}

/** A requirement that could not be built, as upstream's field error text (`values[0][k]: Invalid value: …`). */
export class InvalidRequirementError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    this.name = 'InvalidRequirementError';
  }
}

const goInt64 = /^[+-]?[0-9]+$/;
function parseInt64(s: string): bigint | undefined {
  if (!goInt64.test(s)) return undefined;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Builds a requirement after upstream's checks (NewRequirement): key is a qualified name, the number of
 * values fits the operator, values are label values (gt/lt: integers). `path` prefixes error paths.
 * Throws InvalidRequirementError.
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path = ''): Requirement {
  const errs: string[] = [];
  const child = (name: string): string => (path ? `${path}.${name}` : name);
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`${child('key')}: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
  const valuesPath = child('values');
  // Bad values render as JSON (upstream 1.34+).
  const shownValues = JSON.stringify(values);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(`${valuesPath}: Invalid value: ${shownValues}: for 'in', 'notin' operators, values set can't be empty`);
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(`${valuesPath}: Invalid value: ${shownValues}: exact-match compatibility requires one single value`);
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(`${valuesPath}: Invalid value: ${shownValues}: values set must be empty for exists and does not exist`);
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(`${valuesPath}: Invalid value: ${shownValues}: for 'Gt', 'Lt' operators, exactly one value is required`);
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(`${valuesPath}[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
        }
      });
      break;
    default:
      errs.push(
        `${child('operator')}: Unsupported value: ${goQuote(operator)}: supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`,
      );
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(`${valuesPath}[${i}][${key}]: Invalid value: ${goQuote(v)}: ${valueErrs.join('; ')}`);
  });
  if (errs.length) throw new InvalidRequirementError(errs);
  return { key, operator, values: [...values] };
}

/** Whether one requirement holds for a label set (upstream Requirement.Matches). */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value as string);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** The string form of one requirement (upstream Requirement.String). */
export function requirementString(r: Requirement): string {
  const sortedValues = (): string => [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${sortedValues()})`;
    case 'notin':
      return `${r.key} notin (${sortedValues()})`;
    case 'gt':
      return `${r.key}>${r.values.join(',')}`;
    case 'lt':
      return `${r.key}<${r.values.join(',')}`;
    default:
      return `${r.key}${r.operator}${sortedValues()}`;
  }
}

class InternalSelector implements Selector {
  constructor(readonly requirements: readonly Requirement[]) {}
  empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

class NothingSelector implements Selector {
  readonly requirements: readonly Requirement[] = [];
  empty(): boolean {
    return false;
  }
  matches(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

const byKey = (a: Requirement, b: Requirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A selector from requirements; they are sorted by key, as upstream does, for a canonical form. */
export function newSelector(requirements: readonly Requirement[]): Selector {
  return new InternalSelector([...requirements].sort(byKey));
}

/** The selector that matches every object. */
export function everything(): Selector {
  return new InternalSelector([]);
}

/** The selector that matches no object (what a nil metav1.LabelSelector means). */
export function nothing(): Selector {
  return new NothingSelector();
}

/** `{a: "b"}` → `a=b`: every label must be present with that value. Values are not validated. */
export function selectorFromSet(set: Readonly<Record<string, string>>): Selector {
  return newSelector(Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
}

// ---- The string syntax -------------------------------------------------------------------------------

type Token =
  | 'error'
  | 'eos'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Scanned {
  tok: Token;
  lit: string;
}

const symbolTokens = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
  ['!=', '!='],
  ['(', '('],
]);
const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

/** Splits a selector into tokens the way upstream's Lexer does (identifiers run to whitespace or a symbol). */
function lex(s: string): Scanned[] {
  const out: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    const ch = s[pos];
    if (isSpecialSymbol(ch)) {
      // Longest run of symbols that is still a known token: `!=` and `==` win over `!` and `=`.
      let buf = '';
      let last: Scanned | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        const next = buf + s[pos];
        const tok = symbolTokens.get(next);
        if (tok) last = { tok, lit: next };
        else if (last) break;
        buf = next;
        pos++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    const start = pos;
    while (pos < s.length && !isWhitespace(s[pos]) && !isSpecialSymbol(s[pos])) pos++;
    const word = s.slice(start, pos);
    out.push({ tok: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'identifier', lit: word });
  }
}

/** Whether `in`/`notin` are keywords (operator position) or plain identifiers (keys and values). */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly items: Scanned[]) {}

  private peek(ctx: Context): Scanned {
    const it = this.items[this.pos];
    if (ctx === 'values' && (it.tok === 'in' || it.tok === 'notin')) return { tok: 'identifier', lit: it.lit };
    return it;
  }

  private next(ctx: Context): Scanned {
    const it = this.peek(ctx);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek('values');
      if (tok === 'eos') return reqs;
      if (tok !== 'identifier' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.parseRequirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      const after = this.next('values');
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek('values');
      if (following.tok !== 'identifier' && following.tok !== '!') {
        throw new Error(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let op: Operator | undefined;
    let { tok, lit } = this.next('values');
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = this.next('values'));
    }
    if (tok !== 'identifier') throw new Error(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = isQualifiedName(key);
    // Upstream validates the key here with an empty field path, which Go prints as "<nil>".
    if (keyErrs.length) throw new Error(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
    const following = this.peek('values').tok;
    if (following === 'eos' || following === ',') {
      return newRequirement(key, op ?? 'exists', []);
    }
    if (op === '!') return newRequirement(key, op, []);
    const opTok = this.next('keyAndOperator');
    const operator = operatorFor(opTok);
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private parseValues(): string[] {
    const open = this.next('values');
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek('values');
    if (tok === ')') {
      this.next('values');
      return [''];
    }
    if (tok !== 'identifier' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifiersList();
    if (this.next('values').tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  /** `a,b` up to (not including) the closing parenthesis; empty items mean the empty value. */
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.next('values');
      if (tok === 'identifier') {
        values.push(lit);
        const after = this.peek('values');
        if (after.tok === ',') continue;
        if (after.tok === ')') return values;
        throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (values.length === 0) values.push('');
        const after = this.peek('values').tok;
        if (after === ')') {
          values.push('');
          return values;
        }
        if (after === ',') {
          this.next('values');
          values.push('');
        }
        continue;
      }
      throw new Error(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const { tok } = this.peek('values');
    if (tok === 'eos' || tok === ',') return [''];
    const value = this.next('values');
    if (value.tok === 'identifier') return [value.lit];
    throw new Error(`found '${value.lit}', expected: identifier`);
  }
}

function operatorFor({ tok, lit }: Scanned): Operator {
  switch (tok) {
    case 'in':
      return 'in';
    case 'notin':
      return 'notin';
    case '=':
      return '=';
    case '==':
      return '==';
    case '!=':
      return '!=';
    case '>':
      return 'gt';
    case '<':
      return 'lt';
    default:
      throw new Error(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
  }
}

/**
 * Parses the selector syntax of `?labelSelector=` and `kubectl -l`. Throws a 400 BadRequest StatusError
 * whose message is upstream's (e.g. `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`).
 */
export function parse(selector: string): Selector {
  try {
    return newSelector(new Parser(lex(selector)).parse());
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
}
