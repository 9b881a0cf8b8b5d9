// The PVC and PV protection controllers against fakes: finalizers added to live objects, removed from deleted
// ones only when nothing uses them — a running pod (seen in the cache or, when the cache has not caught up,
// by the live list) keeps a claim; a finished pod does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { claimNamesOf, persistentVolumeClaimsResource, podsResource, PVCProtectionController } from './pvc-protection-controller.js';
import { persistentVolumesResource, PVProtectionController } from './pv-protection-controller.js';

type Claim = Typed<corev1.PersistentVolumeClaim>;
type Pod = Typed<corev1.Pod>;
type Volume = Typed<corev1.PersistentVolume>;

const deleted = '2026-01-01T00:00:00Z';
const logger = newLogger({ write: () => {} });

function claim(name: string, o: { deleting?: boolean; finalizers?: string[] } = {}): Claim {
  return { metadata: { namespace: 'ns', name, resourceVersion: '1', finalizers: o.finalizers, ...(o.deleting ? { deletionTimestamp: deleted } : {}) }, spec: {} };
}

function pod(name: string, claimName: string, phase = 'Running'): Pod {
  return { metadata: { namespace: 'ns', name }, spec: { containers: [], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] }, status: { phase } };
}

function pvcSetup(claims: Claim[], cachedPods: Pod[], livePods: Pod[] = cachedPods) {
  const client = new FakeClient();
  for (const c of claims) client.seed(persistentVolumeClaimsResource, c);
  for (const p of livePods) client.seed(podsResource, p);
  const claimInformer = new FakeInformer<Claim>(claims);
  const podInformer = new FakeInformer<Pod>(cachedPods);
  const queue = new RecordingQueue();
  const controller = new PVCProtectionController({ client, claims: claimInformer, pods: podInformer, queue, clock: new FakeClock(0), logger });
  return { client, controller, queue, podInformer };
}

test('claimNamesOf: named claims and generic ephemeral volumes', () => {
  const p: Pod = {
    metadata: { name: 'web-0' },
    spec: { containers: [], volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'data' } }, { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }, { name: 'e', emptyDir: {} }] },
  };
  assert.deepEqual(claimNamesOf(p), ['data', 'web-0-scratch']);
});

test('pvc protection: which claims get their finalizer added or removed', async () => {
  const fin = ['kubernetes.io/pvc-protection'];
  const cases: Array<{ name: string; claim: Claim; cached: Pod[]; live?: Pod[]; want: string[] | 'unchanged' }> = [
    { name: 'live claim without the finalizer gets it', claim: claim('c'), cached: [], want: fin },
    { name: 'live claim with it: nothing to do', claim: claim('c', { finalizers: fin }), cached: [], want: 'unchanged' },
    { name: 'deleted and unused: removed', claim: claim('c', { deleting: true, finalizers: [...fin, 'other/x'] }), cached: [], want: ['other/x'] },
    { name: 'deleted but a running pod uses it: kept', claim: claim('c', { deleting: true, finalizers: fin }), cached: [pod('p', 'c')], want: 'unchanged' },
    { name: 'deleted, used only by a finished pod: removed', claim: claim('c', { deleting: true, finalizers: fin }), cached: [pod('p', 'c', 'Succeeded')], want: [] },
    { name: 'deleted, the cache has no pod yet but the server does: kept', claim: claim('c', { deleting: true, finalizers: fin }), cached: [], live: [pod('p', 'c', 'Pending')], want: 'unchanged' },
  ];
  for (const c of cases) {
    const { client, controller } = pvcSetup([c.claim], c.cached, c.live ?? c.cached);
    await controller.syncClaim('ns/c');
    const writes = client.writes().filter((w) => w.resource === 'persistentvolumeclaims');
    if (c.want === 'unchanged') assert.equal(writes.length, 0, c.name);
    else assert.deepEqual((writes[0]?.body as Claim | undefined)?.metadata?.finalizers, c.want, c.name);
  }
});

test('pvc protection: a pod going away enqueues the claims it used', () => {
  const { queue, podInformer } = pvcSetup([], [pod('p', 'c')]);
  podInformer.delete(pod('p', 'c'));
  assert.deepEqual(queue.added, ['ns/c']);
});

test('pv protection: finalizer on live volumes, removed from deleted ones unless Bound', async () => {
  const fin = ['kubernetes.io/pv-protection'];
  const pv = (o: { deleting?: boolean; finalizers?: string[]; phase?: string }): Volume => ({
    metadata: { name: 'v', resourceVersion: '1', finalizers: o.finalizers, ...(o.deleting ? { deletionTimestamp: deleted } : {}) },
    spec: {},
    status: { phase: o.phase ?? 'Available' },
  });
  const cases: Array<{ name: string; pv: Volume; want: string[] | 'unchanged' }> = [
    { name: 'live without: added', pv: pv({}), want: fin },
    { name: 'deleted, Released: removed', pv: pv({ deleting: true, finalizers: fin, phase: 'Released' }), want: [] },
    { name: 'deleted but Bound: kept', pv: pv({ deleting: true, finalizers: fin, phase: 'Bound' }), want: 'unchanged' },
  ];
  for (const c of cases) {
    const client = new FakeClient();
    client.seed(persistentVolumesResource, c.pv);
    const controller = new PVProtectionController({ client, volumes: new FakeInformer<Volume>([c.pv]), queue: new RecordingQueue(), clock: new FakeClock(0), logger });
    await controller.syncVolume('v');
    const writes = client.writes();
    if (c.want === 'unchanged') assert.equal(writes.length, 0, c.name);
    else assert.deepEqual((writes[0]?.body as Volume | undefined)?.metadata?.finalizers, c.want, c.name);
  }
});
