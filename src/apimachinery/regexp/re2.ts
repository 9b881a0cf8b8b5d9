// RE2 patterns (Go's regexp syntax, which Kubernetes uses for CRD `pattern`s and CEL's matches()) as JavaScript
// RegExps. The syntaxes mostly agree; this translates where they differ: inline flags anywhere and scoped to
// their group (`^((?i)jan|feb)`, `(?i:…)`, `(?s)`, `(?m)`), `(?P<name>…)`, `\A` and `\z`, `\Q…\E`, `\pL`,
// `\x{…}`, POSIX classes (`[[:alpha:]]`), and characters RE2 takes literally where a unicode-mode RegExp
// would refuse them (`\:`, a lone `{` or `]`). Case-insensitive scopes become explicit case classes, since
// JavaScript (Node 20) has no scoped flags. Lookaround and backreferences do not exist in RE2 and are refused.

/** A pattern RE2 would not compile; the message follows Go's `error parsing regexp: …`. */
export class RE2SyntaxError extends Error {
  constructor(detail: string) {
    super(`error parsing regexp: ${detail}`);
    this.name = 'RE2SyntaxError';
  }
}

interface Flags {
  /** i: case-insensitive. */
  fold: boolean;
  /** s: `.` matches \n too. */
  dotAll: boolean;
  /** m: ^ and $ match at line boundaries. */
  multiLine: boolean;
}

/** The characters a unicode-mode RegExp accepts after a backslash as themselves. */
const jsSyntaxChars = new Set('^$\\.*+?()[]{}|/');

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** A literal character as a RegExp atom (escaped where JavaScript needs it). */
function literal(ch: string): string {
  if (jsSyntaxChars.has(ch)) return `\\${ch}`;
  if (/[\p{L}\p{N}_ ]/u.test(ch) || ch.codePointAt(0)! > 0x7f) return ch;
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A literal inside a character class. */
function classLiteral(ch: string): string {
  if (ch === '\\' || ch === ']' || ch === '[' || ch === '^' || ch === '-') return `\\${ch}`;
  return literal(ch);
}

/** Both cases of a letter, or undefined for characters without another case. */
function otherCase(ch: string): string | undefined {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper || [...lower].length !== 1 || [...upper].length !== 1) return undefined;
  return ch === lower ? upper : lower;
}

