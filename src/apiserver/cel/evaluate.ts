// Evaluates parsed CEL over JSON data (objects, AdmissionRequest): ints are bigints, doubles numbers, as CEL
// keeps them apart; JSON integers read from the data are ints. Errors follow cel-go's words ("no such key",
// "no such overload"); && and || absorb errors the way CEL's commutative logic does.

import type { Node } from './parser.js';

export class CELEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CELEvalError';
  }
}

type Value = unknown;
export type Activation = Record<string, unknown>;

/** JSON numbers that are whole become CEL ints. */
function fromJSON(v: unknown): Value {
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown) =>
  v === null ? 'null_type' : typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'double' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'list' : 'map';
const noOverload = (fn: string, ...args: unknown[]) => new CELEvalError(`no such overload: ${fn}(${args.map(typeName).join(', ')})`);

function equals(a: Value, b: Value): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(fromJSON(x), fromJSON(b[i])));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equals(fromJSON(a[k]), fromJSON(b[k])));
  }
  return a === b;
}

function compare(op: string, a: Value, b: Value): boolean {
  const numeric = (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number');
  if (!numeric && !(typeof a === 'string' && typeof b === 'string') && !(typeof a === 'boolean' && typeof b === 'boolean')) throw noOverload(op, a, b);
  const x = numeric ? Number(a) : (a as string);
  const y = numeric ? Number(b) : (b as string);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((op === '/' || op === '%') && b === 0n) throw new CELEvalError(op === '/' ? 'division by zero' : 'modulus by zero');
    return checkedInt(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b);
  }
  if (typeof a === 'number' && typeof b === 'number' && op !== '%') return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw noOverload(op, a, b);
}

/** CEL ints are int64: results outside its range are errors, not wrapped values. */
function checkedInt(v: bigint): bigint {
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new CELEvalError('integer overflow');
  return v;
}

function size(v: Value): bigint {
  if (typeof v === 'string') return BigInt([...v].length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw noOverload('size', v);
}

function select(target: Value, field: string): Value {
  if (!isMap(target)) throw new CELEvalError(`no such key: ${field}`);
  if (!(field in target)) throw new CELEvalError(`no such key: ${field}`);
  return fromJSON(target[field]);
}

const macros = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** Names of the functions and methods the evaluator knows, for compile-time checks (macros and has included). */
export const celFunctionNames: ReadonlySet<string> = new Set([
  ...macros,
  'has',
  'size',
  'startsWith',
  'endsWith',
  'contains',
  'matches',
  'lowerAscii',
  'upperAscii',
  'isSorted',
  'sum',
  'min',
  'max',
  'indexOf',
  'lastIndexOf',
  'trim',
  'split',
  'join',
  'replace',
  'substring',
  'charAt',
  'find',
  'findAll',
  'int',
  'double',
  'string',
]);

/** The Kubernetes list library: isSorted, sum, min, max over lists of comparable values. */
function listFunction(fn: string, list: Value, overload: CELEvalError): Value {
  if (!Array.isArray(list)) throw overload;
  const items = list.map(fromJSON);
  const less = (a: Value, b: Value) => compare('<', a, b);
  switch (fn) {
    case 'isSorted':
      return items.every((x, i) => i === 0 || !less(x, items[i - 1]));
    case 'sum':
      return items.reduce((acc: Value, x) => arithmetic('+', acc, x), items.length > 0 && typeof items[0] === 'number' ? 0 : 0n);
    default: {
      if (items.length === 0) throw new CELEvalError(`${fn}(list) argument must not be empty`);
      return items.reduce((acc, x) => (fn === 'min' ? (less(x, acc) ? x : acc) : less(acc, x) ? x : acc));
    }
  }
}

/**
 * A runtime cost budget shared by the evaluations it is passed to: every evaluated node and every macro
 * iteration costs one unit; when it runs out, evaluation stops with cel-go's "actual cost limit exceeded".
 */
export interface CostBudget {
  remaining: number;
}

/** Evaluates a parsed expression; throws CELEvalError. Without a budget, evaluation is not limited. */
export function evaluateCEL(node: Node, vars: Activation, budget?: CostBudget): Value {
  if (budget && --budget.remaining < 0) throw new CELEvalError('operation cancelled: actual cost limit exceeded');
  const ev = (n: Node, scope: Activation = vars) => evaluateCEL(n, scope, budget);
  switch (node.type) {
    case 'lit':
      return node.value;
    case 'ident':
      if (!(node.name in vars)) throw new CELEvalError(`undeclared reference to '${node.name}'`);
      return fromJSON(vars[node.name]);
    case 'select':
      return select(ev(node.target), node.field);
    case 'index': {
      const t = ev(node.target);
      const i = ev(node.index);
      if (Array.isArray(t)) {
        if (typeof i !== 'bigint' && !(typeof i === 'number' && Number.isInteger(i))) throw noOverload('_[_]', t, i);
        const n = Number(i);
        if (n < 0 || n >= t.length) throw new CELEvalError(`index out of bounds: ${n}`);
        return fromJSON(t[n]);
      }
      if (isMap(t)) {
        const k = String(i);
        if (!(k in t)) throw new CELEvalError(`no such key: ${k}`);
        return fromJSON(t[k]);
      }
      throw noOverload('_[_]', t, i);
    }
    case 'list':
      return node.items.map((n) => ev(n));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) out[String(ev(k))] = ev(v);
      return out;
    }
    case 'unary': {
      const v = ev(node.arg);
      if (node.op === '!') {
        if (typeof v !== 'boolean') throw noOverload('!_', v);
        return !v;
      }
      if (typeof v === 'bigint') return checkedInt(-v);
      if (typeof v === 'number') return -v;
      throw noOverload('-_', v);
    }
    case 'cond': {
      const t = ev(node.test);
      if (typeof t !== 'boolean') throw noOverload('_?_:_', t);
      return t ? ev(node.then) : ev(node.else);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, vars, budget);
    case 'call':
      return call(node, vars, budget);
  }
}

