// Static cost estimation of a type-checked CEL expression (cel-go's cost estimator): the worst-case cost from the
// sizes the types declare (a schema's maxLength/maxItems/maxProperties, else what fits in a request), so rules
// too expensive to run are refused when they are written.

import type { Node } from './parser.js';
import type { CELType } from './types.js';

/** Unbounded strings and collections are sized as a whole request body (3 MiB). */
const unboundedSize = 3 * 1024 * 1024;
/** Cost per byte of functions that traverse a string (cel-go's StringTraversalCostFactor). */
const stringTraversalFactor = 0.1;
/** Cost per byte of a regular expression's pattern (cel-go's RegexStringLengthCostFactor). */
const regexPatternFactor = 0.25;

const traversesReceiver = new Set(['contains', 'lowerAscii', 'upperAscii', 'trim', 'replace', 'split', 'substring', 'charAt', 'indexOf', 'lastIndexOf', 'string', 'bytes', 'url', 'isURL', 'ip', 'isIP', 'cidr', 'isCIDR', 'quantity', 'isQuantity']);
const traversesArgument = new Set(['startsWith', 'endsWith']);
const regexFunctions = new Set(['matches', 'find', 'findAll']);
/** String functions whose result is no longer than their receiver. */
const sizePreserving = new Set(['substring', 'lowerAscii', 'upperAscii', 'trim', 'charAt']);
const listTraversals = new Set(['isSorted', 'sum', 'min', 'max', 'join', 'indexOf', 'lastIndexOf']);

interface Estimate {
  cost: number;
  /** Worst-case size of the value (bytes of a string, items of a list, entries of a map); undefined when unsized. */
  size?: number;
}

/** The worst-case cost of evaluating `program` given every node's checked type (checkCEL's `types`). */
export function estimateCost(program: Node, types: ReadonlyMap<Node, CELType>): number {
  return estimate(program, types).cost;
}

function declaredSize(t: CELType | undefined): number | undefined {
  if (!t) return undefined;
  if (t.kind === 'string' || t.kind === 'bytes' || t.kind === 'list' || t.kind === 'map') return t.maxSize ?? unboundedSize;
  return undefined;
}

const traversal = (size: number | undefined, factor = stringTraversalFactor) => 1 + Math.ceil((size ?? unboundedSize) * factor);

function estimate(n: Node, types: ReadonlyMap<Node, CELType>): Estimate {
  const est = (x: Node) => estimate(x, types);
  const type = types.get(n);
  switch (n.type) {
    case 'lit':
      return { cost: 0, size: typeof n.value === 'string' ? Buffer.byteLength(n.value) : n.value instanceof Uint8Array ? n.value.length : undefined };
    case 'ident':
      return { cost: 1, size: declaredSize(type) };
    case 'select':
    case 'index': {
      const target = est(n.target);
      const index = n.type === 'index' ? est(n.index).cost : 0;
      return { cost: 1 + target.cost + index, size: declaredSize(type) };
    }
    case 'list':
      return { cost: 10 + sum(n.items.map((i) => est(i).cost)), size: n.items.length };
    case 'map':
      return { cost: 30 + sum(n.entries.map(([k, v]) => est(k).cost + est(v).cost)), size: n.entries.length };
    case 'struct':
      return { cost: 40 + sum(n.fields.map((f) => est(f.value).cost)) };
    case 'unary':
      return { cost: 1 + est(n.arg).cost, size: declaredSize(type) };
    case 'cond': {
      const a = est(n.then);
      const b = est(n.else);
      return { cost: est(n.test).cost + Math.max(a.cost, b.cost), size: maxOf(a.size, b.size) };
    }
    case 'binary':
      return binary(n, est(n.left), est(n.right), types);
    case 'call':
      return call(n, types);
  }
}

function binary(n: Extract<Node, { type: 'binary' }>, l: Estimate, r: Estimate, types: ReadonlyMap<Node, CELType>): Estimate {
  const operands = l.cost + r.cost;
  const leftType = types.get(n.left)?.kind;
  const sized = leftType === 'string' || leftType === 'bytes';
  switch (n.op) {
    case '&&':
    case '||':
      return { cost: operands };
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { cost: operands + (sized ? traversal(minOf(l.size, r.size)) : 1) };
    case '+': {
      const size = l.size !== undefined && r.size !== undefined ? l.size + r.size : undefined;
      return { cost: operands + (sized || leftType === 'list' ? traversal(size) : 1), size };
    }
    case 'in':
      return { cost: operands + (types.get(n.right)?.kind === 'list' ? 1 + (r.size ?? unboundedSize) : 1) };
    default:
      return { cost: operands + 1 };
  }
}

function call(n: Extract<Node, { type: 'call' }>, types: ReadonlyMap<Node, CELType>): Estimate {
  const est = (x: Node) => estimate(x, types);
  if (n.fn === 'has' && !n.target) {
    const arg = n.args[0];
    return { cost: 1 + (arg?.type === 'select' ? est(arg.target).cost : 0) };
  }
  if (n.target && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(n.fn) && n.args[0]?.type === 'ident') {
    const range = est(n.target);
    const iterations = range.size ?? unboundedSize;
    const body = sum(n.args.slice(1).map((a) => est(a).cost));
    // Per iteration: the loop condition and accumulator reads, the body, and for map/filter appending to the result.
    const perIteration = n.fn === 'map' || n.fn === 'filter' ? body + 13 : n.fn === 'exists_one' ? body + 3 : body + 2;
    const init = n.fn === 'map' || n.fn === 'filter' ? 10 : 0;
    return { cost: saturate(range.cost + init + iterations * perIteration + 1), size: n.fn === 'map' || n.fn === 'filter' ? range.size : undefined };
  }
  const receiver = n.target ? est(n.target) : undefined;
  const args = n.args.map(est);
  const operands = (receiver?.cost ?? 0) + sum(args.map((a) => a.cost));
  const subject = receiver ?? args[0];
  const subjectKind = types.get(n.target ?? n.args[0])?.kind;
  let own = 1;
  if (regexFunctions.has(n.fn)) {
    const pattern = n.target ? args[0] : args[1];
    // Linear in the string (one more byte, so an empty one still costs); the pattern counts a state per 4 characters.
    own = Math.ceil(((subject?.size ?? unboundedSize) + 1) * stringTraversalFactor) * Math.ceil((pattern?.size ?? unboundedSize) * regexPatternFactor);
  } else if (traversesArgument.has(n.fn)) own = traversal(args[0]?.size);
  else if (listTraversals.has(n.fn) && subjectKind === 'list') own = 1 + (subject?.size ?? unboundedSize);
  else if (traversesReceiver.has(n.fn) && (subjectKind === 'string' || subjectKind === 'bytes')) own = traversal(subject?.size);
  const size = sizePreserving.has(n.fn) && subject?.size !== undefined ? subject.size : declaredSize(types.get(n));
  return { cost: saturate(operands + own), size };
}

const sum = (xs: number[]) => saturate(xs.reduce((a, b) => a + b, 0));
const saturate = (x: number) => Math.min(x, Number.MAX_SAFE_INTEGER);
const minOf = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxOf = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : Math.max(a, b));
