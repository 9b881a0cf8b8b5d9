import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { isSuperset, newPodTolerationRestriction } from './pod-toleration-restriction.js';

const dedicated: corev1.Toleration = { key: 'dedicated', operator: 'Equal', value: 'team-a', effect: 'NoSchedule' };
const reader = staticReader([
  {
    resource: 'namespaces',
    obj: {
      metadata: {
        name: 'team-a',
        annotations: {
          'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify([dedicated]),
          'scheduler.alpha.kubernetes.io/tolerationsWhitelist': JSON.stringify([{ key: 'dedicated', operator: 'Exists' }, { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' }]),
        },
      },
    },
  },
]);

test('supersets', () => {
  assert.equal(isSuperset({ key: 'k', operator: 'Exists' }, { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }), true);
  assert.equal(isSuperset({ operator: 'Exists' }, { key: 'any' }), true);
  assert.equal(isSuperset({ key: 'k', operator: 'Equal', value: 'v' }, { key: 'k', operator: 'Equal', value: 'w' }), false);
  assert.equal(isSuperset({ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'k', effect: 'NoExecute', tolerationSeconds: 120 }), false);
});

test('namespace default tolerations are added; the whitelist is enforced', async () => {
  const plugin = newPodTolerationRestriction({ reader });
  const pod = (tolerations?: corev1.Toleration[], requests?: Record<string, string>): corev1.Pod => ({ metadata: { name: 'p' }, spec: { tolerations, containers: [{ name: 'c', resources: requests ? { requests } : undefined }] } });
  const run = async (p: corev1.Pod) => {
    const attrs = testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'team-a', object: p as never });
    await plugin.admit!(attrs);
    await plugin.validate!(attrs);
    return p.spec!.tolerations;
  };
  assert.deepEqual(await run(pod()), [dedicated]);
  assert.deepEqual(await run(pod(undefined, { cpu: '1' })), [dedicated, { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }]);
  await assert.rejects(run(pod([{ key: 'gpu', operator: 'Exists' }])), {
    code: 500,
    message: 'pod tolerations (possibly merged with namespace default tolerations) conflict with its namespace whitelist',
  });
});
