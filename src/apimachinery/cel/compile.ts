// Compiling a CEL expression: parse, check that every free variable is declared and every function is one the
// evaluator implements, and (given the variables' types) type check, so bad rules fail when they are written.

import { celFunctionNames, optionalNamespaceFunctions } from './evaluate.js';
import { libraryFunctionNames, regexpError } from './library.js';
import { checkCEL } from './check.js';
import { CELSyntaxError, parseCEL, type Node } from './parser.js';
import type { CELType } from './types.js';

export interface CompileResult {
  /** The parsed program when it compiled. */
  program?: Node;
  /** cel-go style error text when it did not: `ERROR: <input>:…: undeclared reference to 'x'`. */
  error?: string;
  /** Declared variables the expression reads (e.g. whether a rule uses `oldSelf`). */
  uses: Set<string>;
  /** The expression's type when `types` were given and it type checked (dyn when unknown). */
  type?: CELType;
  /** Every node's checked type (with `types`), for cost estimation. */
  nodeTypes?: Map<Node, CELType>;
}

/** Parses and checks `src` against the declared variable names. */
export function compileCEL(src: string, opts: { variables: readonly string[]; types?: Readonly<Record<string, CELType>> }): CompileResult {
  const uses = new Set<string>();
  let program: Node;
  try {
    program = parseCEL(src);
  } catch (e) {
    if (e instanceof CELSyntaxError) return { error: located(src, e.pos, `Syntax error: ${e.detail}`), uses };
    throw e;
  }
  const problems: string[] = [];
  const problem = (pos: number | undefined, text: string) => problems.push(located(src, pos ?? 0, text));
  const walk = (n: Node, bound: ReadonlySet<string>): void => {
    switch (n.type) {
      case 'lit':
        return;
      case 'ident':
        if (bound.has(n.name)) return;
        if (opts.variables.includes(n.name)) uses.add(n.name);
        else problem(n.pos, `undeclared reference to '${n.name}' (in container '')`);
        return;
      case 'select':
        return walk(n.target, bound);
      case 'index':
        walk(n.target, bound);
        return walk(n.index, bound);
      case 'list':
        return n.items.forEach((i) => walk(i, bound));
      case 'map':
        return n.entries.forEach(([k, v]) => {
          walk(k, bound);
          walk(v, bound);
        });
      case 'struct':
        return n.fields.forEach((f) => walk(f.value, bound));
      case 'unary':
        return walk(n.arg, bound);
      case 'binary':
        walk(n.left, bound);
        return walk(n.right, bound);
      case 'cond':
        walk(n.test, bound);
        walk(n.then, bound);
        return walk(n.else, bound);
      case 'call': {
        if (n.target?.type === 'ident' && !opts.variables.includes(n.target.name) && libraryFunctionNames.has(`${n.target.name}.${n.fn}`)) {
          return n.args.forEach((a) => walk(a, bound));
        }
        if (n.target?.type === 'ident' && n.target.name === 'optional' && !opts.variables.includes('optional')) {
          if (!optionalNamespaceFunctions.has(n.fn)) problem(n.pos, `undeclared reference to 'optional.${n.fn}' (in container '')`);
          return n.args.forEach((a) => walk(a, bound));
        }
        if (!celFunctionNames.has(n.fn)) problem(n.pos, `undeclared reference to '${n.fn}' (in container '')`);
        if (n.fn === 'has' && !n.target) {
          if (n.args.length !== 1 || n.args[0].type !== 'select') problem(n.pos, 'invalid argument to has() macro');
          else walk(n.args[0].target, bound);
          return;
        }
        // A literal pattern that cannot compile fails the expression now, as cel-go's regex precompilation does.
        const patternArg = ['matches', 'find', 'findAll'].includes(n.fn) ? n.args[n.target || n.fn !== 'matches' ? 0 : 1] : undefined;
        if (patternArg?.type === 'lit' && typeof patternArg.value === 'string') {
          const why = regexpError(patternArg.value);
          if (why) problem(n.pos, why);
        }
        if (n.target) walk(n.target, bound);
        const isMacro = n.target && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(n.fn);
        if (isMacro) {
          const v = n.args[0];
          if (n.args.length !== 2 || v?.type !== 'ident') {
            problem(n.pos, `invalid argument to ${n.fn}() macro`);
            return;
          }
          return walk(n.args[1], new Set([...bound, v.name]));
        }
        return n.args.forEach((a) => walk(a, bound));
      }
    }
  };
  walk(program, new Set());
  if (problems.length > 0) return { error: problems.join('\n'), uses };
  if (!opts.types) return { program, uses };
  // Type checking (cel-go's checker): variables without a declared type are dyn.
  const checked = checkCEL(program, opts.types);
  if (checked.issues.length > 0) return { error: checked.issues.map((i) => located(src, i.pos, i.text)).join('\n'), uses };
  return { program, uses, type: checked.type, nodeTypes: checked.types };
}

/** cel-go's error layout: `ERROR: <input>:line:column: text`, then the source line and a caret under the column. */
function located(src: string, pos: number, text: string): string {
  const before = src.slice(0, pos).split('\n');
  const line = before.length;
  const col = before[before.length - 1].length;
  const sourceLine = src.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${col + 1}: ${text}\n | ${sourceLine}\n | ${'.'.repeat(col)}^`;
}