/** Translates one RE2 pattern; throws RE2SyntaxError for what RE2 refuses. */
export function translateRE2(pattern: string): string {
  const chars = [...pattern];
  let i = 0;
  let out = '';
  const stack: Flags[] = [];
  let flags: Flags = { fold: false, dotAll: false, multiLine: false };

  const parseFlags = (text: string): Flags => {
    const next = { ...flags };
    let negate = false;
    for (const f of text) {
      if (f === '-') {
        if (negate) throw new RE2SyntaxError(`invalid or unsupported Perl syntax: \`(?${text}\``);
        negate = true;
      } else if (f === 'i') next.fold = !negate;
      else if (f === 's') next.dotAll = !negate;
      else if (f === 'm') next.multiLine = !negate;
      else if (f === 'U') throw new RE2SyntaxError('ungreedy mode (?U) is not supported here');
      else throw new RE2SyntaxError(`invalid or unsupported Perl syntax: \`(?${text}\``);
    }
    return next;
  };

  /** An escape after `\` outside or inside a class; returns the RegExp text and advances `i`. */
  const escape = (inClass: boolean): string => {
    const c = chars[i++];
    if (c === undefined) throw new RE2SyntaxError('trailing backslash at end of expression: ``');
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'b':
      case 'B':
        if (inClass) throw new RE2SyntaxError(`invalid escape sequence: \`\\${c}\``);
        return `\\${c}`;
      case 'A':
        if (inClass) throw new RE2SyntaxError('invalid escape sequence: `\\A`');
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) throw new RE2SyntaxError('invalid escape sequence: `\\z`');
        return '(?![\\s\\S])';
      case 'p':
      case 'P': {
        let name = chars[i++] ?? '';
        if (name === '{') {
          const end = chars.indexOf('}', i);
          if (end < 0) throw new RE2SyntaxError(`invalid character class range: \`\\${c}{\``);
          name = chars.slice(i, end).join('');
          i = end + 1;
        }
        return `\\${c}{${name}}`;
      }
      case 'x': {
        if (chars[i] === '{') {
          const end = chars.indexOf('}', i);
          if (end < 0) throw new RE2SyntaxError('invalid escape sequence: `\\x{`');
          const hex = chars.slice(i + 1, end).join('');
          i = end + 1;
          return `\\u{${hex}}`;
        }
        const hex = chars.slice(i, i + 2).join('');
        i += 2;
        return `\\x${hex}`;
      }
      case 'Q': {
        let text = '';
        while (i < chars.length && !(chars[i] === '\\' && chars[i + 1] === 'E')) text += chars[i++];
        if (i < chars.length) i += 2;
        return [...text].map((ch) => (inClass ? classLiteral(ch) : atom(ch))).join('');
      }
      default:
        if (/[0-9]/.test(c)) {
          // Octal: \0, or a digit 1-7 followed by more octal digits (a lone \1 would be a backreference).
          let digits = c;
          while (digits.length < 3 && /[0-7]/.test(chars[i] ?? '')) digits += chars[i++];
          if (c === '0' || digits.length > 1) return `\\u{${parseInt(digits, 8).toString(16)}}`;
          throw new RE2SyntaxError(`invalid escape sequence: \`\\${c}\``);
        }
        if (/[A-Za-z]/.test(c)) throw new RE2SyntaxError(`invalid escape sequence: \`\\${c}\``);
        return inClass ? classLiteral(c) : literal(c);
    }
  };

  /** A literal character outside classes, both cases when folding. */
  const atom = (ch: string): string => {
    const other = flags.fold ? otherCase(ch) : undefined;
    return other ? `[${ch}${other}]` : literal(ch);
  };

  /** A character class from just after `[`. */
  const charClass = (): string => {
    let body = '';
    let negated = false;
    if (chars[i] === '^') {
      negated = true;
      i++;
    }
    let first = true;
    const extra: string[] = [];
    for (;;) {
      const c = chars[i];
      if (c === undefined) throw new RE2SyntaxError(`missing closing ]: \`${pattern}\``);
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c === '[' && chars[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end < 0 ? '' : chars.slice(i + 2, end).join('');
        const negatedPosix = name.startsWith('^');
        const set = posixClasses[negatedPosix ? name.slice(1) : name];
        if (set === undefined) throw new RE2SyntaxError(`invalid character class range: \`[:${name}:]\``);
        if (negatedPosix) throw new RE2SyntaxError(`negated POSIX class [:${name}:] is not supported here`);
        body += set;
        i = end + 2;
        continue;
      }
      i++;
      let piece = c === '\\' ? escape(true) : classLiteral(c);
      if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
        // A range: its end may be an escape too (\x00-\x1F).
        const to = chars[i + 1]!;
        i += 2;
        const end = to === '\\' ? escape(true) : classLiteral(to);
        piece = `${piece}-${end}`;
        // Folding adds the other case's range of a letter range.
        if (flags.fold && /^[a-z]$/.test(c) && /^[a-z]$/.test(to)) extra.push(`${c.toUpperCase()}-${to.toUpperCase()}`);
        if (flags.fold && /^[A-Z]$/.test(c) && /^[A-Z]$/.test(to)) extra.push(`${c.toLowerCase()}-${to.toLowerCase()}`);
      } else if (flags.fold && c !== '\\') {
        const other = otherCase(c);
        if (other) extra.push(classLiteral(other));
      }
      body += piece;
    }
    return `[${negated ? '^' : ''}${body}${extra.join('')}]`;
  };

  while (i < chars.length) {
    const c = chars[i++]!;
    switch (c) {
      case '\\':
        out += escape(false);
        break;
      case '[':
        out += charClass();
        break;
      case '(': {
        if (chars[i] !== '?') {
          stack.push(flags);
          out += '(';
          break;
        }
        // (?…)
        const rest = chars.slice(i + 1).join('');
        if (rest.startsWith('P<') || rest.startsWith('<')) {
          const start = rest.startsWith('P<') ? 3 : 2;
          const end = rest.indexOf('>');
          const name = rest.slice(start - 1, end);
          if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RE2SyntaxError(`invalid named capture: \`(?${rest.slice(0, end + 1)}\``);
          i += 1 + end + 1;
          stack.push(flags);
          out += `(?<${name}>`;
          break;
        }
        const m = /^([A-Za-z-]*)([:)])/.exec(rest);
        if (!m) throw new RE2SyntaxError(`invalid or unsupported Perl syntax: \`(?${rest.slice(0, 1)}\``);
        const next = parseFlags(m[1]!);
        i += 1 + m[0].length;
        if (m[2] === ')') {
          flags = next; // (?flags): from here to the end of the enclosing group
        } else {
          stack.push(flags);
          flags = next;
          out += '(?:';
        }
        break;
      }
      case ')': {
        const outer = stack.pop();
        if (outer === undefined) throw new RE2SyntaxError(`unexpected ): \`${pattern}\``);
        flags = outer;
        out += ')';
        break;
      }
      case '.':
        out += flags.dotAll ? '[\\s\\S]' : '.';
        break;
      case '^':
        out += flags.multiLine ? '(?<![^\\n])' : '^';
        break;
      case '$':
        out += flags.multiLine ? '(?![^\\n])' : '$';
        break;
      case '{': {
        const q = /^(\d+)(,(\d*))?\}/.exec(chars.slice(i).join(''));
        if (q) {
          if (Number(q[1]) > 1000 || (q[3] && Number(q[3]) > 1000)) throw new RE2SyntaxError(`invalid repeat count: \`{${q[0]}\``);
          out += `{${q[0]}`;
          i += q[0].length;
        } else out += '\\{';
        break;
      }
      case '}':
      case ']':
        out += `\\${c}`;
        break;
      case '*':
      case '+':
      case '?':
      case '|':
        out += c;
        break;
      default:
        out += atom(c);
    }
  }
  if (stack.length > 0) throw new RE2SyntaxError(`missing closing ): \`${pattern}\``);
  return out;
}

const cache = new Map<string, RegExp | RE2SyntaxError>();

/** The RegExp of an RE2 pattern (cached); throws RE2SyntaxError for what RE2 refuses. */
export function re2(pattern: string, opts: { global?: boolean } = {}): RegExp {
  const key = `${opts.global ? 'g' : ''}/${pattern}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    try {
      hit = new RegExp(translateRE2(pattern), opts.global ? 'gu' : 'u');
    } catch (err) {
      hit = err instanceof RE2SyntaxError ? err : new RE2SyntaxError((err as Error).message.replace(/^Invalid regular expression: /, ''));
    }
    if (cache.size < 10_000) cache.set(key, hit);
  }
  if (hit instanceof RE2SyntaxError) throw hit;
  hit.lastIndex = 0;
  return hit;
}
