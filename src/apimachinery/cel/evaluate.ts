// Evaluates parsed CEL over JSON data (objects, AdmissionRequest, custom resources). Values are those of
// values.ts; functions come from library.ts. Errors use cel-go's words ("no such key", "no such overload");
// && and || absorb errors the way CEL's commutative logic does.

import { add, callFunction, libraryFunctionNames } from './library.js';
import type { Node } from './parser.js';
import { CELDuration, CELEvalError, CELOptional, CELTimestamp, checkedInt, equals, fromJSON, isMap, noOverload, order, type Value } from './values.js';

export { CELEvalError } from './values.js';

export type Activation = Record<string, unknown>;

/**
 * A runtime cost budget shared by the evaluations it is passed to: every evaluated node and every macro
 * iteration costs one unit; when it runs out, evaluation stops with cel-go's "actual cost limit exceeded".
 */
export interface CostBudget {
  remaining: number;
}

export interface EvalOptions {
  budget?: CostBudget;
  /**
   * The variables already hold CEL values (bigint ints, number doubles, timestamps…), as typed from a schema;
   * otherwise whole JSON numbers read from the data are taken as ints.
   */
  typed?: boolean;
}

interface Context {
  budget?: CostBudget;
  lift: (v: unknown) => Value;
}

const macros = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** Names of the functions, methods and macros the evaluator knows, for compile-time checks. */
export const celFunctionNames: ReadonlySet<string> = new Set([...macros, 'has', ...libraryFunctionNames]);

/** Functions of the `optional` namespace (`optional.of(x)`, `optional.none()`, `optional.ofNonZeroValue(x)`). */
export const optionalNamespaceFunctions: ReadonlySet<string> = new Set(['of', 'none', 'ofNonZeroValue']);

/** Evaluates a parsed expression; throws CELEvalError. Without a budget, evaluation is not limited. */
export function evaluateCEL(node: Node, vars: Activation, opts: EvalOptions = {}): Value {
  return evaluate(node, vars, { budget: opts.budget, lift: opts.typed ? (v) => v : fromJSON });
}

function evaluate(node: Node, vars: Activation, ctx: Context): Value {
  if (ctx.budget && --ctx.budget.remaining < 0) throw new CELEvalError('operation cancelled: actual cost limit exceeded');
  const ev = (n: Node) => evaluate(n, vars, ctx);
  switch (node.type) {
    case 'lit':
      return node.value;
    case 'ident':
      if (!(node.name in vars)) throw new CELEvalError(`undeclared reference to '${node.name}'`);
      return ctx.lift(vars[node.name]);
    case 'select': {
      const target = ev(node.target);
      // Optional selection (`.?f`, or any selection on an optional) yields an optional.
      if (node.optional || target instanceof CELOptional) {
        const inner = target instanceof CELOptional ? target : CELOptional.of(target);
        if (!inner.present) return CELOptional.none;
        const m = inner.value;
        if (!isMap(m)) throw noOverload('_?._', m);
        return node.field in m && m[node.field] !== undefined ? CELOptional.of(ctx.lift(m[node.field])) : CELOptional.none;
      }
      // Library values with fields of their own (authorizer.requestResource).
      if (typeof (target as { celSelect?: unknown } | null)?.celSelect === 'function') return (target as { celSelect(f: string): Value }).celSelect(node.field);
      if (!isMap(target) || !(node.field in target) || target[node.field] === undefined) throw new CELEvalError(`no such key: ${node.field}`);
      return ctx.lift(target[node.field]);
    }
    case 'index': {
      const target = ev(node.target);
      const key = ev(node.index);
      if (node.optional || target instanceof CELOptional) {
        const inner = target instanceof CELOptional ? target : CELOptional.of(target);
        if (!inner.present) return CELOptional.none;
        const t = inner.value;
        const has = Array.isArray(t) ? typeof key === 'bigint' && key >= 0n && key < BigInt(t.length) : isMap(t) ? String(key) in t : false;
        return has ? CELOptional.of(index(t, key, ctx)) : CELOptional.none;
      }
      return index(target, key, ctx);
    }
    case 'list':
      return node.items.map(ev);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) {
        const key = String(ev(k));
        if (key in out) throw new CELEvalError(`Failed with repeated key: ${key}`);
        out[key] = ev(v);
      }
      return out;
    }
    case 'struct': {
      // Messages are plain objects (the type name is not kept); an optional field is set only when present.
      const out: Record<string, unknown> = {};
      for (const f of node.fields) {
        const v = ev(f.value);
        if (f.optional) {
          if (!(v instanceof CELOptional)) throw noOverload('_?._', v);
          if (v.present) out[f.name] = v.value;
        } else {
          out[f.name] = v;
        }
      }
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
      if (v instanceof CELDuration) return new CELDuration(-v.ns);
      throw noOverload('-_', v);
    }
    case 'cond': {
      const t = ev(node.test);
      if (typeof t !== 'boolean') throw noOverload('_?_:_', t);
      return t ? ev(node.then) : ev(node.else);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, vars, ctx);
    case 'call':
      return call(node, vars, ctx);
  }
}

