// pflag-compatible parsing: every spelling upstream command lines use, errors with pflag's wording, --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FlagSet, formatDuration, parseDuration, type ParseResult } from './flag-set.js';

interface Opts {
  bindAddress: string;
  securePort: number;
  verbosity: number;
  allowWatch: boolean;
  servers: string[];
  intervalSeconds: number;
  format: string;
}

function newSet(): { fs: FlagSet; o: Opts } {
  const o: Opts = {
    bindAddress: '0.0.0.0',
    securePort: 6443,
    verbosity: 0,
    allowWatch: true,
    servers: [],
    intervalSeconds: 300,
    format: 'text',
  };
  const fs = new FlagSet('test');
  fs.string(o, 'bindAddress', { name: 'bind-address', usage: 'The IP address to listen on.' });
  fs.int(o, 'securePort', { name: 'secure-port', usage: 'The port for HTTPS.' });
  fs.int(o, 'verbosity', { name: 'v', shorthand: 'v', usage: 'Log level verbosity.', type: 'Level' });
  fs.bool(o, 'allowWatch', { name: 'allow-watch', usage: 'Allow watches.' });
  fs.stringSlice(o, 'servers', { name: 'etcd-servers', usage: 'etcd URLs.' });
  fs.duration(o, 'intervalSeconds', 's', { name: 'etcd-compaction-interval', usage: 'Compaction interval.' });
  fs.enum(o, 'format', ['text', 'json'], { name: 'logging-format', usage: 'Log format.' });
  fs.ignored({ name: 'allow-privileged', type: 'bool', usage: 'Allow privileged containers.' });
  fs.ignored({ name: 'authorization-mode', type: 'strings', usage: 'Authorizers.' });
  return { fs, o };
}

test('parses every upstream spelling into the options', () => {
  const cases: { name: string; args: string[]; want: Partial<Opts>; positional?: string[]; ignored?: string[] }[] = [
    { name: 'defaults', args: [], want: { securePort: 6443, allowWatch: true, servers: [] } },
    { name: '--flag=value', args: ['--secure-port=7443'], want: { securePort: 7443 } },
    { name: '--flag value', args: ['--secure-port', '7443'], want: { securePort: 7443 } },
    { name: 'underscores normalise', args: ['--secure_port=1'], want: { securePort: 1 } },
    { name: 'bool bare', args: ['--allow-watch'], want: { allowWatch: true } },
    { name: 'bool =false', args: ['--allow-watch=false'], want: { allowWatch: false } },
    { name: 'bool does not eat next arg', args: ['--allow-watch', 'false'], want: { allowWatch: true }, positional: ['false'] },
    { name: '-v=2', args: ['-v=2'], want: { verbosity: 2 } },
    { name: '-v 2', args: ['-v', '2'], want: { verbosity: 2 } },
    { name: '-v2', args: ['-v2'], want: { verbosity: 2 } },
    { name: '--v=3', args: ['--v=3'], want: { verbosity: 3 } },
    { name: 'comma list', args: ['--etcd-servers=http://a:2379,http://b:2379'], want: { servers: ['http://a:2379', 'http://b:2379'] } },
    {
      name: 'repeated list appends',
      args: ['--etcd-servers', 'http://a:2379', '--etcd-servers=http://b:2379'],
      want: { servers: ['http://a:2379', 'http://b:2379'] },
    },
    { name: 'duration', args: ['--etcd-compaction-interval=1h30m'], want: { intervalSeconds: 5400 } },
    { name: 'duration 0', args: ['--etcd-compaction-interval=0'], want: { intervalSeconds: 0 } },
    { name: 'enum', args: ['--logging-format=json'], want: { format: 'json' } },
    { name: 'positional mixed and after --', args: ['a', '--v=1', '--', '--secure-port=1'], want: { verbosity: 1, securePort: 6443 }, positional: ['a', '--secure-port=1'] },
    {
      name: 'ignored flags parse and are reported',
      args: ['--allow-privileged=true', '--authorization-mode=Node,RBAC'],
      want: {},
      ignored: ['allow-privileged', 'authorization-mode'],
    },
  ];
  for (const c of cases) {
    const { fs, o } = newSet();
    const r = fs.parse(c.args);
    assert.deepEqual(r, { kind: 'ok', args: c.positional ?? [] }, c.name);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(o[k as keyof Opts], v, `${c.name}: ${k}`);
    assert.deepEqual(fs.ignoredFlagsSet(), c.ignored ?? [], c.name);
  }
});

