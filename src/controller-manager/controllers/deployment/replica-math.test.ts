// Rolling-update arithmetic (table-driven, cases after upstream's deployment util tests) and the pod
// template hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, safeEncodeString } from './pod-template-hash.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, proportionFor, resolveFenceposts, scaledValueFromIntOrPercent } from './replica-math.js';
import type { Deployment, ReplicaSet } from './types.js';

function deployment(replicas: number, surge: number | string, unavailable: number | string, type = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
      template: { metadata: { labels: { app: 'web' } } },
    },
  };
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}): ReplicaSet {
  return { metadata: { name, namespace: 'default', annotations }, spec: { replicas, selector: {} } };
}

test('scaledValueFromIntOrPercent rounds as upstream', () => {
  const cases: Array<[number | string, number, boolean, number]> = [
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['0%', 7, true, 0],
    ['100%', 7, false, 7],
  ];
  for (const [value, total, up, want] of cases) assert.equal(scaledValueFromIntOrPercent(value, total, up), want, `${value} of ${total}`);
  assert.throws(() => scaledValueFromIntOrPercent('abc', 10, true), /invalid value for IntOrString/);
});

test('resolveFenceposts: surge rounds up, unavailable down, both zero → unavailable 1', () => {
  const cases: Array<[number | string, number | string, number, { surge: number; unavailable: number }]> = [
    ['25%', '25%', 4, { surge: 1, unavailable: 1 }],
    ['25%', '25%', 3, { surge: 1, unavailable: 0 }],
    [0, 0, 3, { surge: 0, unavailable: 1 }],
    ['0%', '0%', 10, { surge: 0, unavailable: 1 }],
    [2, '50%', 5, { surge: 2, unavailable: 2 }],
    ['1%', '1%', 10, { surge: 1, unavailable: 0 }],
  ];
  for (const [s, u, desired, want] of cases) assert.deepEqual(resolveFenceposts(s, u, desired), want, `${s}/${u} of ${desired}`);
});

test('maxSurge/maxUnavailable are 0 for Recreate; maxUnavailable is capped at replicas', () => {
  assert.equal(maxSurge(deployment(3, 1, 1, 'Recreate')), 0);
  assert.equal(maxUnavailable(deployment(3, 1, 1, 'Recreate')), 0);
  assert.equal(maxUnavailable(deployment(2, 0, 5)), 2);
  assert.equal(maxUnavailable(deployment(0, 0, 5)), 0);
});

test('newRSNewReplicas grows within maxSurge and never above replicas', () => {
  const cases: Array<{ name: string; d: Deployment; old: number; cur: number; want: number }> = [
    { name: 'fresh rollout of 3 with surge 1', d: deployment(3, 1, 0), old: 3, cur: 0, want: 1 },
    { name: 'at the surge limit', d: deployment(3, 1, 0), old: 3, cur: 1, want: 1 },
    { name: 'old shrank: new may grow', d: deployment(3, 1, 0), old: 2, cur: 1, want: 2 },
    { name: 'capped at replicas', d: deployment(3, 10, 0), old: 0, cur: 1, want: 3 },
    { name: 'recreate: all at once', d: deployment(5, 0, 0, 'Recreate'), old: 5, cur: 0, want: 5 },
  ];
  for (const c of cases) {
    const newRS = rs('new', c.cur);
    assert.equal(newRSNewReplicas(c.d, [rs('old', c.old), newRS], newRS), c.want, c.name);
  }
});

test('proportionFor shares a scaling event by the max-replicas annotation', () => {
  // 10 replicas, surge 3 → 13 allowed; an RS with 6 of 13 asked to absorb +13 (scale to 20, new max 23).
  const d = deployment(20, 3, 0);
  const a = rs('a', 6, { 'deployment.kubernetes.io/max-replicas': '13' });
  assert.equal(proportionFor(a, d, 10, 0), Math.min(Math.round((6 * 23) / 13) - 6, 10));
  assert.equal(proportionFor(a, d, 10, 10), 0, 'nothing left to hand out');
  assert.equal(proportionFor(rs('zero', 0), d, 10, 0), 0, 'a scaled-down RS gets nothing');
  const down = deployment(0, 3, 0);
  assert.equal(proportionFor(a, down, -6, 0), -6, 'scaling to zero takes everything');
});

test('safeEncodeString maps digits onto the consonant alphabet upstream hashes show', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash is stable, ignores key order, and changes with the template and the collision count', () => {
  const t1 = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
  const t1reordered = { spec: { containers: [{ image: 'nginx:1.25', name: 'nginx' }] }, metadata: { labels: { app: 'web' } } };
  const t2 = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } };
  const h = computeHash(t1);
  assert.match(h, /^[bcdf4-9]{1,10}$/);
  assert.equal(computeHash(t1reordered), h);
  assert.notEqual(computeHash(t2), h);
  assert.notEqual(computeHash(t1, 1), h);
  assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
});
