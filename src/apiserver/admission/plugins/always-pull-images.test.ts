import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { testAttributes } from '../test-attributes.js';
import { newAlwaysPullImages } from './always-pull-images.js';

test('every container pulls; a later change back is refused', async () => {
  const plugin = newAlwaysPullImages();
  const pod: corev1.Pod = { metadata: { name: 'p' }, spec: { initContainers: [{ name: 'i', imagePullPolicy: 'Never' }], containers: [{ name: 'a', imagePullPolicy: 'IfNotPresent' }, { name: 'b' }] } };
  const attrs = testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never });
  await plugin.admit!(attrs);
  assert.deepEqual([...pod.spec!.initContainers!, ...pod.spec!.containers].map((c) => c.imagePullPolicy), ['Always', 'Always', 'Always']);
  await plugin.validate!(attrs);
  pod.spec!.containers[1].imagePullPolicy = 'IfNotPresent';
  await assert.rejects(plugin.validate!(attrs), { code: 403, message: 'pods "p" is forbidden: spec.containers[1].imagePullPolicy: Unsupported value: "IfNotPresent": supported values: "Always"' });
});
