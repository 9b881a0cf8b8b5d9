import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { testAttributes } from '../test-attributes.js';
import { newDefaultTolerationSeconds } from './default-toleration-seconds.js';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

test('not-ready and unreachable NoExecute tolerations are added unless already tolerated', async () => {
  const plugin = newDefaultTolerationSeconds();
  const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  const cases: Array<{ have?: corev1.Toleration[]; want: corev1.Toleration[] }> = [
    { have: undefined, want: [notReady, unreachable] },
    { have: [own], want: [own, unreachable] },
    { have: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    { have: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, notReady] },
    { have: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }], want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable] },
  ];
  for (const c of cases) {
    const pod: corev1.Pod = { metadata: { name: 'p' }, spec: { containers: [], tolerations: c.have ? structuredClone(c.have) : undefined } };
    await plugin.admit!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never }));
    assert.deepEqual(pod.spec!.tolerations, c.want);
  }
  // Other resources and subresources are left alone.
  const node = { metadata: { name: 'n' }, spec: {} };
  await plugin.admit!(testAttributes({ kind: 'Node', resource: 'nodes', object: node }));
  assert.deepEqual(node.spec, {});
});
