import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { beforeDelete, gcFinalizers, markAsDeleting } from './deletion.js';

test('gcFinalizers follows upstream deletionFinalizersForGarbageCollection', () => {
  const cases: Array<[string, string[] | undefined, Parameters<typeof gcFinalizers>[1], string[]]> = [
    ['no policy keeps what is there', ['a', 'orphan'], {}, ['a', 'orphan']],
    ['foreground adds foregroundDeletion', ['a'], { propagationPolicy: 'Foreground' }, ['a', 'foregroundDeletion']],
    ['orphan replaces foreground', ['foregroundDeletion'], { propagationPolicy: 'Orphan' }, ['orphan']],
    ['background removes both', ['orphan', 'x', 'foregroundDeletion'], { propagationPolicy: 'Background' }, ['x']],
    ['orphanDependents=true', undefined, { orphanDependents: true }, ['orphan']],
    ['orphanDependents=false', ['orphan'], { orphanDependents: false }, []],
  ];
  for (const [name, existing, options, want] of cases) assert.deepEqual(gcFinalizers(existing, options), want, name);
});

test('beforeDelete: graceful periods, shortening, pending repeats; markAsDeleting', () => {
  const graceful: ResourceStrategy = { checkGracefulDelete: (_o, opts) => opts.gracePeriodSeconds ?? 30 };
  const now = Date.UTC(2026, 0, 1);
  const obj = (meta: Record<string, unknown> = {}): APIObject => ({ metadata: { name: 'p', generation: 1, ...meta } });
  const cases: Array<{ name: string; o: APIObject; grace?: number; strategy?: ResourceStrategy; want: string; ts?: string; period?: number; generation?: number }> = [
    { name: 'not graceful', o: obj(), want: 'no' },
    { name: 'first graceful delete', o: obj(), strategy: graceful, want: 'yes', ts: '2026-01-01T00:00:30Z', period: 30, generation: 2 },
    { name: 'explicit 0', o: obj(), grace: 0, strategy: graceful, want: 'yes', ts: '2026-01-01T00:00:00Z', period: 0 },
    { name: 'negative means 1', o: obj(), grace: -5, strategy: graceful, want: 'yes', period: 1 },
    { name: 'repeat without shortening', o: obj({ deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 }), strategy: graceful, want: 'pending' },
    { name: 'repeat with a longer period', o: obj({ deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 }), grace: 60, strategy: graceful, want: 'pending' },
    { name: 'shortened', o: obj({ deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 }), grace: 5, strategy: graceful, want: 'yes', ts: '2026-01-01T00:00:05Z', period: 5 },
    { name: 'already at 0', o: obj({ deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 }), strategy: graceful, want: 'no' },
  ];
  for (const c of cases) {
    assert.equal(beforeDelete({ obj: c.o, options: { gracePeriodSeconds: c.grace }, strategy: c.strategy, now }), c.want, c.name);
    if (c.ts) assert.equal(c.o.metadata?.deletionTimestamp, c.ts, c.name);
    if (c.period !== undefined) assert.equal(c.o.metadata?.deletionGracePeriodSeconds, c.period, c.name);
    if (c.generation !== undefined) assert.equal(c.o.metadata?.generation, c.generation, c.name);
  }
  const meta: Record<string, unknown> = { generation: 3 };
  markAsDeleting(meta, now);
  assert.deepEqual(meta, { generation: 4, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 });
  markAsDeleting(meta, now + 5000);
  assert.equal(meta.generation, 4, 'bumped once');
  assert.equal(meta.deletionTimestamp, '2026-01-01T00:00:00Z', 'an earlier timestamp stays');
});
