// The supervisor against small real child processes: start order and readiness, restart after a crash
// with the exit reason, SIGTERM then SIGKILL on shutdown, and no process left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '../base/wait.js';
import { Supervisor, type ComponentSpec, type ComponentStatus } from './supervisor.js';

/**
 * A child that records the SIGTERM it gets, writes "<pid>" to its ready file after a moment, and then
 * idles. FIXTURE_MODE=ignore-term ignores SIGTERM; FIXTURE_MODE=crash prints "boom" and exits 3.
 */
const fixture = `
const fs = require('fs');
const mode = process.env.FIXTURE_MODE || '';
if (mode === 'crash') { console.error('boom'); process.exit(3); }
process.on('SIGTERM', () => {
  fs.appendFileSync(process.env.EVENTS_FILE, 'SIGTERM ' + process.env.NAME + '\\n');
  if (mode !== 'ignore-term') process.exit(0);
});
setTimeout(() => fs.writeFileSync(process.env.READY_FILE, String(process.pid)), 30);
setInterval(() => {}, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readyFileNamesLivePid(path: string): Promise<boolean> {
  try {
    const pid = Number(await readFile(path, 'utf8'));
    return pid > 0 && alive(pid);
  } catch {
    return false;
  }
}

function component(dir: string, name: string, mode = '', command = process.execPath): ComponentSpec {
  const readyFile = join(dir, `${name}.ready`);
  return {
    name,
    command,
    args: ['-e', fixture],
    env: { FIXTURE_MODE: mode, READY_FILE: readyFile, EVENTS_FILE: join(dir, 'events'), NAME: name },
    logFile: join(dir, 'logs', `${name}.log`),
    ready: () => readyFileNamesLivePid(readyFile),
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-supervisor-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fast = { readinessIntervalMs: 20, restartBackoff: { initialMs: 20, factor: 2, capMs: 200 } };

test('starts components in order, each after the previous is ready, and stops them in reverse with SIGTERM', async () => {
  await withDir(async (dir) => {
    const seen: string[] = [];
    const sup = new Supervisor({
      ...fast,
      components: [component(dir, 'a'), component(dir, 'b')],
      onStatus: (s) => seen.push(`${s.name}:${s.phase}`),
    });
    const ac = new AbortController();
    const done = sup.run(ac.signal);
    await sup.ready;
    const pids = sup.pids();
    assert.equal(pids.length, 2);
    assert.deepEqual(sup.status().map((s) => s.phase), ['Ready', 'Ready']);
    ac.abort();
    await done;
    assert.deepEqual(seen, [
      'a:Starting', 'a:Ready', 'b:Starting', 'b:Ready',
      'b:Stopping', 'b:Stopped', 'a:Stopping', 'a:Stopped',
    ]);
    assert.equal(await readFile(join(dir, 'events'), 'utf8'), 'SIGTERM b\nSIGTERM a\n');
    assert.ok(pids.every((p) => !alive(p)), 'no child outlives the supervisor');
    assert.match(await readFile(join(dir, 'logs', 'a.log'), 'utf8'), /^---- k8ts up: starting a at /);
  });
});

test('a child that ignores SIGTERM is killed after the grace period', async () => {
  await withDir(async (dir) => {
    const messages: string[] = [];
    const sup = new Supervisor({
      ...fast,
      gracePeriodMs: 150,
      components: [component(dir, 'stubborn', 'ignore-term')],
      onStatus: (s) => s.message && messages.push(`${s.phase}: ${s.message}`),
    });
    const ac = new AbortController();
    const done = sup.run(ac.signal);
    await sup.ready;
    const [pid] = sup.pids();
    const t0 = performance.now();
    ac.abort();
    await done;
    assert.ok(performance.now() - t0 >= 140, 'waited for the grace period');
    assert.equal(alive(pid!), false);
    assert.equal(await readFile(join(dir, 'events'), 'utf8'), 'SIGTERM stubborn\n');
    assert.deepEqual(messages, ['Stopping: did not stop within 0.1s; killed', 'Stopped: did not stop within 0.1s; killed']);
  });
});

test('a killed child is restarted and becomes ready again', async () => {
  await withDir(async (dir) => {
    const statuses: ComponentStatus[] = [];
    const sup = new Supervisor({ ...fast, components: [component(dir, 'a')], onStatus: (s) => statuses.push(s) });
    const ac = new AbortController();
    const done = sup.run(ac.signal);
    await sup.ready;
    const [first] = sup.pids();
    process.kill(first!, 'SIGKILL');
    await poll({ intervalMs: 20, timeoutMs: 10_000 }, () => {
      const s = sup.status()[0]!;
      return s.phase === 'Ready' && s.pid !== first;
    });
    const crash = statuses.find((s) => s.phase === 'CrashLoopBackOff');
    assert.match(crash?.message ?? '', /^killed by SIGKILL; restarting in \d+\.\ds/);
    assert.equal(sup.status()[0]!.restarts, 1);
    ac.abort();
    await done;
    assert.deepEqual(sup.pids(), []);
  });
});

test('a crash-looping child is restarted with growing delays and its last log line is shown', async () => {
  await withDir(async (dir) => {
    const crashes: { at: number; message: string }[] = [];
    const sup = new Supervisor({
      ...fast,
      components: [component(dir, 'crasher', 'crash')],
      onStatus: (s) => {
        if (s.phase === 'CrashLoopBackOff') crashes.push({ at: performance.now(), message: s.message ?? '' });
      },
    });
    const ac = new AbortController();
    const done = sup.run(ac.signal);
    await poll({ intervalMs: 20, timeoutMs: 20_000 }, () => crashes.length >= 4);
    ac.abort();
    await done;
    await assert.rejects(sup.ready, /shut down before every component was ready/);
    for (const c of crashes) assert.match(c.message, /^exited with code 3; restarting in .* \(last log line: boom\)$/);
    const delays = crashes.map((c) => Number(/restarting in ([\d.]+)s/.exec(c.message)![1]));
    assert.ok(delays[3]! > delays[0]!, `delays grow: ${delays.join(', ')}`);
    assert.equal(sup.status()[0]!.phase, 'Stopped');
  });
});

test('a command that cannot be started is reported and retried', async () => {
  await withDir(async (dir) => {
    const crashes: string[] = [];
    const sup = new Supervisor({
      ...fast,
      components: [component(dir, 'missing', '', join(dir, 'no-such-binary'))],
      onStatus: (s) => s.phase === 'CrashLoopBackOff' && crashes.push(s.message ?? ''),
    });
    const ac = new AbortController();
    const done = sup.run(ac.signal);
    await poll({ intervalMs: 20, timeoutMs: 10_000 }, () => crashes.length >= 2);
    ac.abort();
    await done;
    assert.match(crashes[0]!, /ENOENT/);
  });
});