function index(t: Value, i: Value, ctx: Context): Value {
  if (Array.isArray(t)) {
    if (typeof i !== 'bigint' && !(typeof i === 'number' && Number.isInteger(i))) throw noOverload('_[_]', t, i);
    const n = Number(i);
    if (n < 0 || n >= t.length) throw new CELEvalError(`index out of bounds: ${n}`);
    return ctx.lift(t[n]);
  }
  if (isMap(t)) {
    const k = String(i);
    if (!(k in t)) throw new CELEvalError(`no such key: ${k}`);
    return ctx.lift(t[k]);
  }
  throw noOverload('_[_]', t, i);
}

/** Logical operators: a decisive side wins even when the other errs (CEL's commutative && and ||). */
function logical(op: '&&' | '||', left: Node, right: Node, vars: Activation, ctx: Context): boolean {
  const decisive = op === '||';
  let err: unknown;
  for (const side of [left, right]) {
    try {
      const v = evaluate(side, vars, ctx);
      if (typeof v !== 'boolean') throw noOverload(`_${op}_`, v);
      if (v === decisive) return decisive;
    } catch (e) {
      if (e instanceof CELEvalError && e.message.startsWith('operation cancelled')) throw e;
      err ??= e;
    }
  }
  if (err) throw err;
  return !decisive;
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (op === '+') return add(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((op === '/' || op === '%') && b === 0n) throw new CELEvalError(op === '/' ? 'division by zero' : 'modulus by zero');
    return checkedInt(op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b);
  }
  if (typeof a === 'number' && typeof b === 'number' && op !== '%') return op === '-' ? a - b : op === '*' ? a * b : a / b;
  if (op === '-') {
    if (a instanceof CELTimestamp && b instanceof CELTimestamp) return new CELDuration(a.ns - b.ns);
    if (a instanceof CELTimestamp && b instanceof CELDuration) return new CELTimestamp(a.ns - b.ns);
    if (a instanceof CELDuration && b instanceof CELDuration) return new CELDuration(a.ns - b.ns);
  }
  throw noOverload(`_${op}_`, a, b);
}

function binary(op: string, l: Node, r: Node, vars: Activation, ctx: Context): Value {
  if (op === '&&' || op === '||') return logical(op, l, r, vars, ctx);
  const a = evaluate(l, vars, ctx);
  const b = evaluate(r, vars, ctx);
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
      return order('_<_', a, b) < 0;
    case '<=':
      return order('_<=_', a, b) <= 0;
    case '>':
      return order('_>_', a, b) > 0;
    case '>=':
      return order('_>=_', a, b) >= 0;
    case 'in':
      if (Array.isArray(b)) return b.some((x) => equals(a, ctx.lift(x)));
      if (isMap(b)) return String(a) in b;
      throw noOverload('@in', a, b);
    default:
      return arithmetic(op, a, b);
  }
}

