// Taint bookkeeping of the node lifecycle controller: condition → NoSchedule taints, swaps, toleration windows, zones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Taint, Toleration } from '../../../api/generated/core/v1.js';
import { desiredNoScheduleTaints, swapTaints, tolerationWindow, unreachableNoExecute } from './taints.js';
import { computeZoneState, zoneEvictionRate, zoneKey } from './zones.js';

test('desiredNoScheduleTaints mirrors conditions and spec.unschedulable', () => {
  const cases: Array<{ name: string; node: Node; want: string[] }> = [
    { name: 'ready', node: { spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, want: [] },
    { name: 'not ready', node: { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, want: ['node.kubernetes.io/not-ready'] },
    { name: 'unknown', node: { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, want: ['node.kubernetes.io/unreachable'] },
    {
      name: 'pressures',
      node: { status: { conditions: [{ type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'True' }, { type: 'PIDPressure', status: 'False' }] } },
      want: ['node.kubernetes.io/memory-pressure', 'node.kubernetes.io/disk-pressure'],
    },
    { name: 'cordoned', node: { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, want: ['node.kubernetes.io/unschedulable'] },
  ];
  for (const c of cases) {
    const got = desiredNoScheduleTaints(c.node);
    assert.deepEqual(got.map((t) => t.key), c.want, c.name);
    assert.ok(got.every((t) => t.effect === 'NoSchedule'), c.name);
  }
});

test('swapTaints adds with timeAdded for NoExecute, removes by key and effect, reports no-ops', () => {
  const other: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const added = swapTaints([other], [unreachableNoExecute], [], '2026-01-01T00:00:00Z');
  assert.deepEqual(added, [other, { ...unreachableNoExecute, timeAdded: '2026-01-01T00:00:00Z' }]);
  assert.equal(swapTaints(added, [unreachableNoExecute], [], 'later'), undefined);
  assert.deepEqual(swapTaints(added, [], [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], 'x'), [other]);
  assert.equal(swapTaints([other], [], [unreachableNoExecute], 'x'), undefined);
});

test('tolerationWindow: untolerated now, unbounded forever, else the smallest tolerationSeconds', () => {
  const taints: Taint[] = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
  const cases: Array<{ name: string; tolerations?: Toleration[]; want: 'now' | 'forever' | number }> = [
    { name: 'no tolerations', want: 'now' },
    { name: 'other key', tolerations: [{ key: 'x', operator: 'Exists' }], want: 'now' },
    { name: 'exists forever', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], want: 'forever' },
    { name: 'wildcard', tolerations: [{ operator: 'Exists' }], want: 'forever' },
    {
      name: 'smallest seconds',
      tolerations: [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { operator: 'Exists', tolerationSeconds: 30 },
      ],
      want: 30_000,
    },
    { name: 'zero seconds', tolerations: [{ operator: 'Exists', tolerationSeconds: 0 }], want: 'now' },
    { name: 'equal value mismatch', tolerations: [{ key: 'node.kubernetes.io/unreachable', value: 'x', effect: 'NoExecute' }], want: 'now' },
  ];
  for (const c of cases) assert.equal(tolerationWindow(taints, c.tolerations), c.want, c.name);
});

test('zone keys, zone states and tainting rates', () => {
  assert.equal(zoneKey({ metadata: { labels: {} } }), '');
  assert.equal(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z' } } }), 'r:\x00:z');
  const ready = { type: 'Ready', status: 'True' };
  const unknown = { type: 'Ready', status: 'Unknown' };
  const cases = [
    { name: 'all ready', conds: [ready, ready], want: 'Normal' },
    { name: 'none ready', conds: [unknown, undefined], want: 'FullDisruption' },
    { name: 'two of three down is not partial (needs > 2)', conds: [ready, unknown, unknown], want: 'Normal' },
    { name: 'three of four down', conds: [ready, unknown, unknown, unknown], want: 'PartialDisruption' },
    { name: 'three of ten down', conds: [...Array(7).fill(ready), unknown, unknown, unknown], want: 'Normal' },
  ];
  for (const c of cases) assert.equal(computeZoneState(c.conds, 0.55).state, c.want, c.name);
  const rates = { evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 50 };
  assert.equal(zoneEvictionRate('Normal', 10, rates), 0.1);
  assert.equal(zoneEvictionRate('PartialDisruption', 10, rates), 0);
  assert.equal(zoneEvictionRate('PartialDisruption', 100, rates), 0.01);
  assert.equal(zoneEvictionRate('FullDisruption', 10, rates), 0.1);
});
