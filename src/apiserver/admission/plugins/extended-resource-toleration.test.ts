import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { testAttributes } from '../test-attributes.js';
import { newExtendedResourceToleration } from './extended-resource-toleration.js';

test('pods requesting extended resources tolerate their taints', async () => {
  const plugin = newExtendedResourceToleration();
  const pod: corev1.Pod = {
    metadata: { name: 'p' },
    spec: {
      tolerations: [{ key: 'example.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: 'a', resources: { requests: { cpu: '1', 'example.com/gpu': '1', 'vendor.io/fpga': '2', 'hugepages-2Mi': '1Gi' } } }],
    },
  };
  await plugin.admit!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never }));
  assert.deepEqual(pod.spec!.tolerations, [
    { key: 'example.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'vendor.io/fpga', operator: 'Exists', effect: 'NoSchedule' },
  ]);
});
