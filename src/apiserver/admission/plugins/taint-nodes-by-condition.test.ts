import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { testAttributes } from '../test-attributes.js';
import { newTaintNodesByCondition } from './taint-nodes-by-condition.js';

test('new nodes get node.kubernetes.io/not-ready:NoSchedule once', async () => {
  const plugin = newTaintNodesByCondition();
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
  const cases: Array<{ taints?: corev1.Taint[]; want: corev1.Taint[] }> = [
    { taints: undefined, want: [notReady] },
    { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], want: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, notReady] },
    { taints: [{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoSchedule' }], want: [{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoSchedule' }] },
    { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], want: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, notReady] },
  ];
  for (const c of cases) {
    const node: corev1.Node = { metadata: { name: 'n1' }, spec: { taints: c.taints } };
    await plugin.admit!(testAttributes({ kind: 'Node', resource: 'nodes', object: node as never }));
    assert.deepEqual(node.spec!.taints, c.want);
  }
  assert.equal(plugin.handles('UPDATE'), false);
});
