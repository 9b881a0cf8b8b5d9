// The CEL type checker (cel-go's checker over our AST): infers each expression's type from the declared variables'
// types, CEL's operator overloads and the library's signatures, and reports cel-go's errors (undefined field,
// found no matching overload…). Whatever it cannot know is dyn, and dyn never produces an error.

import type { Node } from './parser.js';
import { compatible, isKind, join, listOf, mapOf, opaque, optionalOf, T, typeName, type CELType } from './types.js';

export interface CheckIssue {
  /** Offset into the source the error points at. */
  pos: number;
  text: string;
}

export interface CheckResult {
  /** The expression's type (dyn when unknown). */
  type: CELType;
  issues: CheckIssue[];
  /** Every node's type, for cost estimation. */
  types: Map<Node, CELType>;
}

const numeric = ['int', 'uint', 'double'] as const;

/** Type checks a parsed expression against the declared variables' types. */
export function checkCEL(program: Node, variables: Readonly<Record<string, CELType>>): CheckResult {
  const issues: CheckIssue[] = [];
  const types = new Map<Node, CELType>();
  const type = typeOf(program, new Map(Object.entries(variables)), { issues, at: 0, types });
  return { type, issues, types };
}

interface Ctx {
  issues: CheckIssue[];
  types: Map<Node, CELType>;
  /** The position of the nearest enclosing node that has one, for nodes without their own. */
  at: number;
}

function noOverload(ctx: Ctx, pos: number | undefined, fn: string, args: CELType[], receiver?: CELType): CELType {
  const list = `(${args.map(typeName).join(', ')})`;
  ctx.issues.push({ pos: pos ?? ctx.at, text: `found no matching overload for '${fn}' applied to '${receiver ? `${typeName(receiver)}.` : ''}${list}'` });
  return T.dyn;
}

function typeOf(n: Node, scope: ReadonlyMap<string, CELType>, ctx: Ctx): CELType {
  const t = nodeType(n, scope, ctx);
  ctx.types.set(n, t);
  return t;
}

function nodeType(n: Node, scope: ReadonlyMap<string, CELType>, ctx: Ctx): CELType {
  const pos = 'pos' in n && n.pos !== undefined ? n.pos : ctx.at;
  const sub = (x: Node, s: ReadonlyMap<string, CELType> = scope) => typeOf(x, s, { ...ctx, at: pos });
  switch (n.type) {
    case 'lit':
      return literalType(n.value);
    case 'ident':
      return scope.get(n.name) ?? T.dyn;
    case 'select': {
      const target = sub(n.target);
      if (target.kind === 'optional') return optionalOf(selectField(target.inner, n.field, pos, ctx));
      const field = selectField(target, n.field, pos, ctx);
      return n.optional ? optionalOf(field) : field;
    }
    case 'index': {
      const target = sub(n.target);
      const key = sub(n.index);
      if (target.kind === 'optional') return optionalOf(indexType(target.inner, key, pos, ctx));
      const elem = indexType(target, key, pos, ctx);
      return n.optional ? optionalOf(elem) : elem;
    }
    case 'list': {
      let elem: CELType = T.dyn;
      n.items.forEach((item, i) => (elem = aggregate(elem, sub(item), i, pos, ctx)));
      return listOf(elem);
    }
    case 'map': {
      let key: CELType = T.dyn;
      let value: CELType = T.dyn;
      n.entries.forEach(([k, v], i) => {
        key = aggregate(key, sub(k), i, pos, ctx);
        value = aggregate(value, sub(v), i, pos, ctx);
      });
      return mapOf(key, value);
    }
    case 'struct':
      n.fields.forEach((f) => sub(f.value));
      return T.dyn;
    case 'unary': {
      const arg = sub(n.arg);
      if (n.op === '!') return isKind(arg, 'bool') ? T.bool : noOverload(ctx, pos, '!_', [arg]);
      return isKind(arg, 'int', 'double') ? arg : noOverload(ctx, pos, '-_', [arg]);
    }
    case 'binary':
      return binaryType(n.op, sub(n.left), sub(n.right), pos, ctx);
    case 'cond': {
      const test = sub(n.test);
      const a = sub(n.then);
      const b = sub(n.else);
      if (!isKind(test, 'bool') || !compatible(a, b)) return noOverload(ctx, pos, '_?_:_', [test, a, b]);
      return join(a, b);
    }
    case 'call':
      return callType(n, scope, pos, ctx);
  }
}

