// A JSONPath evaluator for CRD printer columns (additionalPrinterColumns[].jsonPath), covering the
// subset of client-go's jsonpath that column paths use: `.a.b`, escaped dots (`a\.b`), `['key']`,
// `[0]`, `[-1]`, `[1:3]`, `[*]`, `.*`, `..name`, unions `[0,2]`, and filters `[?(@.type=="Ready")]`.
// Missing keys and out-of-range indexes yield no value (upstream AllowMissingKeys(true)).

type Literal = string | number | boolean | null;

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'keys'; names: string[] }
  | { kind: 'indexes'; items: Array<number | { start?: number; end?: number; step?: number }> }
  | { kind: 'filter'; left: Step[]; op?: '==' | '!=' | '<' | '>' | '<=' | '>='; right?: Literal | Step[] };

/** A parsed JSONPath; evaluate it with `find`. */
export interface JSONPath {
  readonly source: string;
  readonly steps: readonly Step[];
}

export class JSONPathSyntaxError extends Error {}

const terminators = new Set(['.', '[', ']', ',', '$', '@', '{', '}', ' ', '\t', '\n', '(', ')', '=', '!', '<', '>']);

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new JSONPathSyntaxError(`invalid JSONPath ${JSON.stringify(this.text)} at ${this.pos}: ${message}`);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  /** Steps until the end of the text, or until a character that ends a filter operand. */
  parseSteps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    if (this.peek() === '$' || (inFilter && this.peek() === '@')) this.pos++;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.pos += 2;
          steps.push({ kind: 'recursive' });
          if (this.peek() === '[') continue;
          steps.push(this.parseField());
          continue;
        }
        this.pos++;
        steps.push(this.parseField());
      } else if (c === '[') {
        steps.push(this.parseBracket());
      } else if (inFilter) {
        break;
      } else {
        this.fail(`unexpected ${JSON.stringify(c)}`);
      }
    }
    return steps;
  }

  parseField(): Step {
    if (this.peek() === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    let name = '';
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '\\' && this.pos + 1 < this.text.length) {
        name += this.peek(1);
        this.pos += 2;
        continue;
      }
      if (terminators.has(c)) break;
      name += c;
      this.pos++;
    }
    if (name === '') this.fail('empty field name');
    return { kind: 'field', name };
  }

  parseBracket(): Step {
    this.pos++; // [
    const c = this.peek();
    let step: Step;
    if (c === '?') step = this.parseFilter();
    else if (c === '*') {
      this.pos++;
      step = { kind: 'wildcard' };
    } else if (c === "'" || c === '"') {
      const names = [this.parseQuoted()];
      while (this.peek() === ',') {
        this.pos++;
        names.push(this.parseQuoted());
      }
      step = { kind: 'keys', names };
    } else step = this.parseIndexes();
    if (this.peek() !== ']') this.fail('expected ]');
    this.pos++;
    return step;
  }

  parseQuoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted string');
    this.pos++;
    let out = '';
    while (this.pos < this.text.length && this.peek() !== quote) {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) this.pos++;
      out += this.peek();
      this.pos++;
    }
    if (this.peek() !== quote) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  parseInt(): number | undefined {
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  parseIndexes(): Step {
    const items: Array<number | { start?: number; end?: number; step?: number }> = [];
    for (;;) {
      const start = this.parseInt();
      if (this.peek() === ':') {
        this.pos++;
        const end = this.parseInt();
        let step: number | undefined;
        if (this.peek() === ':') {
          this.pos++;
          step = this.parseInt();
        }
        items.push({ start, end, step });
      } else if (start === undefined) {
        this.fail('expected an index');
      } else items.push(start);
      if (this.peek() !== ',') break;
      this.pos++;
    }
    return { kind: 'indexes', items };
  }

  parseFilter(): Step {
    this.pos++; // ?
    if (this.peek() !== '(') this.fail('expected ( after ?');
    this.pos++;
    this.skipSpaces();
    const left = this.parseOperand();
    this.skipSpaces();
    const opMatch = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos));
    let step: Step;
    if (opMatch) {
      this.pos += opMatch[0].length;
      this.skipSpaces();
      const right = this.parseOperand();
      if (!Array.isArray(left)) this.fail('the left side of a filter must be a path');
      step = { kind: 'filter', left, op: opMatch[0] as '==', right };
    } else {
      if (!Array.isArray(left)) this.fail('a filter without operator must be a path');
      step = { kind: 'filter', left };
    }
    this.skipSpaces();
    if (this.peek() !== ')') this.fail('expected )');
    this.pos++;
    return step;
  }

  parseOperand(): Literal | Step[] {
    const c = this.peek();
    if (c === '@' || c === '$') return this.parseSteps(true);
    if (c === "'" || c === '"') return this.parseQuoted();
    const rest = this.text.slice(this.pos);
    const num = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    for (const [word, value] of [['true', true], ['false', false], ['nil', null], ['null', null]] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return value;
      }
    }
    this.fail('expected a path or a literal');
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
}

