// A parser for CEL (the Common Expression Language, cel-spec langdef): literals (ints, uints, doubles, strings
// with escapes, raw and triple-quoted strings, bytes), lists, maps, member and index access including the
// optional forms `.?f` and `[?k]`, function and method calls, message construction (`Object{spec:
// Object.spec{replicas: 3}}`, fields optional with `?f:`), the operators with CEL's precedence, the
// conditional, and macros (has, all, exists, exists_one, map, filter). Errors name the offset.

export type Node =
  | { type: 'lit'; value: unknown }
  | { type: 'ident'; name: string; pos?: number }
  | { type: 'select'; target: Node; field: string; optional?: boolean; pos?: number }
  | { type: 'index'; target: Node; index: Node; optional?: boolean; pos?: number }
  | { type: 'call'; target?: Node; fn: string; args: Node[]; pos?: number }
  | { type: 'list'; items: Node[]; pos?: number }
  | { type: 'map'; entries: Array<[Node, Node]>; pos?: number }
  | { type: 'struct'; typeName: string; fields: Array<{ name: string; value: Node; optional?: boolean }> }
  | { type: 'unary'; op: '!' | '-'; arg: Node; pos?: number }
  | { type: 'binary'; op: string; left: Node; right: Node; pos?: number }
  | { type: 'cond'; test: Node; then: Node; else: Node };

interface Token {
  kind: 'num' | 'str' | 'ident' | 'op' | 'eof';
  text: string;
  value?: unknown;
  pos: number;
}

export class CELSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly pos: number,
  ) {
    super(`Syntax error: ${detail} (at ${pos})`);
    this.name = 'CELSyntaxError';
  }
}

