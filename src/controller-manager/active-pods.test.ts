// Pod facts and the scale-down ranking, table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/generated/core/v1.js';
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady } from './active-pods.js';

const now = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function pod(o: { name?: string; phase?: string; node?: string; ready?: boolean; readyFor?: number; created?: number; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: o.name ?? 'p', uid: o.name ?? 'p', creationTimestamp: iso(now - (o.created ?? 3_600_000)), ...(o.deleting ? { deletionTimestamp: iso(now) } : {}) },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: iso(now - (o.readyFor ?? 0)) }] },
  };
}

test('active, ready and available', () => {
  const cases: Array<[string, Pod, { active: boolean; ready: boolean; available10s: boolean }]> = [
    ['running ready for a minute', pod({ ready: true, readyFor: 60_000 }), { active: true, ready: true, available10s: true }],
    ['ready for 5 s', pod({ ready: true, readyFor: 5_000 }), { active: true, ready: true, available10s: false }],
    ['not ready', pod(), { active: true, ready: false, available10s: false }],
    ['succeeded', pod({ phase: 'Succeeded' }), { active: false, ready: false, available10s: false }],
    ['failed', pod({ phase: 'Failed' }), { active: false, ready: false, available10s: false }],
    ['terminating', pod({ ready: true, readyFor: 60_000, deleting: true }), { active: false, ready: true, available10s: true }],
  ];
  for (const [name, p, want] of cases) {
    assert.deepEqual({ active: isPodActive(p), ready: isPodReady(p), available10s: isPodAvailable(p, 10, now) }, want, name);
  }
  assert.equal(isPodAvailable(pod({ ready: true, readyFor: 0 }), 0, now), true, 'minReadySeconds 0: ready is available');
});

test('the deletion order sorts a mixed set as upstream', () => {
  const pods = [
    pod({ name: 'running-ready-long', node: 'n', ready: true, readyFor: 86_400_000 }),
    pod({ name: 'running-ready-short', node: 'n', ready: true, readyFor: 60_000 }),
    pod({ name: 'running-not-ready', node: 'n' }),
    pod({ name: 'unknown', node: 'n', phase: 'Unknown' }),
    pod({ name: 'pending', node: 'n', phase: 'Pending' }),
    pod({ name: 'unassigned', phase: 'Pending' }),
  ];
  const order = pods
    .map((p) => ({ pod: p, rank: 0 }))
    .sort((a, b) => compareForDeletion(a, b, now))
    .map((r) => r.pod.metadata?.name);
  assert.deepEqual(order, ['unassigned', 'pending', 'unknown', 'running-not-ready', 'running-ready-short', 'running-ready-long']);
});

test('ready times in the same power-of-two bucket tie, and the tie goes to later criteria', () => {
  // 60 s and 61 s ago are in the same log2(ns) bucket: creation time decides (newer first).
  const a = { pod: pod({ name: 'a', node: 'n', ready: true, readyFor: 60_000, created: 7_200_000 }), rank: 0 };
  const b = { pod: pod({ name: 'b', node: 'n', ready: true, readyFor: 61_000, created: 100_000 }), rank: 0 };
  assert.ok(compareForDeletion(b, a, now) < 0, 'b was created more recently');
  // Without `now`, exact times compare: a became ready later, so it goes first.
  assert.ok(compareForDeletion(a, b) < 0);
});
