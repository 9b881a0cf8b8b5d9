// Status lines, the live display's in-place redraws (ANSI) against a FakeClock, and the log display.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import { formatStatusLine, LiveProgress, LogProgress } from './progress.js';
import type { ComponentStatus } from './supervisor.js';

const t0 = Date.UTC(2026, 0, 1);

function status(p: Partial<ComponentStatus>): ComponentStatus {
  return { name: 'kube-apiserver', phase: 'Starting', restarts: 0, since: t0, ...p };
}

test('formatStatusLine', () => {
  const cases: { s: ComponentStatus; now: number; want: string }[] = [
    { s: status({ pid: 7 }), now: t0 + 3500, want: '  … kube-apiserver  Starting  3s  pid 7' },
    {
      s: status({ phase: 'Ready', pid: 7, endpoint: 'https://127.0.0.1:6443' }),
      now: t0,
      want: '  ✓ kube-apiserver  Ready  pid 7  https://127.0.0.1:6443',
    },
    {
      s: status({ phase: 'CrashLoopBackOff', restarts: 2, message: 'exited with code 1; restarting in 2.0s' }),
      now: t0,
      want: '  ✗ kube-apiserver  CrashLoopBackOff  restarts 2  exited with code 1; restarting in 2.0s',
    },
    { s: status({ phase: 'Stopped' }), now: t0, want: '  · kube-apiserver  Stopped' },
  ];
  for (const c of cases) assert.equal(formatStatusLine(c.s, c.now, 15), c.want);
});

test('LiveProgress redraws its block in place and refreshes elapsed time each second', () => {
  const writes: string[] = [];
  const clock = new FakeClock(t0);
  const p = new LiveProgress({ write: (s) => writes.push(s), columns: 200 }, clock);
  p.update(status({ pid: 7 }));
  p.update(status({ name: 'kube-scheduler', phase: 'Pending' }));
  assert.equal(writes[0], `${formatStatusLine(status({ pid: 7 }), t0, 14)}\n`);
  // The second draw moves up over the one line drawn before and clears.
  assert.ok(writes[1]!.startsWith('\x1b[1A\r\x1b[J'));
  assert.equal(writes[1]!.split('\n').length - 1, 2);
  clock.step(2000);
  assert.match(writes.at(-1)!, /^\x1b\[2A\r\x1b\[J {2}… kube-apiserver +Starting {2}2s {2}pid 7\n/);
  p.update(status({ phase: 'Ready', pid: 7 }));
  p.update(status({ name: 'kube-scheduler', phase: 'Ready', pid: 8 }));
  const settled = writes.length;
  clock.step(3000);
  assert.equal(writes.length, settled, 'a settled screen is not redrawn');
  p.println('hello');
  assert.match(writes.at(-2)!, /^\x1b\[2A\r\x1b\[Jhello\n$/);
  assert.ok(!writes.at(-1)!.startsWith('\x1b['), 'after a message the block is drawn fresh below it');
  p.close();
  const n = writes.length;
  clock.step(5000);
  assert.equal(writes.length, n, 'no redraws after close');
  assert.equal(clock.pendingTimers(), 0);
});

test('LiveProgress truncates lines to the terminal width', () => {
  const writes: string[] = [];
  const p = new LiveProgress({ write: (s) => writes.push(s), columns: 30 }, new FakeClock(t0));
  p.update(status({ phase: 'CrashLoopBackOff', message: 'x'.repeat(100) }));
  p.close();
  assert.equal(writes[0]!.trimEnd().length, 29);
  assert.ok(writes[0]!.trimEnd().endsWith('…'));
});

test('LogProgress logs each change once, crashes as warnings', () => {
  const lines: string[] = [];
  const log = newLogger({ write: (l) => lines.push(l), clock: new FakeClock(t0), pid: 1 });
  const p = new LogProgress(log, { write: () => {} });
  p.update(status({ pid: 7 }));
  p.update(status({ pid: 7 })); // unchanged: not logged again
  p.update(status({ phase: 'CrashLoopBackOff', restarts: 1, message: 'exited with code 1' }));
  p.update(status({ phase: 'Ready', pid: 9, restarts: 1, endpoint: 'https://127.0.0.1:6443' }));
  assert.deepEqual(
    lines.map((l) => l.slice(0, 1) + l.slice(l.indexOf(']') + 1)),
    [
      'I Component status component="kube-apiserver" phase="Starting" pid=7\n',
      'W Component status component="kube-apiserver" phase="CrashLoopBackOff" restarts=1 message="exited with code 1"\n',
      'I Component status component="kube-apiserver" phase="Ready" pid=9 restarts=1 endpoint="https://127.0.0.1:6443"\n',
    ],
  );
});