const operators = ['.?', '[?', '&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];
const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const start = i;
    // String prefixes: r (raw), b (bytes), in either order and case.
    const prefix = /^(?:[rR][bB]?|[bB][rR]?)(?=["'])/.exec(src.slice(i, i + 3))?.[0] ?? '';
    const raw = /[rR]/.test(prefix);
    const bytes = /[bB]/.test(prefix);
    if (c === '"' || c === "'" || prefix) {
      i += prefix.length;
      const q = src[i];
      const triple = src.startsWith(q.repeat(3), i);
      const end = triple ? q.repeat(3) : q;
      i += end.length;
      let s = '';
      // Bytes literals: \x and octal escapes are single bytes, everything else its UTF-8 encoding.
      const byteParts: number[] = [];
      const flush = () => {
        if (bytes) byteParts.push(...new TextEncoder().encode(s));
        if (bytes) s = '';
      };
      for (;;) {
        if (i >= src.length) throw new CELSyntaxError('unterminated string', start);
        if (src.startsWith(end, i)) {
          i += end.length;
          break;
        }
        if (src[i] === '\\' && !raw) {
          const e = src[i + 1];
          if (e === 'u' || e === 'U' || e === 'x' || e === 'X') {
            const len = e === 'u' ? 4 : e === 'U' ? 8 : 2;
            const hex = src.slice(i + 2, i + 2 + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new CELSyntaxError(`invalid escape \\${e}${hex}`, i);
            if (bytes && (e === 'x' || e === 'X')) {
              flush();
              byteParts.push(parseInt(hex, 16));
            } else {
              s += String.fromCodePoint(parseInt(hex, 16));
            }
            i += 2 + len;
          } else if (/[0-3]/.test(e) && /^[0-7]{2}$/.test(src.slice(i + 2, i + 4))) {
            if (bytes) {
              flush();
              byteParts.push(parseInt(src.slice(i + 1, i + 4), 8));
            } else {
              s += String.fromCodePoint(parseInt(src.slice(i + 1, i + 4), 8));
            }
            i += 4;
          } else if (escapes[e] !== undefined) {
            s += escapes[e];
            i += 2;
          } else {
            throw new CELSyntaxError(`invalid escape \\${e}`, i);
          }
          continue;
        }
        s += src[i++];
      }
      flush();
      out.push({ kind: 'str', text: src.slice(start, i), value: bytes ? new Uint8Array(byteParts) : s, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)(u|U)?/.exec(src.slice(i))!;
      const text = m[0];
      const body = m[1];
      const isDouble = !body.startsWith('0x') && /[.eE]/.test(body);
      const value = isDouble ? Number(body) : BigInt(body);
      // 9223372036854775808 is only valid negated; unary minus folds it and checks again.
      if (typeof value === 'bigint' && value > (m[2] ? 18446744073709551615n : 9223372036854775808n)) throw new CELSyntaxError(`invalid int literal ${text}`, start);
      out.push({ kind: 'num', text, value, pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = operators.find((o) => src.startsWith(o, i));
    if (!op) throw new CELSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
    out.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

/** Parses one CEL expression; throws CELSyntaxError. */
export function parseCEL(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const isOp = (text: string) => peek().kind === 'op' && peek().text === text;
  const expect = (text: string) => {
    if (!isOp(text)) throw new CELSyntaxError(`expected ${JSON.stringify(text)}, found ${JSON.stringify(peek().text || 'end of input')}`, peek().pos);
    return next();
  };

  function expr(): Node {
    const test = binary(0);
    if (!isOp('?')) return test;
    next();
    const then = binary(0);
    expect(':');
    return { type: 'cond', test, then, else: expr() };
  }

  // Precedence, lowest first.
  const levels: string[][] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>=', 'in'], ['+', '-'], ['*', '/', '%']];
  function binary(level: number): Node {
    if (level === levels.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      const op = t.kind === 'op' || (t.kind === 'ident' && t.text === 'in') ? t.text : '';
      if (!levels[level].includes(op)) return left;
      next();
      left = { type: 'binary', op, left, right: binary(level + 1), pos: t.pos };
    }
  }

  function unary(): Node {
    if (isOp('!') || isOp('-')) {
      const opToken = next();
      const op = opToken.text as '!' | '-';
      const arg = unary();
      if (op === '-' && arg.type === 'lit' && typeof arg.value === 'number') return { type: 'lit', value: -arg.value };
      if (op === '-' && arg.type === 'lit' && typeof arg.value === 'bigint') return { type: 'lit', value: -arg.value };
      return { type: 'unary', op, arg, pos: opToken.pos };
    }
    return member();
  }

  function args(close: string): Node[] {
    const out: Node[] = [];
    if (isOp(close)) {
      next();
      return out;
    }
    for (;;) {
      out.push(expr());
      if (isOp(',')) {
        next();
        if (isOp(close)) break;
        continue;
      }
      break;
    }
    expect(close);
    return out;
  }

  function member(): Node {
    let node = primary();
    for (;;) {
      if (isOp('.') || isOp('.?')) {
        const dot = next();
        const optional = dot.text === '.?';
        const id = next();
        if (id.kind !== 'ident') throw new CELSyntaxError('expected a field name', id.pos);
        if (optional) {
          node = { type: 'select', target: node, field: id.text, optional, pos: dot.pos };
        } else if (isOp('(')) {
          const pos = next().pos;
          node = { type: 'call', target: node, fn: id.text, args: args(')'), pos };
        } else {
          node = { type: 'select', target: node, field: id.text, pos: dot.pos };
        }
      } else if (isOp('{') && qualifiedName(node) !== undefined) {
        // Message construction: a (possibly dotted) type name followed by field initializers.
        next();
        const fields: Array<{ name: string; value: Node; optional?: boolean }> = [];
        while (!isOp('}')) {
          const optional = isOp('?');
          if (optional) next();
          const f = next();
          if (f.kind !== 'ident') throw new CELSyntaxError('expected a field name', f.pos);
          expect(':');
          fields.push(optional ? { name: f.text, value: expr(), optional } : { name: f.text, value: expr() });
          if (!isOp(',')) break;
          next();
        }
        expect('}');
        node = { type: 'struct', typeName: qualifiedName(node)!, fields };
      } else if (isOp('[') || isOp('[?')) {
        const open = next();
        const optional = open.text === '[?';
        const index = expr();
        expect(']');
        node = optional ? { type: 'index', target: node, index, optional, pos: open.pos } : { type: 'index', target: node, index, pos: open.pos };
      } else {
        return node;
      }
    }
  }

  /** `a.b.c` for a chain of plain selections on an identifier; undefined for any other node. */
  function qualifiedName(node: Node): string | undefined {
    if (node.type === 'ident') return node.name;
    if (node.type === 'select' && !node.optional) {
      const base = qualifiedName(node.target);
      return base === undefined ? undefined : `${base}.${node.field}`;
    }
    return undefined;
  }

  function primary(): Node {
    const t = next();
    switch (t.kind) {
      case 'num':
      case 'str':
        return { type: 'lit', value: t.value };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return { type: 'lit', value: t.text === 'true' };
        if (t.text === 'null') return { type: 'lit', value: null };
        if (isOp('(')) {
          const pos = next().pos;
          return { type: 'call', fn: t.text, args: args(')'), pos };
        }
        return { type: 'ident', name: t.text, pos: t.pos };
      case 'op':
        if (t.text === '(') {
          const e = expr();
          expect(')');
          return e;
        }
        if (t.text === '[') return { type: 'list', items: args(']'), pos: t.pos };
        if (t.text === '{') {
          const entries: Array<[Node, Node]> = [];
          while (!isOp('}')) {
            const k = expr();
            expect(':');
            entries.push([k, expr()]);
            if (!isOp(',')) break;
            next();
          }
          expect('}');
          return { type: 'map', entries, pos: t.pos };
        }
        break;
      default:
        break;
    }
    throw new CELSyntaxError(`unexpected ${JSON.stringify(t.text || 'end of input')}`, t.pos);
  }

  const root = expr();
  if (peek().kind !== 'eof') throw new CELSyntaxError(`unexpected ${JSON.stringify(peek().text)}`, peek().pos);
  return root;
}