/**
 * Parses a JSONPath such as `.status.conditions[?(@.type=="Ready")].status`. Surrounding braces
 * (`{.spec.replicas}`, the kubectl template form) are accepted. Throws JSONPathSyntaxError.
 */
export function parseJSONPath(text: string): JSONPath {
  let body = text.trim();
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1).trim();
  if (body === '') throw new JSONPathSyntaxError('invalid JSONPath "": empty');
  const parser = new Parser(body);
  const steps = parser.parseSteps(false);
  return { source: text, steps };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function descendants(value: unknown, out: unknown[]): void {
  out.push(value);
  if (Array.isArray(value)) for (const v of value) descendants(v, out);
  else if (isObject(value)) for (const v of Object.values(value)) descendants(v, out);
}

function sliceIndexes(length: number, s: { start?: number; end?: number; step?: number }): number[] {
  const step = s.step ?? 1;
  if (step <= 0) return [];
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + length : i, 0), length);
  const start = clamp(s.start ?? 0);
  const end = clamp(s.end ?? length);
  const out: number[] = [];
  for (let i = start; i < end; i += step) out.push(i);
  return out;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    default:
      return false;
  }
}

function apply(step: Step, values: readonly unknown[], root: unknown): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (step.kind) {
      case 'field':
        if (isObject(v) && Object.hasOwn(v, step.name)) out.push(v[step.name]);
        break;
      case 'keys':
        if (isObject(v)) for (const k of step.names) if (Object.hasOwn(v, k)) out.push(v[k]);
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'recursive':
        descendants(v, out);
        break;
      case 'indexes':
        if (!Array.isArray(v)) break;
        for (const item of step.items) {
          if (typeof item === 'number') {
            const i = item < 0 ? item + v.length : item;
            if (i >= 0 && i < v.length) out.push(v[i]);
          } else for (const i of sliceIndexes(v.length, item)) out.push(v[i]);
        }
        break;
      case 'filter': {
        const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
        for (const item of items) {
          const left = evaluate(step.left, item, root);
          if (step.op === undefined) {
            if (left.length > 0) out.push(item);
            continue;
          }
          const right = Array.isArray(step.right) ? evaluate(step.right, item, root) : [step.right];
          if (left.length > 0 && right.length > 0 && compare(left[0], step.op, right[0])) out.push(item);
        }
        break;
      }
    }
  }
  return out;
}

function evaluate(steps: readonly Step[], value: unknown, root: unknown): unknown[] {
  let values: unknown[] = [value];
  for (const step of steps) {
    values = apply(step, values, root);
    if (values.length === 0) break;
  }
  return values;
}

/** Every value the path selects in `data`, in document order; [] when nothing matches. */
export function findResults(path: JSONPath, data: unknown): unknown[] {
  return evaluate(path.steps, data, data);
}
