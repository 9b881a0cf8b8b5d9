// End to end with the official JavaScript client (@kubernetes/client-node) as an independent client of
// `k8ts apiserver`: typed CRUD, patches with each content type, server-side apply through the generic
// object API, errors as ApiException with the server's Status, a raw watch and an informer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startAPIServer } from '../harness/apiserver-process.js';

/** The Status the server sent with an ApiException (its body is the raw JSON text). */
function statusOf(err: unknown): { code?: number; reason?: string; message?: string } {
  assert.ok(err instanceof k8s.ApiException, `expected an ApiException, got ${String(err)}`);
  const body = (err as k8s.ApiException<unknown>).body;
  return typeof body === 'string' ? JSON.parse(body) : (body as object);
}

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('@kubernetes/client-node works against k8ts apiserver', async (t) => {
  const server = await startAPIServer({ backend: 'memory' });
  t.after(() => server.stop());
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const namespace = 'client-node';
  await core.createNamespace({ body: { metadata: { name: namespace } } });

  await t.test('typed CRUD of a ConfigMap, with label-selected lists', async () => {
    const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm1', labels: { app: 'a' } }, data: { k: 'v' } } });
    assert.equal(created.metadata?.namespace, namespace);
    assert.ok(created.metadata?.uid);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm2', labels: { app: 'b' } } } });
    const list = await core.listNamespacedConfigMap({ namespace, labelSelector: 'app=a' });
    assert.deepEqual(list.items.map((c) => c.metadata?.name), ['cm1']);
    assert.ok(list.metadata?.resourceVersion);

    const read = await core.readNamespacedConfigMap({ namespace, name: 'cm1' });
    read.data = { k: 'v2' };
    const replaced = await core.replaceNamespacedConfigMap({ namespace, name: 'cm1', body: read });
    assert.equal(replaced.data?.k, 'v2');
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);

    // A stale resourceVersion is a 409 Conflict, reported as an ApiException carrying the Status.
    try {
      await core.replaceNamespacedConfigMap({ namespace, name: 'cm1', body: read });
      assert.fail('a stale update must fail');
    } catch (err) {
      const status = statusOf(err);
      assert.equal(status.code, 409);
      assert.equal(status.reason, 'Conflict');
    }

    await core.deleteNamespacedConfigMap({ namespace, name: 'cm1' });
    try {
      await core.readNamespacedConfigMap({ namespace, name: 'cm1' });
      assert.fail('a deleted object must be gone');
    } catch (err) {
      assert.deepEqual({ code: statusOf(err).code, reason: statusOf(err).reason, message: statusOf(err).message }, { code: 404, reason: 'NotFound', message: 'configmaps "cm1" not found' });
    }
  });

  await t.test('patches with the merge, JSON and strategic content types', async () => {
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'patched' }, data: { a: '1' } } });
    const merge = await core.patchNamespacedConfigMap(
      { namespace, name: 'patched', body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merge.data, { a: '1', b: '2' });
    const json = await core.patchNamespacedConfigMap(
      { namespace, name: 'patched', body: [{ op: 'remove', path: '/data/a' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    assert.deepEqual(json.data, { b: '2' });

    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } },
        },
      },
    });
    // Strategic merge: the container list merges by name, so only nginx's image changes.
    const smp = await apps.patchNamespacedDeployment(
      { namespace, name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(
      smp.spec?.template.spec?.containers.map((c) => [c.name, c.image]),
      [
        ['nginx', 'nginx:1.26'],
        ['side', 'busybox'],
      ],
    );
    assert.equal(smp.metadata?.generation, 2);
    const scale = await apps.readNamespacedDeploymentScale({ namespace, name: 'web' });
    assert.equal(scale.spec?.replicas, 1);
  });

  await t.test('server-side apply through KubernetesObjectApi records the field manager', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec: k8s.V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace }, data: { x: '1' } };
    const first = await objects.patch(spec, undefined, undefined, 'client-node-test', true, k8s.PatchStrategy.ServerSideApply);
    assert.deepEqual((first as k8s.V1ConfigMap).data, { x: '1' });
    const managers = first.metadata?.managedFields?.map((m) => [m.manager, m.operation]);
    assert.deepEqual(managers, [['client-node-test', 'Apply']]);
    const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace } });
    assert.equal(read.metadata?.uid, first.metadata?.uid);
  });

  await t.test('a raw watch sees ADDED, MODIFIED and DELETED in order', async () => {
    const list = await core.listNamespacedSecret({ namespace });
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      `/api/v1/namespaces/${namespace}/secrets`,
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj: k8s.V1Secret) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    t.after(() => req.abort());
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: 's1' }, stringData: { a: 'b' } } });
    await core.patchNamespacedSecret({ namespace, name: 's1', body: { metadata: { labels: { l: 'v' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedSecret({ namespace, name: 's1' });
    await until('three watch events', () => events.length >= 3);
    assert.deepEqual(events, ['ADDED s1', 'MODIFIED s1', 'DELETED s1']);
    req.abort();
  });

  await t.test('an informer lists, then follows changes', async () => {
    const path = `/api/v1/namespaces/${namespace}/services`;
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedService({ namespace }));
    const seen: string[] = [];
    informer.on('add', (s: k8s.V1Service) => seen.push(`add ${s.metadata?.name}`));
    informer.on('delete', (s: k8s.V1Service) => seen.push(`delete ${s.metadata?.name}`));
    await core.createNamespacedService({ namespace, body: { metadata: { name: 'before' }, spec: { ports: [{ port: 80 }] } } });
    await informer.start();
    t.after(() => informer.stop());
    await until('the initial list', () => seen.includes('add before'));
    await core.createNamespacedService({ namespace, body: { metadata: { name: 'after' }, spec: { ports: [{ port: 81 }] } } });
    await until('the watched add', () => seen.includes('add after'));
    await core.deleteNamespacedService({ namespace, name: 'before' });
    await until('the watched delete', () => seen.includes('delete before'));
    assert.deepEqual(informer.list(namespace).map((s) => s.metadata?.name), ['after']);
    const cached = informer.get('after', namespace);
    assert.match(cached?.spec?.clusterIP ?? '', /^\d+\.\d+\.\d+\.\d+$/, 'the ClusterIP allocated by the server is in the cache');
    await informer.stop();
  });
});