/** Logical operators: a decisive side wins even when the other errs (CEL's commutative && and ||). */
function logical(op: '&&' | '||', left: Node, right: Node, vars: Activation, budget?: CostBudget): boolean {
  const decisive = op === '||';
  let err: unknown;
  for (const side of [left, right]) {
    try {
      const v = evaluateCEL(side, vars, budget);
      if (typeof v !== 'boolean') throw noOverload(op, v);
      if (v === decisive) return decisive;
    } catch (e) {
      err ??= e;
    }
  }
  if (err) throw err;
  return !decisive;
}

function binary(op: string, l: Node, r: Node, vars: Activation, budget?: CostBudget): Value {
  if (op === '&&' || op === '||') return logical(op, l, r, vars, budget);
  const a = evaluateCEL(l, vars, budget);
  const b = evaluateCEL(r, vars, budget);
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    case 'in':
      if (Array.isArray(b)) return b.some((x) => equals(a, fromJSON(x)));
      if (isMap(b)) return String(a) in b;
      throw noOverload('@in', a, b);
    default:
      return arithmetic(op, a, b);
  }
}

function call(node: Extract<Node, { type: 'call' }>, vars: Activation, budget?: CostBudget): Value {
  const { fn, target, args } = node;
  if (fn === 'has' && !target) {
    const arg = args[0];
    if (args.length !== 1 || arg.type !== 'select') throw new CELEvalError('invalid argument to has() macro');
    const obj = evaluateCEL(arg.target, vars, budget);
    return isMap(obj) && arg.field in obj && obj[arg.field] !== null && obj[arg.field] !== undefined;
  }
  if (target && macros.has(fn)) {
    const range = evaluateCEL(target, vars, budget);
    const v = args[0];
    if (!v || v.type !== 'ident' || args.length !== 2) throw new CELEvalError(`invalid argument to ${fn}() macro`);
    const items = Array.isArray(range) ? range.map(fromJSON) : isMap(range) ? Object.keys(range) : undefined;
    if (!items) throw noOverload(fn, range);
    const run = (x: unknown) => evaluateCEL(args[1], { ...vars, [v.name]: x }, budget);
    switch (fn) {
      case 'all':
        return items.every((x) => run(x) === true);
      case 'exists':
        return items.some((x) => run(x) === true);
      case 'exists_one':
        return items.filter((x) => run(x) === true).length === 1;
      case 'map':
        return items.map(run);
      default:
        return items.filter((x) => run(x) === true);
    }
  }
  const recv = target ? evaluateCEL(target, vars, budget) : undefined;
  const vals = args.map((a) => evaluateCEL(a, vars, budget));
  const str = (x: unknown, name: string): string => {
    if (typeof x !== 'string') throw noOverload(name, recv, ...vals);
    return x;
  };
  switch (fn) {
    case 'size':
      return size(target ? recv : vals[0]);
    case 'startsWith':
      return str(recv, fn).startsWith(str(vals[0], fn));
    case 'endsWith':
      return str(recv, fn).endsWith(str(vals[0], fn));
    case 'contains':
      return str(recv, fn).includes(str(vals[0], fn));
    case 'matches':
      return new RegExp(str(target ? vals[0] : vals[1], fn)).test(str(target ? recv : vals[0], fn));
    case 'lowerAscii':
      return str(recv, fn).toLowerCase();
    case 'upperAscii':
      return str(recv, fn).toUpperCase();
    case 'isSorted':
    case 'sum':
    case 'min':
    case 'max':
      return listFunction(fn, target ? recv : vals[0], noOverload(fn, recv, ...vals));
    case 'indexOf':
    case 'lastIndexOf': {
      const last = fn === 'lastIndexOf';
      if (Array.isArray(recv)) {
        const items = recv.map(fromJSON);
        const hits = items.flatMap((x, i) => (equals(x, vals[0]) ? [i] : []));
        return BigInt(hits.length === 0 ? -1 : last ? hits[hits.length - 1] : hits[0]);
      }
      const chars = [...str(recv, fn)];
      const sub = str(vals[0], fn);
      const from = vals[1] === undefined ? undefined : Number(vals[1]);
      if (from !== undefined && (from < 0 || from > chars.length)) throw new CELEvalError(`index out of range: ${from}`);
      const units = last ? chars.slice(0, from === undefined ? chars.length : from + [...sub].length).join('').lastIndexOf(sub) : chars.join('').indexOf(sub, chars.slice(0, from ?? 0).join('').length);
      return units < 0 ? -1n : BigInt([...chars.join('').slice(0, units)].length);
    }
    case 'trim':
      return str(recv, fn).replace(/^\s+|\s+$/gu, '');
    case 'split': {
      const parts = str(recv, fn).split(str(vals[0], fn));
      if (vals[1] === undefined || Number(vals[1]) < 0) return parts;
      const n = Number(vals[1]);
      if (n === 0) return [];
      return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(str(vals[0], fn))];
    }
    case 'join':
      if (!Array.isArray(recv) || !recv.every((x) => typeof x === 'string')) throw noOverload(fn, recv, ...vals);
      return recv.join(vals[0] === undefined ? '' : str(vals[0], fn));
    case 'replace': {
      const whole = str(recv, fn);
      const from = str(vals[0], fn);
      const to = str(vals[1], fn);
      const limit = vals[2] === undefined ? -1 : Number(vals[2]);
      const parts = whole.split(from);
      if (limit < 0 || parts.length - 1 <= limit) return parts.join(to);
      return parts.slice(0, limit + 1).join(to) + from + parts.slice(limit + 1).join(from);
    }
    case 'substring': {
      const chars = [...str(recv, fn)];
      const start = Number(vals[0]);
      const end = vals[1] === undefined ? chars.length : Number(vals[1]);
      if (start < 0 || start > chars.length) throw new CELEvalError(`index out of range: ${start}`);
      if (end < 0 || end > chars.length) throw new CELEvalError(`index out of range: ${end}`);
      if (end < start) throw new CELEvalError(`invalid substring range. start: ${start}, end: ${end}`);
      return chars.slice(start, end).join('');
    }
    case 'charAt': {
      const chars = [...str(recv, fn)];
      const i = Number(vals[0]);
      if (i < 0 || i > chars.length) throw new CELEvalError(`index out of range: ${i}`);
      return chars[i] ?? '';
    }
    case 'find':
    case 'findAll': {
      const re = new RegExp(str(vals[0], fn), 'gu');
      const found = [...str(recv, fn).matchAll(re)].map((m) => m[0]);
      if (fn === 'find') return found[0] ?? '';
      const limit = vals[1] === undefined ? -1 : Number(vals[1]);
      return limit < 0 ? found : found.slice(0, limit);
    }
    case 'int':
      if (typeof vals[0] === 'number') return BigInt(Math.trunc(vals[0]));
      if (typeof vals[0] === 'string' && /^-?[0-9]+$/.test(vals[0])) return BigInt(vals[0]);
      if (typeof vals[0] === 'bigint') return vals[0];
      throw noOverload(fn, ...vals);
    case 'double':
      return Number(vals[0]);
    case 'string':
      return typeof vals[0] === 'string' ? vals[0] : String(vals[0]);
    default:
      throw new CELEvalError(`undeclared reference to '${fn}'`);
  }
}