function literalType(v: unknown): CELType {
  if (typeof v === 'bigint') return T.int;
  if (typeof v === 'number') return T.double;
  if (typeof v === 'string') return T.string;
  if (typeof v === 'boolean') return T.bool;
  if (v === null) return T.null;
  if (v instanceof Uint8Array) return T.bytes;
  return T.dyn;
}

/** The element type of a list or map literal so far, with cel-go's error for mixed scalar types. */
function aggregate(sofar: CELType, next: CELType, i: number, pos: number, ctx: Ctx): CELType {
  if (i === 0) return next;
  if (compatible(sofar, next)) return join(sofar, next);
  ctx.issues.push({
    pos,
    text: `type '${typeName(next)}' does not match previous type '${typeName(sofar)}' in aggregate. Use 'dyn(x)' to make the aggregate dynamic.`,
  });
  return T.dyn;
}

function selectField(target: CELType, field: string, pos: number, ctx: Ctx): CELType {
  switch (target.kind) {
    case 'dyn':
      return T.dyn;
    case 'object': {
      const t = target.fields.get(field);
      if (t) return t;
      // Escaped property names (`foo__dash__bar`) and preserve-unknown-fields objects: unknown, so dyn.
      if (target.open || field.includes('__')) return T.dyn;
      ctx.issues.push({ pos, text: `undefined field '${field}'` });
      return T.dyn;
    }
    case 'map':
      return isKind(target.key, 'string') ? target.value : T.dyn;
    default:
      ctx.issues.push({ pos, text: `type '${typeName(target)}' does not support field selection` });
      return T.dyn;
  }
}

function indexType(target: CELType, key: CELType, pos: number, ctx: Ctx): CELType {
  switch (target.kind) {
    case 'dyn':
    case 'object':
      return T.dyn;
    case 'list':
      return isKind(key, 'int', 'uint') ? target.elem : noOverload(ctx, pos, '_[_]', [target, key]);
    case 'map':
      return compatible(target.key, key) ? target.value : noOverload(ctx, pos, '_[_]', [target, key]);
    default:
      return noOverload(ctx, pos, '_[_]', [target, key]);
  }
}

const comparable = ['string', 'bytes', 'bool', 'timestamp', 'duration'] as const;

function binaryType(op: string, a: CELType, b: CELType, pos: number, ctx: Ctx): CELType {
  const fn = op === 'in' ? '@in' : `_${op}_`;
  const fail = () => noOverload(ctx, pos, fn, [a, b]);
  const either = a.kind === 'dyn' ? b : a;
  const bothDyn = a.kind === 'dyn' && b.kind === 'dyn';
  switch (op) {
    case '&&':
    case '||':
      return isKind(a, 'bool') && isKind(b, 'bool') ? T.bool : fail();
    case '==':
    case '!=':
      return compatible(a, b) ? T.bool : fail();
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (a.kind === 'dyn' || b.kind === 'dyn') return isKind(either, ...numeric, ...comparable) ? T.bool : fail();
      if (isKind(a, ...numeric) && isKind(b, ...numeric)) return T.bool;
      return a.kind === b.kind && isKind(a, ...comparable) ? T.bool : fail();
    }
    case 'in':
      if (b.kind === 'list') return compatible(a, b.elem) ? T.bool : fail();
      if (b.kind === 'map') return compatible(a, b.key) ? T.bool : fail();
      return isKind(b, 'object') ? T.bool : fail();
    case '+':
      if (bothDyn) return T.dyn;
      if (isKind(a, 'timestamp') && isKind(b, 'duration') && either.kind === 'timestamp') return T.timestamp;
      if (isKind(a, 'duration') && isKind(b, 'timestamp') && b.kind === 'timestamp') return T.timestamp;
      if (a.kind === 'list' && b.kind === 'list') return compatible(a.elem, b.elem) ? listOf(join(a.elem, b.elem)) : fail();
      return compatible(a, b) && isKind(either, ...numeric, 'string', 'bytes', 'duration', 'list') ? either : fail();
    case '-':
      if (bothDyn) return T.dyn;
      if (a.kind === 'timestamp' && isKind(b, 'timestamp', 'duration')) return b.kind === 'duration' ? T.timestamp : b.kind === 'timestamp' ? T.duration : T.dyn;
      return compatible(a, b) && isKind(either, ...numeric, 'duration') ? either : fail();
    case '*':
    case '/':
      return compatible(a, b) && isKind(either, ...numeric) ? either : fail();
    case '%':
      return compatible(a, b) && isKind(either, 'int', 'uint') ? either : fail();
    default:
      return T.dyn;
  }
}

