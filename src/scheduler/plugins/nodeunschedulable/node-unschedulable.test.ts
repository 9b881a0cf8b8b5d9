import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter } from '../../testing/plugin-harness.js';
import { NodeUnschedulablePlugin } from './node-unschedulable.js';

test('NodeUnschedulable filter', () => {
  const cases = [
    { name: 'schedulable node', node: makeNode({ name: 'n' }), pod: makePod(), want: null },
    {
      name: 'cordoned node',
      node: makeNode({ name: 'n', unschedulable: true }),
      pod: makePod(),
      want: new Status(Code.UnschedulableAndUnresolvable, ['node(s) were unschedulable']),
    },
    {
      name: 'cordoned node, pod tolerates the unschedulable taint',
      node: makeNode({ name: 'n', unschedulable: true }),
      pod: makePod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      want: null,
    },
  ];
  for (const tc of cases) assert.deepEqual(runFilter(new NodeUnschedulablePlugin(), tc.pod, newNodeInfo(tc.node)), tc.want, tc.name);
  assert.deepEqual(runFilter(new NodeUnschedulablePlugin(), makePod(), newNodeInfo(undefined)), new Status(Code.UnschedulableAndUnresolvable, ['node(s) had unknown conditions']));
});
