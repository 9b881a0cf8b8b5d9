// Command-line flags with spf13/pflag's syntax and messages, as every upstream component accepts them:
// `--name=value`, `--name value`, `--bool`/`--bool=false`, `-v=2`/`-v 2`/`-v2`, repeated or comma lists, `--`.
// Lives in base (not cli) because each component declares its own flags next to its options.

/** How one flag turns text into a value. `set` throws an Error whose message explains a bad value. */
export interface FlagValue {
  /** The type word shown in --help (`string`, `int`, `strings`, …); empty for booleans. */
  readonly type: string;
  /** Booleans may appear without a value (`--flag` = `--flag=true`). */
  readonly isBool: boolean;
  set(raw: string): void;
  /** The current value as --help shows it (the default, before parsing). */
  string(): string;
  /** True when string() is the type's zero value, so --help omits "(default …)". */
  isZero(): boolean;
}

export interface FlagSpec {
  /** Long name without dashes, e.g. `secure-port`. Underscores are accepted as dashes, as upstream does. */
  name: string;
  /** One-letter form, e.g. `v` for `-v`. */
  shorthand?: string;
  usage: string;
}

interface Flag {
  spec: FlagSpec;
  value: FlagValue;
  defaultText: string;
  defaultIsZero: boolean;
  /** Accepted for compatibility with upstream command lines, but has no effect in k8ts (yet). */
  ignored: boolean;
  changed: boolean;
}

/** The outcome of parsing: positional arguments, a help request, or a user error (→ exit code 2). */
export type ParseResult = { kind: 'ok'; args: string[] } | { kind: 'help' } | { kind: 'error'; message: string };

/** Property names of T whose values are assignable to V. */
export type KeysOfType<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T];