const quantity = opaque('kubernetes.Quantity');
const ip = opaque('net.IP');
const cidr = opaque('net.CIDR');
const url = opaque('kubernetes.URL');
const format = opaque('kubernetes.NamedFormat');

/**
 * A library function's result for a receiver (undefined for global calls) and arguments; undefined when no
 * overload matches. Functions not listed here are dyn.
 */
type Signature = (recv: CELType | undefined, args: CELType[]) => CELType | undefined;

const on =
  (recvKinds: CELType['kind'][], result: CELType | ((recv: CELType) => CELType), argKinds?: CELType['kind'][]): Signature =>
  (recv, args) => {
    if (!recv || !isKind(recv, ...recvKinds)) return undefined;
    if (argKinds && !args.every((a) => isKind(a, ...argKinds))) return undefined;
    return typeof result === 'function' ? result(recv) : result;
  };
const stringMethod = (result: CELType, argKinds: CELType['kind'][] = ['string', 'int']) => on(['string'], result, argKinds);
const elemOf = (t: CELType) => (t.kind === 'list' ? t.elem : T.dyn);
const innerOf = (t: CELType) => (t.kind === 'optional' ? t.inner : T.dyn);
const conversion = (result: CELType): Signature => (recv, args) => (recv || args.length !== 1 ? undefined : result);

