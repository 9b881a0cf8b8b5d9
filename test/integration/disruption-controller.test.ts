// The disruption controller against an in-process apiserver with the eviction subresource: a budget's
// status follows its pods' readiness, an eviction it allows spends the disruption and the next one is
// refused with 429 until the status is recomputed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../src/apimachinery/errors.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type { PodDisruptionBudget } from '../../src/controller-manager/controllers/disruption/disruption-controller.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const pdbs = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };

async function createReadyPod(client: Interface, name: string, ready: boolean): Promise<void> {
  const p = await client.resource(pods, 'default').create({ metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  (p as { status?: unknown }).status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  await client.resource(pods, 'default').update(p, { subresource: 'status' });
}

test('PDB status: counts, DisruptionAllowed, and evictions spending disruptions', async (t) => {
  const { client } = await startControllers(t, { controllers: ['disruption'] });
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  for (const [name, ready] of [['a', true], ['b', true], ['c', true], ['d', false]] as const) await createReadyPod(client, name, ready);
  await client.resource(pdbs, 'default').create({ metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } } as KubeObject);
  const status = async () => (await client.resource<PodDisruptionBudget>(pdbs, 'default').get('web')).status!;
  await eventually(async () => (await status()).disruptionsAllowed === 1);
  const st = await status();
  assert.deepEqual([st.expectedPods, st.currentHealthy, st.desiredHealthy, st.observedGeneration], [4, 3, 2, 1]);
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);

  const evict = (name: string) =>
    client.resource(pods, 'default').createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
  await evict('a');
  await assert.rejects(evict('b'), (err: unknown) => err instanceof StatusError && err.status.code === 429);
  // The evicted pod is terminating: not healthy, so the budget now has no disruption to spare.
  await eventually(async () => (await status()).currentHealthy === 2);
  const after = await status();
  assert.equal(after.disruptionsAllowed, 0);
  assert.deepEqual(after.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);

  // A pod turning ready gives the budget a disruption again.
  const d = await client.resource(pods, 'default').get('d');
  (d as { status?: unknown }).status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  await client.resource(pods, 'default').update(d, { subresource: 'status' });
  await eventually(async () => (await status()).disruptionsAllowed === 1);
  await evict('b');
});

test('a stale DisruptionTarget condition on a pod that was not deleted is reset to False', async (t) => {
  const { client } = await startControllers(t, { controllers: ['disruption'] });
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  const p = await client.resource(pods, 'default').create({ metadata: { name: 'kept' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  const threeMinutesAgo = new Date(Date.now() - 180_000).toISOString().replace(/\.\d+Z$/, 'Z');
  (p as { status?: unknown }).status = { phase: 'Running', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: threeMinutesAgo }] };
  await client.resource(pods, 'default').update(p, { subresource: 'status' });
  const condition = async () => ((await client.resource(pods, 'default').get('kept')).status as { conditions?: Array<{ type: string; status: string }> }).conditions?.find((c) => c.type === 'DisruptionTarget');
  await eventually(async () => (await condition())?.status === 'False');
});

test('percentages scale with a custom controller through its scale subresource', async (t) => {
  const { client } = await startControllers(t, { controllers: ['disruption'] });
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  await client.resource({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }).create({
    metadata: { name: 'pools.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'pools', singular: 'pool', kind: 'Pool', listKind: 'PoolList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        },
      ],
    },
  } as KubeObject);
  const poolsGVR = { group: 'example.com', version: 'v1', resource: 'pools' };
  let pool: KubeObject | undefined;
  await eventually(async () => {
    try {
      pool = await client.resource(poolsGVR, 'default').create({ apiVersion: 'example.com/v1', kind: 'Pool', metadata: { name: 'p' }, spec: { replicas: 4 } } as KubeObject);
      return true;
    } catch {
      return false;
    }
  });
  const owner = { apiVersion: 'example.com/v1', kind: 'Pool', name: 'p', uid: pool!.metadata!.uid!, controller: true };
  for (const name of ['x', 'y', 'z']) {
    const p = await client.resource(pods, 'default').create({ metadata: { name, labels: { app: 'pool' }, ownerReferences: [owner] }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    (p as { status?: unknown }).status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    await client.resource(pods, 'default').update(p, { subresource: 'status' });
  }
  await client.resource(pdbs, 'default').create({ metadata: { name: 'pool' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'pool' } } } } as KubeObject);
  const status = async () => (await client.resource<PodDisruptionBudget>(pdbs, 'default').get('pool')).status!;
  await eventually(async () => (await status()).expectedPods === 4);
  const st = await status();
  assert.deepEqual([st.currentHealthy, st.desiredHealthy, st.disruptionsAllowed], [3, 2, 1]);
});
