import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newRuntimeClass } from './runtime-class.js';

const reader = staticReader([
  {
    group: 'node.k8s.io',
    resource: 'runtimeclasses',
    obj: {
      metadata: { name: 'gvisor' },
      handler: 'runsc',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
    },
  },
]);

test('overhead and scheduling come from the RuntimeClass; unknown classes and conflicts are refused', async () => {
  const plugin = newRuntimeClass({ reader });
  const cases: Array<{ spec: Partial<corev1.PodSpec>; err?: string; want?: Partial<corev1.PodSpec> }> = [
    { spec: {}, want: {} },
    {
      spec: { runtimeClassName: 'gvisor', nodeSelector: { disk: 'ssd' } },
      want: {
        runtimeClassName: 'gvisor',
        overhead: { cpu: '250m', memory: '120Mi' },
        nodeSelector: { disk: 'ssd', sandbox: 'gvisor' },
        tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
    { spec: { runtimeClassName: 'kata' }, err: 'pods "p" is forbidden: pod rejected: RuntimeClass "kata" not found' },
    { spec: { runtimeClassName: 'gvisor', overhead: { cpu: '1' } }, err: `pods "p" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead` },
    { spec: { runtimeClassName: 'gvisor', nodeSelector: { sandbox: 'kata' } }, err: 'pods "p" is forbidden: pod rejected: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = kata' },
  ];
  for (const c of cases) {
    const pod: corev1.Pod = { metadata: { name: 'p' }, spec: { containers: [], ...c.spec } };
    const attrs = testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never });
    if (c.err) {
      await assert.rejects(plugin.admit!(attrs), { code: 403, message: c.err });
      continue;
    }
    await plugin.admit!(attrs);
    await plugin.validate!(attrs);
    const { containers: _, ...rest } = pod.spec!;
    assert.deepEqual(rest, c.want);
  }
});
