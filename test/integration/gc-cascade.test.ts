// The garbage collector against an in-process apiserver, run through the controller manager's registry:
// background, foreground (blockOwnerDeletion holds the owner) and orphan deletion of a ReplicaSet's pods and
// of a Deployment → ReplicaSet → Pod chain, a cluster-scoped owner, dangling references (absent owner, uid
// mismatch), owners that are custom resources, and invalid cross-namespace references.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import type { GroupVersionResource, Interface, KubeObject } from '../../src/client/rest/interface.js';
import { runControllerManager } from '../../src/controller-manager/controller-manager.js';
import { PrometheusControllerMetrics } from '../../src/controller-manager/metrics.js';
import { defaultControllerManagerOptions } from '../../src/controller-manager/options.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const replicasets = { group: 'apps', version: 'v1', resource: 'replicasets' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const clusterroles = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };
const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => poll({ intervalMs: 20, timeoutMs }, cond);

async function exists(client: Interface, gvr: GroupVersionResource, ns: string, name: string): Promise<boolean> {
  try {
    await client.resource(gvr, ns).get(name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

type Ref = { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean };

function refTo(obj: KubeObject, apiVersion: string, kind: string, extra: Partial<Ref> = {}): Ref {
  return { apiVersion, kind, name: obj.metadata!.name!, uid: obj.metadata!.uid!, ...extra };
}

/** An apiserver plus a controller manager running only the garbage collector. */
async function startGC(t: TestContext): Promise<{ client: Interface; recorder: RecordingRecorder }> {
  const cluster = await startInProcessAPIServer(t);
  await cluster.client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  const o = defaultControllerManagerOptions();
  o.controllers = ['garbagecollector'];
  o.securePort = 0;
  o.leaderElection.leaderElect = false;
  o.concurrency['garbage-collector'] = 5;
  const recorder = new RecordingRecorder();
  const stop = new AbortController();
  const manager = await runControllerManager(o, stop.signal, {
    client: cluster.newClient(),
    logger: newLogger({ write: process.env.GC_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} }),
    metrics: new PrometheusControllerMetrics({ processMetrics: false }),
    recorder: () => recorder,
    identity: 'gc-test',
  });
  t.after(async () => {
    stop.abort();
    await manager.close();
  });
  return { client: cluster.client, recorder };
}

function pod(name: string, owners: Ref[], finalizers?: string[]): KubeObject {
  return { metadata: { name, ownerReferences: owners, finalizers }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
}

async function replicaSetWithPods(client: Interface, name: string, n: number, podFinalizers?: string[]): Promise<KubeObject> {
  const rs = await client.resource(replicasets, 'default').create({
    metadata: { name },
    spec: { replicas: n, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  for (let i = 0; i < n; i++) {
    await client.resource(pods, 'default').create(pod(`${name}-${i}`, [refTo(rs, 'apps/v1', 'ReplicaSet', { controller: true, blockOwnerDeletion: true })], i === 0 ? podFinalizers : undefined));
  }
  return rs;
}

async function podNames(client: Interface, prefix: string): Promise<string[]> {
  const list = await client.resource(pods, 'default').list();
  return list.items.map((p) => p.metadata!.name!).filter((n) => n.startsWith(prefix)).sort();
}

test('garbage collector: cascading deletion of ReplicaSets, Deployments, cluster-scoped and custom owners', async (t) => {
  const { client, recorder } = await startGC(t);

  await t.test('background: the owner goes at once, its pods after it', async () => {
    await replicaSetWithPods(client, 'bg', 3);
    await client.resource(replicasets, 'default').delete('bg', { propagationPolicy: 'Background' });
    assert.equal(await exists(client, replicasets, 'default', 'bg'), false);
    await until(async () => (await podNames(client, 'bg-')).length === 0);
  });

  await t.test('foreground: the owner waits for a blocking pod that has a finalizer, then goes', async () => {
    await replicaSetWithPods(client, 'fg', 3, ['example.com/hold']);
    await client.resource(replicasets, 'default').delete('fg', { propagationPolicy: 'Foreground' });
    await until(async () => (await podNames(client, 'fg-')).length === 1);
    const held = await client.resource(replicasets, 'default').get('fg');
    assert.ok(held.metadata?.deletionTimestamp);
    assert.deepEqual(held.metadata?.finalizers, ['foregroundDeletion']);
    // The last pod (deleting, held by its finalizer) still blocks the owner.
    const p = await client.resource(pods, 'default').get('fg-0');
    assert.ok(p.metadata?.deletionTimestamp);
    assert.equal(await exists(client, replicasets, 'default', 'fg'), true);
    await client.resource(pods, 'default').patch('fg-0', 'merge', { metadata: { finalizers: null } });
    await until(async () => !(await exists(client, replicasets, 'default', 'fg')));
  });

  await t.test('orphan: the owner goes, its pods stay without the owner reference', async () => {
    await replicaSetWithPods(client, 'or', 2);
    await client.resource(replicasets, 'default').delete('or', { propagationPolicy: 'Orphan' });
    await until(async () => !(await exists(client, replicasets, 'default', 'or')));
    for (const name of await podNames(client, 'or-')) {
      const p = await client.resource(pods, 'default').get(name);
      assert.deepEqual(p.metadata?.ownerReferences ?? [], [], name);
    }
    assert.equal((await podNames(client, 'or-')).length, 2);
  });

  await t.test('Deployment → ReplicaSet → Pods: background and foreground', async () => {
    for (const policy of ['Background', 'Foreground'] as const) {
      const name = `chain-${policy.toLowerCase()}`;
      const d = await client.resource(deployments, 'default').create({
        metadata: { name },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      });
      const rs = await client.resource(replicasets, 'default').create({
        metadata: { name: `${name}-rs`, ownerReferences: [refTo(d, 'apps/v1', 'Deployment', { controller: true, blockOwnerDeletion: true })] },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      });
      for (let i = 0; i < 2; i++) await client.resource(pods, 'default').create(pod(`${name}-rs-${i}`, [refTo(rs, 'apps/v1', 'ReplicaSet', { controller: true, blockOwnerDeletion: true })]));
      await client.resource(deployments, 'default').delete(name, { propagationPolicy: policy });
      await until(async () => !(await exists(client, deployments, 'default', name)) && !(await exists(client, replicasets, 'default', `${name}-rs`)) && (await podNames(client, `${name}-rs-`)).length === 0);
    }
  });

  await t.test('a cluster-scoped owner of namespaced dependents', async () => {
    const role = await client.resource(clusterroles).create({ metadata: { name: 'gc-owner' }, rules: [] });
    await client.resource(configmaps, 'default').create({ metadata: { name: 'owned-by-role', ownerReferences: [refTo(role, 'rbac.authorization.k8s.io/v1', 'ClusterRole')] } });
    assert.equal(await exists(client, configmaps, 'default', 'owned-by-role'), true);
    await client.resource(clusterroles).delete('gc-owner');
    await until(async () => !(await exists(client, configmaps, 'default', 'owned-by-role')));
  });

  await t.test('dangling references: absent owner, and an owner with the same name but another uid', async () => {
    await client.resource(configmaps, 'default').create({
      metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-was', uid: '00000000-0000-0000-0000-000000000001' }] },
    });
    const real = await client.resource(configmaps, 'default').create({ metadata: { name: 'real-owner' } });
    await client.resource(configmaps, 'default').create({
      metadata: { name: 'uid-mismatch', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'real-owner', uid: '00000000-0000-0000-0000-000000000002' }] },
    });
    await client.resource(configmaps, 'default').create({ metadata: { name: 'kept', ownerReferences: [refTo(real, 'v1', 'ConfigMap')] } });
    await until(async () => !(await exists(client, configmaps, 'default', 'dangling')) && !(await exists(client, configmaps, 'default', 'uid-mismatch')));
    assert.equal(await exists(client, configmaps, 'default', 'kept'), true);
    assert.equal(await exists(client, configmaps, 'default', 'real-owner'), true);
  });

  await t.test('a dependent with a solid owner only loses references to absent and foreground-deleting owners', async () => {
    const keeper = await client.resource(configmaps, 'default').create({ metadata: { name: 'keeper' } });
    const leaving = await client.resource(configmaps, 'default').create({ metadata: { name: 'leaving' } });
    await client.resource(configmaps, 'default').create({
      metadata: {
        name: 'two-owners',
        ownerReferences: [refTo(keeper, 'v1', 'ConfigMap'), { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: '00000000-0000-0000-0000-000000000003' }],
      },
    });
    const refsOf = async (name: string) => ((await client.resource(configmaps, 'default').get(name)).metadata?.ownerReferences ?? []).map((r) => r.name).sort();
    await until(async () => (await refsOf('two-owners')).join() === 'keeper');

    await client.resource(configmaps, 'default').create({
      metadata: { name: 'shared', ownerReferences: [refTo(keeper, 'v1', 'ConfigMap'), refTo(leaving, 'v1', 'ConfigMap', { blockOwnerDeletion: true })] },
    });
    await client.resource(configmaps, 'default').delete('leaving', { propagationPolicy: 'Foreground' });
    await until(async () => !(await exists(client, configmaps, 'default', 'leaving')));
    assert.deepEqual(await refsOf('shared'), ['keeper']);
  });

  await t.test('a custom resource owner, with its CRD created while the collector runs', async () => {
    await client.resource(crds).create({
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    let widget: KubeObject | undefined;
    await until(async () => {
      try {
        widget = await client.resource(widgets, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
        return true;
      } catch {
        return false;
      }
    });
    await client.resource(configmaps, 'default').create({ metadata: { name: 'owned-by-widget', ownerReferences: [refTo(widget!, 'example.com/v1', 'Widget', { blockOwnerDeletion: true })] } });
    await client.resource(widgets, 'default').delete('w1', { propagationPolicy: 'Foreground' });
    await until(async () => !(await exists(client, configmaps, 'default', 'owned-by-widget')) && !(await exists(client, widgets, 'default', 'w1')));
  });

  await t.test('invalid owner references: another namespace, and a namespaced owner of a cluster-scoped object', async () => {
    await client.resource(namespaces).create({ metadata: { name: 'other' } });
    const owner = await client.resource(configmaps, 'other').create({ metadata: { name: 'owner-elsewhere' } });
    await client.resource(configmaps, 'default').create({ metadata: { name: 'cross-ns', ownerReferences: [refTo(owner, 'v1', 'ConfigMap')] } });
    await until(async () => !(await exists(client, configmaps, 'default', 'cross-ns')));
    assert.equal(await exists(client, configmaps, 'other', 'owner-elsewhere'), true);
    await until(() => recorder.events.some((e) => e.startsWith('Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: default, name: owner-elsewhere')));

    await client.resource(clusterroles).create({ metadata: { name: 'owned-by-configmap', ownerReferences: [refTo(owner, 'v1', 'ConfigMap')] }, rules: [] });
    await until(() => recorder.events.some((e) => e.startsWith('Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: , name: owner-elsewhere')));
    // Unresolvable, so never collected.
    assert.equal(await exists(client, clusterroles, '', 'owned-by-configmap'), true);
  });
});
