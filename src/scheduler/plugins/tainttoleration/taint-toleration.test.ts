import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Taint, Toleration } from '../../../api/generated/core/v1.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter, runScore } from '../../testing/plugin-harness.js';
import { TaintTolerationPlugin } from './taint-toleration.js';

test('TaintToleration filter', () => {
  const cases: Array<{ name: string; taints: Taint[]; tolerations?: Toleration[]; want: Status | null }> = [
    { name: 'no taints', taints: [], want: null },
    {
      name: 'untolerated NoSchedule',
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      want: new Status(Code.UnschedulableAndUnresolvable, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']),
    },
    {
      name: 'untolerated NoExecute with a value',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }],
      tolerations: [{ key: 'dedicated', value: 'cpu', effect: 'NoExecute' }],
      want: new Status(Code.UnschedulableAndUnresolvable, ['node(s) had untolerated taint {dedicated: gpu}']),
    },
    { name: 'tolerated with Equal', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], want: null },
    { name: 'tolerated with Exists and no effect', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], tolerations: [{ key: 'dedicated', operator: 'Exists' }], want: null },
    { name: 'an empty key with Exists tolerates everything', taints: [{ key: 'a', effect: 'NoSchedule' }], tolerations: [{ operator: 'Exists' }], want: null },
    { name: 'PreferNoSchedule does not filter', taints: [{ key: 'soft', effect: 'PreferNoSchedule' }], want: null },
  ];
  for (const tc of cases) {
    const got = runFilter(new TaintTolerationPlugin(), makePod({ tolerations: tc.tolerations }), newNodeInfo(makeNode({ name: 'n', taints: tc.taints })));
    assert.deepEqual(got, tc.want, tc.name);
  }
});

test('TaintToleration score: fewer untolerated PreferNoSchedule taints score higher', () => {
  const nodes = [
    makeNode({ name: 'clean' }),
    makeNode({ name: 'one', taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
    makeNode({ name: 'two', taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
  ].map((n) => newNodeInfo(n));
  const cases = [
    { name: 'no tolerations', tolerations: [] as Toleration[], want: [100, 50, 0] },
    { name: 'tolerates a', tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }], want: [100, 100, 0] },
    { name: 'tolerates all', tolerations: [{ operator: 'Exists' }], want: [100, 100, 100] },
  ];
  for (const tc of cases) {
    const got = runScore(new TaintTolerationPlugin(), makePod({ tolerations: tc.tolerations }), nodes);
    assert.deepEqual(got, nodes.map((n, i) => ({ name: n.name(), score: tc.want[i] })), tc.name);
  }
});

test('TaintToleration queueing hint: requeue when the node stops repelling the pod', () => {
  const hint = new TaintTolerationPlugin().eventsToRegister()[0].queueingHintFn;
  assert.ok(hint);
  const tainted = makeNode({ name: 'n', taints: [{ key: 'k', effect: 'NoSchedule' }] });
  const clean = makeNode({ name: 'n' });
  assert.equal(hint(makePod(), tainted, clean), 1);
  assert.equal(hint(makePod(), clean, tainted), 0);
  assert.equal(hint(makePod({ tolerations: [{ key: 'k', operator: 'Exists' }] }), clean, tainted), 1);
});