/** Go's strconv.ParseBool spellings. */
export function parseBool(raw: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

export function parseInt64(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range`);
  return n;
}

const durationUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration (`300ms`, `1.5h`, `2h45m`, `0`) into milliseconds. */
export function parseDuration(raw: string): number {
  const bad = new Error(`time: invalid duration ${JSON.stringify(raw)}`);
  let s = raw;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad;
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m) throw bad;
    total += Number(m[1]) * (durationUnits[m[2]!] ?? NaN);
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Formats milliseconds the way Go prints a time.Duration (`5m0s`, `1h0m0s`, `1.5s`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${Number((rest / 1000).toFixed(9))}s`;
  return (neg ? '-' : '') + (h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s);
}

function normalize(name: string): string {
  return name.replace(/_/g, '-');
}

/**
 * A set of flags for one command. Declare flags bound to fields of an options object (the field's value
 * at declaration time is the default shown in --help), then `parse(argv)`.
 */
export class FlagSet {
  private readonly flags = new Map<string, Flag>();
  private readonly shorthands = new Map<string, Flag>();

  constructor(readonly name: string) {}

  /** Declares a flag with a custom value type. */
  var(spec: FlagSpec, value: FlagValue, opts: { ignored?: boolean } = {}): void {
    const name = normalize(spec.name);
    if (this.flags.has(name)) throw new Error(`${this.name} flag redefined: ${name}`);
    const flag: Flag = {
      spec: { ...spec, name },
      value,
      defaultText: value.string(),
      defaultIsZero: value.isZero(),
      ignored: opts.ignored ?? false,
      changed: false,
    };
    this.flags.set(name, flag);
    if (spec.shorthand) {
      if (spec.shorthand.length !== 1) throw new Error(`shorthand for ${name} must be one letter`);
      if (this.shorthands.has(spec.shorthand)) throw new Error(`${this.name} shorthand redefined: ${spec.shorthand}`);
      this.shorthands.set(spec.shorthand, flag);
    }
  }

  string<T extends object>(target: T, key: KeysOfType<T, string>, spec: FlagSpec): void {
    const t = target as Record<PropertyKey, unknown>;
    this.var(spec, {
      type: 'string',
      isBool: false,
      set: (raw) => void (t[key] = raw),
      string: () => String(t[key]),
      isZero: () => t[key] === '',
    });
  }

  /** A string limited to `choices`. */
  enum<T extends object>(target: T, key: KeysOfType<T, string>, choices: readonly string[], spec: FlagSpec): void {
    const t = target as Record<PropertyKey, unknown>;
    this.var(spec, {
      type: 'string',
      isBool: false,
      set: (raw) => {
        if (!choices.includes(raw)) throw new Error(`must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
        t[key] = raw;
      },
      string: () => String(t[key]),
      isZero: () => t[key] === '',
    });
  }

  int<T extends object>(target: T, key: KeysOfType<T, number>, spec: FlagSpec & { type?: string }): void {
    const t = target as Record<PropertyKey, unknown>;
    this.var(spec, {
      type: spec.type ?? 'int',
      isBool: false,
      set: (raw) => void (t[key] = parseInt64(raw)),
      string: () => String(t[key]),
      isZero: () => t[key] === 0,
    });
  }

  bool<T extends object>(target: T, key: KeysOfType<T, boolean>, spec: FlagSpec): void {
    const t = target as Record<PropertyKey, unknown>;
    this.var(spec, {
      type: '',
      isBool: true,
      set: (raw) => void (t[key] = parseBool(raw)),
      string: () => String(t[key]),
      isZero: () => t[key] === false,
    });
  }

  /**
   * A list flag (pflag's StringSlice): each occurrence takes a comma-separated list; the first occurrence
   * replaces the default, later ones append.
   */
  stringSlice<T extends object>(target: T, key: KeysOfType<T, string[]>, spec: FlagSpec): void {
    const t = target as Record<PropertyKey, string[]>;
    let replaced = false;
    this.var(spec, {
      type: 'strings',
      isBool: false,
      set: (raw) => {
        const items = raw === '' ? [] : raw.split(',').map((s) => s.trim());
        t[key] = replaced ? [...t[key]!, ...items] : items;
        replaced = true;
      },
      string: () => `[${t[key]!.join(',')}]`,
      isZero: () => t[key]!.length === 0,
    });
  }

  /** A Go-style duration flag stored as a number of `unit`s (the field name says which, e.g. `…Seconds`). */
  duration<T extends object>(target: T, key: KeysOfType<T, number>, unit: 'ms' | 's', spec: FlagSpec): void {
    const t = target as Record<PropertyKey, number>;
    const scale = unit === 's' ? 1000 : 1;
    this.var(spec, {
      type: 'duration',
      isBool: false,
      set: (raw) => void (t[key] = parseDuration(raw) / scale),
      string: () => formatDuration(t[key]! * scale),
      isZero: () => t[key] === 0,
    });
  }

  /**
   * Declares a flag that upstream has and that tutorials pass, but that k8ts does not implement yet: it is
   * parsed (so command lines copied from upstream work) and reported by `ignoredFlagsSet()` for a warning.
   */
  ignored(spec: FlagSpec & { type: 'string' | 'bool' | 'int' | 'strings' | 'duration' }): void {
    let current = '';
    this.var(
      spec,
      {
        type: spec.type === 'bool' ? '' : spec.type,
        isBool: spec.type === 'bool',
        set: (raw) => {
          if (spec.type === 'bool') parseBool(raw);
          else if (spec.type === 'int') parseInt64(raw);
          else if (spec.type === 'duration') parseDuration(raw);
          current = raw;
        },
        string: () => current,
        isZero: () => true,
      },
      { ignored: true },
    );
  }

  /** True when the flag appeared on the command line. */
  changed(name: string): boolean {
    return this.flags.get(normalize(name))?.changed ?? false;
  }

  /** Names of accepted-but-ignored flags that appeared on the command line, in declaration order. */
  ignoredFlagsSet(): string[] {
    return [...this.flags.values()].filter((f) => f.ignored && f.changed).map((f) => f.spec.name);
  }

  /** Names of all flags, in declaration order, split by whether k8ts honours them. */
  flagNames(): { honoured: string[]; ignored: string[] } {
    const all = [...this.flags.values()];
    return {
      honoured: all.filter((f) => !f.ignored).map((f) => f.spec.name),
      ignored: all.filter((f) => f.ignored).map((f) => f.spec.name),
    };
  }

  /**
   * Parses `args` (without the program and command names). Flags and positional arguments may be mixed;
   * everything after `--` is positional. `--help`/`-h` (unless declared) yields `{kind: 'help'}`.
   */
  parse(args: string[]): ParseResult {
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--') {
        positional.push(...args.slice(i + 1));
        break;
      }
      if (!arg.startsWith('-') || arg === '-') {
        positional.push(arg);
        continue;
      }
      const next = (): string | undefined => (i + 1 < args.length ? args[++i] : undefined);
      let outcome: string | 'help' | undefined;
      if (arg.startsWith('--')) outcome = this.parseLong(arg.slice(2), next);
      else outcome = this.parseShort(arg.slice(1), next);
      if (outcome === 'help') return { kind: 'help' };
      if (outcome !== undefined) return { kind: 'error', message: outcome };
    }
    return { kind: 'ok', args: positional };
  }

  /** Returns an error message, 'help', or undefined on success. */
  private parseLong(body: string, next: () => string | undefined): string | 'help' | undefined {
    const eq = body.indexOf('=');
    const name = normalize(eq < 0 ? body : body.slice(0, eq));
    const flag = this.flags.get(name);
    if (!flag) {
      if (name === 'help') return 'help';
      return `unknown flag: --${name}`;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (flag.value.isBool) raw = 'true';
    else {
      raw = next();
      if (raw === undefined) return `flag needs an argument: --${name}`;
    }
    return this.set(flag, raw);
  }

  private parseShort(body: string, next: () => string | undefined): string | 'help' | undefined {
    // -abc is a run of shorthands; a non-bool one takes the rest of the run (`-v2`, `-v=2`) or the next arg.
    for (let j = 0; j < body.length; j++) {
      const c = body[j]!;
      const flag = this.shorthands.get(c);
      if (!flag) {
        if (c === 'h') return 'help';
        return `unknown shorthand flag: '${c}' in -${body}`;
      }
      const rest = body.slice(j + 1);
      if (rest.startsWith('=')) return this.set(flag, rest.slice(1));
      if (flag.value.isBool) {
        const err = this.set(flag, 'true');
        if (err) return err;
        continue;
      }
      if (rest.length > 0) return this.set(flag, rest);
      const raw = next();
      if (raw === undefined) return `flag needs an argument: '${c}' in -${c}`;
      return this.set(flag, raw);
    }
    return undefined;
  }

  private set(flag: Flag, raw: string): string | undefined {
    try {
      flag.value.set(raw);
    } catch (err) {
      const shown = flag.spec.shorthand ? `-${flag.spec.shorthand}, --${flag.spec.name}` : `--${flag.spec.name}`;
      return `invalid argument ${JSON.stringify(raw)} for ${JSON.stringify(shown)} flag: ${(err as Error).message}`;
    }
    flag.changed = true;
    return undefined;
  }

  /** The flag listing in pflag's layout, with defaults; accepted-but-ignored flags are marked. */
  usage(): string {
    const rows = [...this.flags.values()]
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name))
      .map((f) => {
        const names = f.spec.shorthand ? `  -${f.spec.shorthand}, --${f.spec.name}` : `      --${f.spec.name}`;
        const left = f.value.type ? `${names} ${f.value.type}` : names;
        let right = f.spec.usage;
        if (!f.defaultIsZero) {
          right += f.value.type === 'string' ? ` (default ${JSON.stringify(f.defaultText)})` : ` (default ${f.defaultText})`;
        }
        if (f.ignored) right += ' [accepted, not implemented by k8ts yet]';
        return { left, right };
      });
    const width = Math.max(0, ...rows.map((r) => r.left.length));
    return rows.map((r) => `${r.left.padEnd(width)}   ${r.right}\n`).join('');
  }
}