const signatures: Record<string, Signature> = {
  size: (recv, args) => (isKind(recv ?? args[0] ?? T.dyn, 'string', 'bytes', 'list', 'map', 'object') ? T.int : undefined),
  startsWith: stringMethod(T.bool, ['string']),
  endsWith: stringMethod(T.bool, ['string']),
  contains: stringMethod(T.bool, ['string']),
  matches: (recv, args) => (isKind(recv ?? args[0] ?? T.dyn, 'string') && args.every((a) => isKind(a, 'string')) ? T.bool : undefined),
  lowerAscii: stringMethod(T.string),
  upperAscii: stringMethod(T.string),
  trim: stringMethod(T.string),
  replace: stringMethod(T.string),
  substring: stringMethod(T.string),
  charAt: stringMethod(T.string),
  split: stringMethod(listOf(T.string)),
  find: stringMethod(T.string, ['string']),
  findAll: stringMethod(listOf(T.string)),
  join: on(['list'], T.string, ['string']),
  indexOf: on(['string', 'list'], T.int),
  lastIndexOf: on(['string', 'list'], T.int),
  isSorted: on(['list'], T.bool),
  sum: on(['list'], elemOf),
  min: on(['list'], elemOf),
  max: on(['list'], elemOf),
  int: conversion(T.int),
  uint: conversion(T.uint),
  double: conversion(T.double),
  string: conversion(T.string),
  bool: conversion(T.bool),
  bytes: conversion(T.bytes),
  duration: conversion(T.duration),
  timestamp: conversion(T.timestamp),
  type: conversion(T.type),
  dyn: conversion(T.dyn),
  hasValue: on(['optional'], T.bool),
  value: on(['optional'], innerOf),
  orValue: on(['optional'], innerOf),
  or: on(['optional'], (r) => r),
  quantity: conversion(quantity),
  isQuantity: conversion(T.bool),
  ip: conversion(ip),
  isIP: conversion(T.bool),
  cidr: conversion(cidr),
  isCIDR: conversion(T.bool),
  url: conversion(url),
  isURL: conversion(T.bool),
  'jsonpatch.escapeKey': conversion(T.string),
  'ip.isCanonical': conversion(T.bool),
  validate: on(['opaque'], optionalOf(listOf(T.string))),
  getQuery: on(['opaque'], mapOf(T.string, listOf(T.string))),
};
for (const name of ['getFullYear', 'getMonth', 'getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds']) {
  signatures[name] = on(['timestamp', 'duration'], T.int, ['string']);
}
for (const name of ['sign', 'asInteger', 'compareTo', 'family', 'prefixLength']) signatures[name] = on(['opaque'], T.int);
for (const name of ['isInteger', 'isGreaterThan', 'isLessThan', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast', 'containsIP', 'containsCIDR']) {
  signatures[name] = on(['opaque'], T.bool);
}
for (const name of ['getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath']) signatures[name] = on(['opaque'], T.string);
signatures.asApproximateFloat = on(['opaque'], T.double);
signatures.add = on(['opaque'], quantity);
signatures.sub = on(['opaque'], quantity);
signatures.masked = on(['opaque'], cidr);
for (const name of ['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName', 'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uuid', 'byte', 'date', 'datetime', 'uri']) {
  signatures[`format.${name}`] = () => format;
}
signatures['format.named'] = () => optionalOf(format);

function callType(n: Extract<Node, { type: 'call' }>, scope: ReadonlyMap<string, CELType>, pos: number, ctx: Ctx): CELType {
  const sub = (x: Node, s: ReadonlyMap<string, CELType> = scope) => typeOf(x, s, { ...ctx, at: pos });
  if (n.fn === 'has' && !n.target) {
    const arg = n.args[0];
    if (arg?.type === 'select') selectField(sub(arg.target), arg.field, arg.pos ?? pos, ctx);
    return T.bool;
  }
  if (n.target && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(n.fn) && n.args[0]?.type === 'ident') {
    return macroType(n, sub(n.target), scope, pos, ctx);
  }
  // Namespaced functions (`optional.of`, `format.dns1123Label`, `ip.isCanonical`) unless the name is a variable.
  if (n.target?.type === 'ident' && !scope.has(n.target.name)) {
    const args = n.args.map((a) => sub(a));
    if (n.target.name === 'optional') return n.fn === 'none' ? optionalOf(T.dyn) : optionalOf(args[0] ?? T.dyn);
    return signatures[`${n.target.name}.${n.fn}`]?.(undefined, args) ?? T.dyn;
  }
  const recv = n.target ? sub(n.target) : undefined;
  const args = n.args.map((a) => sub(a));
  const sig = signatures[n.fn];
  if (!sig) return T.dyn;
  // A dyn receiver or argument may be anything at runtime: only a definite mismatch is an error.
  const result = sig(recv, args);
  if (result) return result;
  if (recv?.kind === 'dyn' || (recv === undefined && args.some((a) => a.kind === 'dyn'))) return T.dyn;
  return noOverload(ctx, pos, n.fn, args, recv);
}

function macroType(n: Extract<Node, { type: 'call' }>, range: CELType, scope: ReadonlyMap<string, CELType>, pos: number, ctx: Ctx): CELType {
  let elem: CELType;
  if (range.kind === 'list') elem = range.elem;
  else if (range.kind === 'map') elem = range.key;
  else if (range.kind === 'dyn' || range.kind === 'object') elem = T.dyn;
  else {
    ctx.issues.push({ pos, text: `expression of type '${typeName(range)}' cannot be range of a comprehension (must be list, map, or dynamic)` });
    elem = T.dyn;
  }
  const inner = new Map(scope);
  inner.set((n.args[0] as { name: string }).name, elem);
  const bodies = n.args.slice(1).map((a) => typeOf(a, inner, { ...ctx, at: pos }));
  const predicate = bodies[0] ?? T.dyn;
  switch (n.fn) {
    case 'all':
    case 'exists':
      if (!isKind(predicate, 'bool')) noOverload(ctx, pos, n.fn === 'all' ? '_&&_' : '_||_', [T.bool, predicate]);
      return T.bool;
    case 'exists_one':
      if (!isKind(predicate, 'bool')) noOverload(ctx, pos, '_?_:_', [predicate, T.int, T.int]);
      return T.bool;
    case 'filter':
      if (!isKind(predicate, 'bool')) noOverload(ctx, pos, '_?_:_', [predicate, listOf(elem), listOf(elem)]);
      return listOf(elem);
    default:
      // map(x, e) or map(x, p, e).
      if (bodies.length === 2 && !isKind(predicate, 'bool')) noOverload(ctx, pos, '_?_:_', [predicate, T.dyn, T.dyn]);
      return listOf(bodies[bodies.length - 1] ?? T.dyn);
  }
}