test('user errors come back as values with pflag wording', () => {
  const cases: { args: string[]; want: ParseResult }[] = [
    { args: ['--foo'], want: { kind: 'error', message: 'unknown flag: --foo' } },
    { args: ['--foo=bar'], want: { kind: 'error', message: 'unknown flag: --foo' } },
    { args: ['-x'], want: { kind: 'error', message: "unknown shorthand flag: 'x' in -x" } },
    { args: ['--secure-port'], want: { kind: 'error', message: 'flag needs an argument: --secure-port' } },
    { args: ['-v'], want: { kind: 'error', message: "flag needs an argument: 'v' in -v" } },
    {
      args: ['--secure-port=abc'],
      want: { kind: 'error', message: 'invalid argument "abc" for "--secure-port" flag: strconv.ParseInt: parsing "abc": invalid syntax' },
    },
    {
      args: ['-v=x'],
      want: { kind: 'error', message: 'invalid argument "x" for "-v, --v" flag: strconv.ParseInt: parsing "x": invalid syntax' },
    },
    {
      args: ['--allow-watch=maybe'],
      want: { kind: 'error', message: 'invalid argument "maybe" for "--allow-watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax' },
    },
    {
      args: ['--etcd-compaction-interval=5x'],
      want: { kind: 'error', message: 'invalid argument "5x" for "--etcd-compaction-interval" flag: time: invalid duration "5x"' },
    },
    {
      args: ['--logging-format=xml'],
      want: { kind: 'error', message: 'invalid argument "xml" for "--logging-format" flag: must be one of "text", "json"' },
    },
    { args: ['--help'], want: { kind: 'help' } },
    { args: ['-h'], want: { kind: 'help' } },
  ];
  for (const c of cases) assert.deepEqual(newSet().fs.parse(c.args), c.want, c.args.join(' '));
});

test('changed reports only flags given on the command line', () => {
  const { fs } = newSet();
  fs.parse(['--secure-port=6443']);
  assert.equal(fs.changed('secure-port'), true);
  assert.equal(fs.changed('bind-address'), false);
});

test('usage lists flags sorted, with types, non-zero defaults and ignored markers', () => {
  const { fs } = newSet();
  fs.parse(['--secure-port=1']); // defaults shown are the declared ones, not the parsed ones
  const lines = fs.usage().trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.replace(/(\S) {3,}/, '$1 | ')),
    [
      '      --allow-privileged | Allow privileged containers. [accepted, not implemented by k8ts yet]',
      '      --allow-watch | Allow watches. (default true)',
      '      --authorization-mode strings | Authorizers. [accepted, not implemented by k8ts yet]',
      '      --bind-address string | The IP address to listen on. (default "0.0.0.0")',
      '      --etcd-compaction-interval duration | Compaction interval. (default 5m0s)',
      '      --etcd-servers strings | etcd URLs.',
      '      --logging-format string | Log format. (default "text")',
      '      --secure-port int | The port for HTTPS. (default 6443)',
      '  -v, --v Level | Log level verbosity.',
    ],
  );
});

test('Go durations parse and format like time.Duration', () => {
  const cases: [string, number, string][] = [
    ['0', 0, '0s'],
    ['300ms', 300, '300ms'],
    ['1.5s', 1500, '1.5s'],
    ['5m', 300_000, '5m0s'],
    ['1h', 3_600_000, '1h0m0s'],
    ['2h45m10s', 9_910_000, '2h45m10s'],
    ['-1m', -60_000, '-1m0s'],
  ];
  for (const [raw, ms, formatted] of cases) {
    assert.equal(parseDuration(raw), ms, raw);
    assert.equal(formatDuration(ms), formatted, raw);
  }
  for (const bad of ['', '5', 'm', '1d', '1h-5m']) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
});

test('redefining a flag is a programming error', () => {
  const { fs, o } = newSet();
  assert.throws(() => fs.int(o, 'securePort', { name: 'secure-port', usage: '' }), /redefined/);
});

test('formatDuration output parses back to the same duration', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e10, max: 1e10 }), (ms) => {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    }),
  );
});

test('any mix of value spellings parses to the same options as the canonical --name=value form', () => {
  // Each flag given once, in a random order and spelling, must land exactly where `--name=value` puts it.
  const entry = fc.oneof(
    fc.record({ flag: fc.constant('secure-port'), value: fc.integer({ min: 0, max: 65535 }).map(String) }),
    fc.record({ flag: fc.constant('bind-address'), value: fc.ipV4() }),
    fc.record({ flag: fc.constant('v'), value: fc.integer({ min: 0, max: 10 }).map(String) }),
    fc.record({ flag: fc.constant('allow-watch'), value: fc.constantFrom('true', 'false') }),
  );
  fc.assert(
    fc.property(fc.uniqueArray(entry, { selector: (e) => e.flag }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (entries, spaced) => {
      const canonical = newSet();
      assert.equal(canonical.fs.parse(entries.map((e) => `--${e.flag}=${e.value}`)).kind, 'ok');
      const mixed = newSet();
      const args = entries.flatMap((e, i) => {
        const bool = e.flag === 'allow-watch';
        if (bool && e.value === 'true' && spaced[i]) return [`--${e.flag}`];
        if (e.flag === 'v' && spaced[i]) return ['-v', e.value];
        if (!bool && spaced[i]) return [`--${e.flag}`, e.value];
        return [`--${e.flag}=${e.value}`];
      });
      assert.deepEqual(mixed.fs.parse(args), { kind: 'ok', args: [] });
      assert.deepEqual(mixed.o, canonical.o);
    }),
  );
});