function call(node: Extract<Node, { type: 'call' }>, vars: Activation, ctx: Context): Value {
  const { fn, target, args } = node;
  if (fn === 'has' && !target) {
    const arg = args[0];
    if (args.length !== 1 || arg.type !== 'select') throw new CELEvalError('invalid argument to has() macro');
    const obj = evaluate(arg.target, vars, ctx);
    if (!isMap(obj)) throw noOverload('has', obj);
    return arg.field in obj && obj[arg.field] !== null && obj[arg.field] !== undefined;
  }
  if (target && macros.has(fn)) return macro(node, vars, ctx);
  // Namespaced library functions (`ip.isCanonical(s)`, `format.dns1123Label()`), unless the name is a variable.
  if (target?.type === 'ident' && !(target.name in vars) && libraryFunctionNames.has(`${target.name}.${fn}`)) {
    return callFunction({ fn: `${target.name}.${fn}`, hasReceiver: false, args: args.map((a) => evaluate(a, vars, ctx)) });
  }
  if (target?.type === 'ident' && target.name === 'optional' && !('optional' in vars)) {
    const vals = args.map((a) => evaluate(a, vars, ctx));
    if (fn === 'none') return CELOptional.none;
    if (fn === 'of') return CELOptional.of(vals[0]);
    if (fn === 'ofNonZeroValue') return isZeroValue(vals[0]) ? CELOptional.none : CELOptional.of(vals[0]);
    throw new CELEvalError(`undeclared reference to 'optional.${fn}'`);
  }
  const recv = target ? evaluate(target, vars, ctx) : undefined;
  const vals = args.map((a) => evaluate(a, vars, ctx));
  return callFunction({ fn, recv, hasReceiver: !!target, args: vals });
}

/** The zero value of each CEL type, for optional.ofNonZeroValue. */
function isZeroValue(v: Value): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

function macro(node: Extract<Node, { type: 'call' }>, vars: Activation, ctx: Context): Value {
  const { fn, args } = node;
  const range = evaluate(node.target as Node, vars, ctx);
  const v = args[0];
  if (!v || v.type !== 'ident' || args.length !== 2) throw new CELEvalError(`invalid argument to ${fn}() macro`);
  const items = Array.isArray(range) ? range.map(ctx.lift) : isMap(range) ? Object.keys(range) : undefined;
  if (!items) throw noOverload(fn, range);
  const run = (x: unknown) => {
    if (ctx.budget && --ctx.budget.remaining < 0) throw new CELEvalError('operation cancelled: actual cost limit exceeded');
    return evaluate(args[1], { ...vars, [v.name]: x }, ctx);
  };
  const predicate = (x: unknown) => {
    const r = run(x);
    if (typeof r !== 'boolean') throw noOverload(fn, r);
    return r;
  };
  switch (fn) {
    case 'all': {
      // Like && over the elements: a false wins over errors elsewhere.
      let err: unknown;
      for (const x of items) {
        try {
          if (!predicate(x)) return false;
        } catch (e) {
          if (e instanceof CELEvalError && e.message.startsWith('operation cancelled')) throw e;
          err ??= e;
        }
      }
      if (err) throw err;
      return true;
    }
    case 'exists': {
      let err: unknown;
      for (const x of items) {
        try {
          if (predicate(x)) return true;
        } catch (e) {
          if (e instanceof CELEvalError && e.message.startsWith('operation cancelled')) throw e;
          err ??= e;
        }
      }
      if (err) throw err;
      return false;
    }
    case 'exists_one':
      return items.filter(predicate).length === 1;
    case 'map':
      return items.map(run);
    default:
      return items.filter(predicate);
  }
}
