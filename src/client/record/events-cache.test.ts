import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { EventCorrelator, EventNames, type CoreEvent } from './events-cache.js';
import { LRUCache } from './lru-cache.js';

function ev(message: string, opts: { reason?: string; name?: string; eventName?: string } = {}): CoreEvent {
  return {
    metadata: { name: opts.eventName ?? `web.${message.length}`, namespace: 'default' },
    involvedObject: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'default', name: opts.name ?? 'web', uid: 'u1' },
    reason: opts.reason ?? 'ScalingReplicaSet',
    message,
    type: 'Normal',
    source: { component: 'deployment-controller' },
    count: 1,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
  };
}

test('correlator: identical events become one Event with an increasing count (a patch)', () => {
  const clock = new FakeClock();
  const c = new EventCorrelator({ clock });
  const first = c.correlate(ev('Scaled up to 3'));
  assert.equal(first.patch, undefined);
  assert.equal(first.skip, false);
  c.updateState({ ...first.event, metadata: { ...first.event.metadata, resourceVersion: '7' } });
  for (const want of [2, 3, 4]) {
    const later = ev('Scaled up to 3', { eventName: 'another.name' });
    later.lastTimestamp = `2026-01-01T00:00:0${want}Z`;
    const r = c.correlate(later);
    assert.equal(r.event.count, want);
    assert.equal(r.event.metadata.name, first.event.metadata.name, 'the existing Event is patched');
    assert.equal(r.event.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.deepEqual(r.patch, { count: want, lastTimestamp: `2026-01-01T00:00:0${want}Z`, message: 'Scaled up to 3' });
  }
  const other = c.correlate(ev('Scaled up to 3', { reason: 'Other' }));
  assert.equal(other.patch, undefined, 'a different reason is a different event');
});

test('correlator: the 10th distinct similar message within 10 minutes is combined', () => {
  const cases: Array<{ gapMs: number; combinedAt: number | undefined }> = [
    { gapMs: 1000, combinedAt: 10 },
    { gapMs: 11 * 60 * 1000, combinedAt: undefined },
  ];
  for (const tc of cases) {
    const clock = new FakeClock();
    const c = new EventCorrelator({ clock, spamBurst: 1000 });
    let combinedAt: number | undefined;
    for (let i = 1; i <= 12; i++) {
      const r = c.correlate(ev(`message ${i}`));
      if (r.event.message?.startsWith('(combined from similar events): ') && combinedAt === undefined) {
        combinedAt = i;
        assert.equal(r.event.message, `(combined from similar events): message ${i}`);
        assert.match(r.event.metadata.name ?? '', /^web\.[0-9a-f]{16}$/);
      }
      clock.step(tc.gapMs);
    }
    assert.equal(combinedAt, tc.combinedAt, `gap ${tc.gapMs}ms`);
  }
});

test('correlator: later combined events patch the combined Event', () => {
  const c = new EventCorrelator({ clock: new FakeClock() });
  let last;
  for (let i = 1; i <= 10; i++) last = c.correlate(ev(`m${i}`));
  assert.ok(last?.event.message?.startsWith('(combined'));
  c.updateState(last!.event);
  const next = c.correlate(ev('m11'));
  assert.equal(next.event.count, 2);
  assert.equal(next.event.metadata.name, last!.event.metadata.name);
  assert.ok(next.patch);
});

test('correlator: spam filter allows a burst of 25 per source and object, then one per 5 minutes', () => {
  const clock = new FakeClock();
  const c = new EventCorrelator({ clock });
  const allowed = (name: string): boolean => !c.correlate(ev('same', { name })).skip;
  for (let i = 0; i < 25; i++) assert.equal(allowed('web'), true, `event ${i + 1}`);
  assert.equal(allowed('web'), false);
  assert.equal(allowed('api'), true, 'another object has its own bucket');
  clock.step(299_000);
  assert.equal(allowed('web'), false);
  clock.step(1000);
  assert.equal(allowed('web'), true);
  assert.equal(allowed('web'), false);
});

test('event names: <name>.<16 hex digits of nanoseconds>, unique within a tick', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const names = new EventNames(clock);
  const a = names.next('web');
  const b = names.next('web');
  assert.equal(a, `web.${(BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n).toString(16)}`);
  assert.match(a, /^web\.[0-9a-f]{16}$/);
  assert.notEqual(a, b);
});

test('LRU cache evicts the least recently used key', () => {
  const lru = new LRUCache<string, number>(2);
  lru.add('a', 1);
  lru.add('b', 2);
  assert.equal(lru.get('a'), 1);
  lru.add('c', 3);
  assert.equal(lru.get('b'), undefined);
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.size, 2);
});
