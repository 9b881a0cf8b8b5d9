// runComponentCommand: exit codes and messages for command-line errors, --help, start failures, and a clean
// stop of a real listening server when shutdown is requested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { FlagSet } from '../base/flag-set.js';
import { configureLogging } from '../base/logger.js';
import { runComponentCommand, type ComponentCommand } from './run-component.js';

interface Opts {
  port: number;
  failStart: boolean;
  verbosity: number;
}

/** A tiny component: a TCP listener on 127.0.0.1. */
function tcpComponent(started: Server[]): ComponentCommand<Opts> {
  return {
    name: 'kube-test',
    summary: 'A test component.',
    newFlags() {
      const o: Opts = { port: 0, failStart: false, verbosity: 0 };
      const flags = new FlagSet('kube-test');
      flags.int(o, 'port', { name: 'port', usage: 'Port to listen on.' });
      flags.bool(o, 'failStart', { name: 'fail-start', usage: 'Fail to start.' });
      flags.int(o, 'verbosity', { name: 'v', shorthand: 'v', usage: 'Verbosity.' });
      flags.ignored({ name: 'allow-privileged', type: 'bool', usage: 'Ignored.' });
      return { flags, options: o };
    },
    complete: (_f, o) => (o.port < 0 ? ['--port must not be negative'] : []),
    logging: (o) => ({ format: 'text', verbosity: o.verbosity }),
    async start(o) {
      if (o.failStart) throw new Error('address in use');
      const s = createServer((c) => c.end());
      s.listen(o.port, '127.0.0.1');
      await once(s, 'listening');
      started.push(s);
      return { close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
    },
  };
}

function runWith(args: string[], shutdown: AbortSignal, started: Server[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const logs: string[] = [];
  configureLogging({ write: (l) => logs.push(l) });
  const code = runComponentCommand(tcpComponent(started), args, {
    home: '/nonexistent',
    shutdown,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, out, err, logs };
}

test('command-line problems exit 2 with cobra-style messages; --help exits 0', async () => {
  const cases: { args: string[]; code: number; stderr?: RegExp; stdout?: RegExp }[] = [
    { args: ['--foo'], code: 2, stderr: /^Error: unknown flag: --foo\nRun 'kube-test --help' for usage\.\n$/ },
    { args: ['extra'], code: 2, stderr: /^Error: "kube-test" does not take any arguments, got \["extra"\]\n$/ },
    { args: ['--port=-1'], code: 2, stderr: /^Error: --port must not be negative\n$/ },
    { args: ['--port=x'], code: 2, stderr: /invalid argument "x" for "--port" flag/ },
    { args: ['--help'], code: 0, stdout: /^A test component\.\n\nUsage:\n  kube-test \[flags\]\n\nFlags:\n.*--port int +Port to listen on\./s },
  ];
  for (const c of cases) {
    const r = runWith(c.args, new AbortController().signal);
    assert.equal(await r.code, c.code, c.args.join(' '));
    if (c.stderr) assert.match(r.err.join(''), c.stderr, c.args.join(' '));
    if (c.stdout) assert.match(r.out.join(''), c.stdout, c.args.join(' '));
  }
});

test('a start failure is logged and exits 1', async () => {
  const r = runWith(['--fail-start'], new AbortController().signal);
  assert.equal(await r.code, 1);
  assert.match(r.logs.join(''), /^E\d{4} .* Failed to start kube-test err="address in use"\n$/m);
});

test('serves until shutdown, then closes the server and exits 0; ignored flags are warned about', async () => {
  const ac = new AbortController();
  const started: Server[] = [];
  const r = runWith(['--allow-privileged', '-v=1'], ac.signal, started);
  while (started.length === 0) await new Promise((res) => setTimeout(res, 5));
  assert.equal(started[0]!.listening, true);
  ac.abort('received SIGTERM');
  assert.equal(await r.code, 0);
  assert.equal(started[0]!.listening, false);
  const logs = r.logs.join('');
  assert.match(logs, /^W.* not implemented by k8ts yet; ignoring it flag="--allow-privileged"$/m);
  assert.match(logs, /Shutting down component="kube-test" reason="received SIGTERM"/);
});

test('shutdown requested before start finishes still exits 0 after closing', async () => {
  const r = runWith([], AbortSignal.abort('received SIGINT'));
  assert.equal(await r.code, 0);
});
