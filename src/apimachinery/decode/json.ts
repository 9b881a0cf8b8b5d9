// JSON request bodies: JSON.parse for the value, plus one cheap pass that finds duplicate keys (with
// their field paths) and, only when JSON.parse fails, a scanner that explains the error in Go's words.

/** A body that is not valid JSON; `message` is what Go's encoding/json would say. */
export class JSONSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'JSONSyntaxError';
  }
}

export interface DecodedJSON {
  value: unknown;
  /** Paths of keys that appear twice in the same object, e.g. `metadata.name`, `spec.containers[0].image`. */
  duplicateFields: string[];
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Parses a JSON body. Duplicate keys keep the last value (as Go does) and are reported. Throws
 * JSONSyntaxError with Go's message (`invalid character 'x' looking for beginning of value`, …).
 */
export function decodeJSON(body: string | Uint8Array): DecodedJSON {
  const text = typeof body === 'string' ? body : textDecoder.decode(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw explainSyntaxError(text);
  }
  return { value, duplicateFields: findDuplicateKeys(text) };
}

interface Frame {
  isObject: boolean;
  /** Keys seen so far (objects only); created on the second key, to keep one-key objects cheap. */
  keys: Set<string> | undefined;
  firstKey: string | undefined;
  expectKey: boolean;
  /** Current array index, or the key whose value is being read. */
  index: number;
  key: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote that closes the string opening at `start`. Assumes valid JSON. */
function stringEnd(text: string, start: number): number {
  let j = text.indexOf('"', start + 1);
  for (;;) {
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
}

function pathOf(frames: Frame[], upTo: number, last: string): string {
  let out = '';
  for (let i = 1; i <= upTo; i++) {
    // frames[i] is a child of frames[i-1]: its position is the parent's current key or index.
    const parent = frames[i - 1];
    out += parent.isObject ? (out ? `.${parent.key}` : parent.key) : `[${parent.index}]`;
  }
  return out ? `${out}.${last}` : last;
}

/** Duplicate-key paths of a text JSON.parse accepted, in document order. */
export function findDuplicateKeys(text: string): string[] {
  const dups: string[] = [];
  const frames: Frame[] = [];
  let top: Frame | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (top !== undefined && top.isObject && top.expectKey) {
        let key = text.slice(i + 1, end);
        if (key.includes('\\')) key = JSON.parse(text.slice(i, end + 1)) as string;
        top.expectKey = false;
        top.key = key;
        if (top.firstKey === undefined) top.firstKey = key;
        else {
          if (top.keys === undefined) top.keys = new Set([top.firstKey]);
          if (top.keys.has(key)) dups.push(pathOf(frames, frames.length - 1, key));
          else top.keys.add(key);
        }
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      top = { isObject: c === 0x7b, keys: undefined, firstKey: undefined, expectKey: c === 0x7b, index: 0, key: '' };
      frames.push(top);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      top = frames[frames.length - 1];
    } else if (c === 0x2c /* , */ && top !== undefined) {
      if (top.isObject) top.expectKey = true;
      else top.index++;
    }
  }
  return dups;
}

// ---- Go-compatible syntax errors (slow path only) ------------------------------------------------------

/** Go's quoteChar: 'x', '\'' , '"', '\n', '\x00'. */
function quoteChar(ch: string): string {
  if (ch === "'") return `'\\''`;
  if (ch === '"') return `'"'`;
  const q = JSON.stringify(ch).slice(1, -1).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
  return `'${q}'`;
}

class GoScanner {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(ch: string | undefined, context: string): never {
    if (ch === undefined) throw new JSONSyntaxError('unexpected end of JSON input', this.i);
    throw new JSONSyntaxError(`invalid character ${quoteChar(ch)} ${context}`, this.i);
  }
  private skipSpace(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }
  private peek(): string | undefined {
    return this.i < this.s.length ? this.s[this.i] : undefined;
  }

  run(): void {
    this.skipSpace();
    this.value();
    this.skipSpace();
    const ch = this.peek();
    if (ch !== undefined) this.fail(ch, 'after top-level value');
  }

  private value(): void {
    const ch = this.peek();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    if (ch === 't') return this.literal('true');
    if (ch === 'f') return this.literal('false');
    if (ch === 'n') return this.literal('null');
    this.fail(ch, 'looking for beginning of value');
  }

  private object(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const ch = this.peek();
      if (ch !== '"') this.fail(ch, 'looking for beginning of object key string');
      this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== ':') this.fail(colon, 'after object key');
      this.i++;
      this.skipSpace();
      this.value();
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === '}') {
        this.i++;
        return;
      }
      this.fail(next, 'after object key:value pair');
    }
  }

  private array(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      this.value();
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === ']') {
        this.i++;
        return;
      }
      this.fail(next, 'after array element');
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail(ch, '');
      this.i++;
      if (ch === '"') return;
      if (ch < ' ') {
        this.i--;
        this.fail(ch, 'in string literal');
      }
      if (ch === '\\') {
        const e = this.peek();
        if (e === undefined) this.fail(e, '');
        if (e === 'u') {
          this.i++;
          for (let k = 0; k < 4; k++) {
            const h = this.peek();
            if (h === undefined || !/[0-9a-fA-F]/.test(h)) this.fail(h, 'in \\u hexadecimal character escape');
            this.i++;
          }
        } else if ('"\\/bfnrt'.includes(e)) this.i++;
        else this.fail(e, 'in string escape code');
      }
    }
  }

  private number(): void {
    const digits = (): number => {
      const start = this.i;
      while (this.peek() !== undefined && (this.peek() as string) >= '0' && (this.peek() as string) <= '9') this.i++;
      return this.i - start;
    };
    if (this.peek() === '-') {
      this.i++;
      const ch = this.peek();
      if (ch === undefined || ch < '0' || ch > '9') this.fail(ch, 'in numeric literal');
    }
    if (this.peek() === '0') this.i++;
    else digits();
    if (this.peek() === '.') {
      this.i++;
      if (digits() === 0) this.fail(this.peek(), 'after decimal point in numeric literal');
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++;
      if (this.peek() === '+' || this.peek() === '-') this.i++;
      if (digits() === 0) this.fail(this.peek(), 'in exponent of numeric literal');
    }
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      const ch = this.peek();
      if (ch !== word[k]) this.fail(ch, `in literal ${word} (expecting ${quoteChar(word[k])})`);
      this.i++;
    }
  }
}

/** The Go-worded error for a text JSON.parse rejected. */
export function explainSyntaxError(text: string): JSONSyntaxError {
  try {
    new GoScanner(text).run();
  } catch (err) {
    if (err instanceof JSONSyntaxError) return err;
    throw err;
  }
  // JSON.parse and the scanner disagree only on inputs neither should accept silently.
  return new JSONSyntaxError('invalid JSON', 0);
}
