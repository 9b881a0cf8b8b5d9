// The klog text header, value quoting, verbosity gating and the JSON form, against a fixed clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { newLogger, type Logger } from './logger.js';

function capture(opts: { format?: 'text' | 'json'; verbosity?: number } = {}): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  // 2026-11-30T14:36:38.454244Z
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 14, 36, 38, 454) + 0.244);
  const log = newLogger({ ...opts, clock, pid: 1772, write: (l) => lines.push(l), name: 'server.ts' });
  return { log, lines };
}

test('text lines have the klog header and klog value quoting', () => {
  const cases: { name: string; logf: (l: Logger) => void; want: string }[] = [
    {
      name: 'info with values',
      logf: (l) => l.info('Serving securely', { address: '[::]:6443', port: 6443, tls: true }),
      want: 'I1130 14:36:38.454244    1772 server.ts] Serving securely address="[::]:6443" port=6443 tls=true\n',
    },
    {
      name: 'warning',
      logf: (l) => l.warning('flag is ignored', { flag: '--allow-privileged' }),
      want: 'W1130 14:36:38.454244    1772 server.ts] flag is ignored flag="--allow-privileged"\n',
    },
    {
      name: 'error carries err first',
      logf: (l) => l.error('failed to open store', new Error('disk "full"'), { path: '/x' }),
      want: 'E1130 14:36:38.454244    1772 server.ts] failed to open store err="disk \\"full\\"" path="/x"\n',
    },
    {
      name: 'objects as JSON, nil, newline escaped',
      logf: (l) => l.info('a\nb', { obj: { a: [1] }, none: null }),
      want: 'I1130 14:36:38.454244    1772 server.ts] a\\nb obj={"a":[1]} none=<nil>\n',
    },
    {
      name: 'withName and withValues',
      logf: (l) => l.withName('store.ts').withValues({ resource: 'pods' }).info('watching', { rv: 5 }),
      want: 'I1130 14:36:38.454244    1772 store.ts] watching resource="pods" rv=5\n',
    },
  ];
  for (const c of cases) {
    const { log, lines } = capture();
    c.logf(log);
    assert.deepEqual(lines, [c.want], c.name);
  }
});

test('v(n) logs only at or below the configured verbosity', () => {
  for (const verbosity of [0, 1, 2, 5]) {
    const { log, lines } = capture({ verbosity });
    for (let n = 0; n <= 6; n++) log.v(n).info(`level ${n}`);
    assert.equal(lines.length, verbosity + 1, `verbosity ${verbosity}`);
    assert.equal(log.v(verbosity).enabled, true);
    assert.equal(log.v(verbosity + 1).enabled, false);
  }
});

test('json lines follow component-base JSON format', () => {
  const { log, lines } = capture({ format: 'json', verbosity: 2 });
  log.v(2).info('Watching', { resource: 'pods', rv: 7 });
  log.error('Failed', new Error('boom'), { key: 'k' });
  log.warning('careful');
  assert.deepEqual(
    lines.map((l) => JSON.parse(l)),
    [
      { ts: 1796049398.454244, caller: 'server.ts', msg: 'Watching', v: 2, resource: 'pods', rv: 7 },
      { ts: 1796049398.454244, caller: 'server.ts', msg: 'Failed', err: 'boom', key: 'k' },
      { ts: 1796049398.454244, caller: 'server.ts', msg: 'careful', v: 0, level: 'warning' },
    ],
  );
  assert.ok(lines.every((l) => l.endsWith('}\n')));
});
