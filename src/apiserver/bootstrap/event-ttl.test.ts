import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../endpoints/testing/harness.js';
import { strategyFor } from '../registry/strategies.js';
import { lastActivity, sweepExpiredEvents } from './event-ttl.js';

test('last activity is the newest of the event times', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } }, '2026-01-01T00:00:00Z'],
    [{ metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, lastTimestamp: '2026-01-01T02:00:00Z' }, '2026-01-01T02:00:00Z'],
    [{ eventTime: '2026-01-01T01:00:00.000000Z', series: { count: 3, lastObservedTime: '2026-01-01T03:00:00.000000Z' } }, '2026-01-01T03:00:00Z'],
  ];
  for (const [event, want] of cases) assert.equal(lastActivity(event), Date.parse(want));
  assert.equal(lastActivity({}), 0);
});

test('the sweep deletes only events idle for longer than the TTL', async () => {
  const server = await newTestServer({ strategyFor: (g, r) => strategyFor(g, r) });
  const events = server.registries.get('', 'events', 'v1')!;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const start = Date.now();
  const mk = (name: string, lastTimestamp: string) =>
    events.create({ namespace: 'default', obj: { apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'p' }, lastTimestamp } });
  await mk('stale', iso(start - 600_000));
  await mk('active', iso(start + 90 * 60_000));
  // Two hours later with a one-hour TTL: 'stale' (last seen at creation) is gone, 'active' (seen 30 min ago) stays.
  const deleted = await sweepExpiredEvents(server.registries, { ttlMs: 3600_000, now: start + 2 * 3600_000 });
  assert.equal(deleted, 1);
  assert.deepEqual((await events.listObjects({ namespace: 'default' })).items.map((e) => e.metadata?.name), ['active']);
});
