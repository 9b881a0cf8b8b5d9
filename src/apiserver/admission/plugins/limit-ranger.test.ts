import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newLimitRanger } from './limit-ranger.js';

const limitRange = (limits: corev1.LimitRangeItem[]) => ({ resource: 'limitranges', obj: { metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } } });
const podWrite = (pod: corev1.Pod) => testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never });

test('admit: defaults fill what containers lack, noted in the annotation', async () => {
  const plugin = newLimitRanger({ reader: staticReader([limitRange([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }])]) });
  const pod: corev1.Pod = {
    metadata: { name: 'p' },
    spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app', resources: { limits: { cpu: '1' }, requests: { cpu: '1' } } }, { name: 'side' }] },
  };
  await plugin.admit!(podWrite(pod));
  assert.deepEqual(pod.spec!.containers[0].resources, { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '1', memory: '128Mi' } });
  assert.deepEqual(pod.spec!.containers[1].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  assert.equal(
    pod.metadata!.annotations!['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: memory request for container app; memory limit for container app; cpu, memory request for container side; cpu, memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init',
  );
});

test('validate: min, max and ratio for containers, pods and claims in upstream words', async () => {
  const reader = staticReader([
    limitRange([
      { type: 'Container', min: { cpu: '100m' }, max: { memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } },
      { type: 'Pod', max: { cpu: '2' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } },
    ]),
  ]);
  const plugin = newLimitRanger({ reader });
  const c = (requests: Record<string, string>, limits: Record<string, string>) => ({ name: 'c', resources: { requests, limits } });
  const cases = [
    { containers: [c({ cpu: '200m' }, { cpu: '400m', memory: '512Mi' })], err: undefined },
    { containers: [c({ cpu: '50m' }, { cpu: '100m', memory: '512Mi' })], err: 'minimum cpu usage per Container is 100m, but request is 50m' },
    { containers: [c({}, { memory: '512Mi' })], err: '[minimum cpu usage per Container is 100m.  No request is specified, cpu max limit to request ratio per Container is 2, but no request is specified or request is 0, maximum cpu usage per Pod is 2.  No limit is specified]' },
    { containers: [c({ cpu: '200m' }, { cpu: '400m', memory: '2Gi' })], err: 'maximum memory usage per Container is 1Gi, but limit is 2Gi' },
    { containers: [c({ cpu: '200m' }, { cpu: '1', memory: '1Gi' })], err: 'cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000' },
    { containers: [c({ cpu: '1' }, { cpu: '2', memory: '1Gi' }), c({ cpu: '1' }, { cpu: '2', memory: '1Gi' })], err: 'maximum cpu usage per Pod is 2, but limit is 4' },
  ];
  for (const cs of cases) {
    const run = plugin.validate!(podWrite({ metadata: { name: 'p' }, spec: { containers: cs.containers } }));
    if (cs.err) await assert.rejects(run, { code: 403, message: `pods "p" is forbidden: ${cs.err}` });
    else await run;
  }
  const claim = (storage: string) => testAttributes({ kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespace: 'ns', object: { metadata: { name: 'data' }, spec: { resources: { requests: { storage } } } } as never });
  await plugin.validate!(claim('5Gi'));
  await assert.rejects(plugin.validate!(claim('500Mi')), { message: 'persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi' });
  await assert.rejects(plugin.validate!(claim('20Gi')), { message: 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi' });
});
