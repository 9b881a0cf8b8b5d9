// Compiling a CEL expression: parse, then check that every free variable is declared and every function is one
// the evaluator implements, so bad rules fail when they are written (a CRD is created), not per request.

import { celFunctionNames, optionalNamespaceFunctions } from './evaluate.js';
import { CELSyntaxError, parseCEL, type Node } from './parser.js';

export interface CompileResult {
  /** The parsed program when it compiled. */
  program?: Node;
  /** cel-go style error text when it did not: `ERROR: <input>:…: undeclared reference to 'x'`. */
  error?: string;
  /** Declared variables the expression reads (e.g. whether a rule uses `oldSelf`). */
  uses: Set<string>;
}

/** Parses and checks `src` against the declared variable names. */
export function compileCEL(src: string, opts: { variables: readonly string[] }): CompileResult {
  const uses = new Set<string>();
  let program: Node;
  try {
    program = parseCEL(src);
  } catch (e) {
    if (e instanceof CELSyntaxError) return { error: `ERROR: <input>: ${e.message}`, uses };
    throw e;
  }
  const problems: string[] = [];
  const walk = (n: Node, bound: ReadonlySet<string>): void => {
    switch (n.type) {
      case 'lit':
        return;
      case 'ident':
        if (bound.has(n.name)) return;
        if (opts.variables.includes(n.name)) uses.add(n.name);
        else problems.push(`undeclared reference to '${n.name}' (in container '')`);
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
        if (n.target?.type === 'ident' && n.target.name === 'ip' && n.fn === 'isCanonical' && !opts.variables.includes('ip')) {
          return n.args.forEach((a) => walk(a, bound));
        }
        if (n.target?.type === 'ident' && n.target.name === 'optional' && !opts.variables.includes('optional')) {
          if (!optionalNamespaceFunctions.has(n.fn)) problems.push(`undeclared reference to 'optional.${n.fn}' (in container '')`);
          return n.args.forEach((a) => walk(a, bound));
        }
        if (!celFunctionNames.has(n.fn)) problems.push(`undeclared reference to '${n.fn}' (in container '')`);
        if (n.fn === 'has' && !n.target) {
          if (n.args.length !== 1 || n.args[0].type !== 'select') problems.push('invalid argument to has() macro');
          else walk(n.args[0].target, bound);
          return;
        }
        if (n.target) walk(n.target, bound);
        const isMacro = n.target && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(n.fn);
        if (isMacro) {
          const v = n.args[0];
          if (n.args.length !== 2 || v?.type !== 'ident') {
            problems.push(`invalid argument to ${n.fn}() macro`);
            return;
          }
          return walk(n.args[1], new Set([...bound, v.name]));
        }
        return n.args.forEach((a) => walk(a, bound));
      }
    }
  };
  walk(program, new Set());
  if (problems.length > 0) return { error: problems.map((p) => `ERROR: <input>: ${p}`).join('\n'), uses };
  return { program, uses };
}
