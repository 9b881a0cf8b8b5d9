// The resource quota controller against an in-process apiserver (ResourceQuota admission on): status.used
// follows creates and deletions of pods, services and config maps, and a quota created after the objects
// starts with their usage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type { ResourceQuota } from '../../src/controller-manager/controllers/resourcequota/resource-quota-controller.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const gvr = (resource: string) => ({ group: '', version: 'v1', resource });

async function used(client: Interface, name: string): Promise<Record<string, string> | undefined> {
  return (await client.resource<ResourceQuota>(gvr('resourcequotas'), 'default').get(name)).status?.used;
}

test('status.used tracks the namespace’s objects', async (t) => {
  const { client } = await startControllers(t, { controllers: ['resourcequota'] });
  await client.resource(gvr('serviceaccounts'), 'default').create({ metadata: { name: 'default' } });
  await client.resource(gvr('configmaps'), 'default').create({ metadata: { name: 'before' } });
  await client.resource(gvr('resourcequotas'), 'default').create({
    metadata: { name: 'compute' },
    spec: { hard: { pods: '5', 'requests.cpu': '2', 'limits.memory': '1Gi', 'count/configmaps': '10', 'services.nodeports': '4' } },
  } as KubeObject);
  await eventually(async () => (await used(client, 'compute'))?.['count/configmaps'] === '1');
  assert.deepEqual(await used(client, 'compute'), { 'count/configmaps': '1', 'limits.memory': '0', pods: '0', 'requests.cpu': '0', 'services.nodeports': '0' });

  for (const [name, cpu] of [['a', '500m'], ['b', '250m']] as const) {
    await client.resource(gvr('pods'), 'default').create({
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu }, limits: { cpu, memory: '256Mi' } } }] },
    } as KubeObject);
  }
  await client.resource(gvr('services'), 'default').create({ metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } } as KubeObject);
  await eventually(async () => (await used(client, 'compute'))?.['services.nodeports'] === '1' && (await used(client, 'compute'))?.pods === '2');
  assert.deepEqual(await used(client, 'compute'), { 'count/configmaps': '1', 'limits.memory': '512Mi', pods: '2', 'requests.cpu': '750m', 'services.nodeports': '1' });

  // Deletions only the controller accounts for (admission sees creates).
  await client.resource(gvr('pods'), 'default').delete('a', { gracePeriodSeconds: 0 });
  await eventually(async () => (await used(client, 'compute'))?.pods === '1');
  assert.equal((await used(client, 'compute'))?.['requests.cpu'], '250m');
  const q = await client.resource<ResourceQuota>(gvr('resourcequotas'), 'default').get('compute');
  assert.deepEqual(q.status?.hard, q.spec?.hard);
});

test('count/<resource>.<group> of a custom resource is found through discovery', async (t) => {
  const { client } = await startControllers(t, { controllers: ['resourcequota'] });
  await client.resource({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }).create({
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  } as KubeObject);
  const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };
  await eventually(async () => {
    try {
      await client.resource(widgets, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
      return true;
    } catch {
      return false;
    }
  });
  await client.resource(widgets, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' } });
  await client.resource(gvr('resourcequotas'), 'default').create({ metadata: { name: 'objects' }, spec: { hard: { 'count/widgets.example.com': '5' } } } as KubeObject);
  await eventually(async () => (await used(client, 'objects'))?.['count/widgets.example.com'] === '2');
});

test('deleting an object of any counted kind gives its unit back within seconds (quota monitors)', async (t) => {
  const { client } = await startControllers(t, { controllers: ['resourcequota'] });
  await client.resource(gvr('resourcequotas'), 'default').create({ metadata: { name: 'objects' }, spec: { hard: { 'count/configmaps': '1', secrets: '1' } } } as KubeObject);
  await eventually(async () => (await used(client, 'objects'))?.['count/configmaps'] === '0');
  const configMaps = client.resource(gvr('configmaps'), 'default');
  await configMaps.create({ metadata: { name: 'one' } });
  await assert.rejects(configMaps.create({ metadata: { name: 'two' } }), /exceeded quota: objects, requested: count\/configmaps=1, used: count\/configmaps=1, limited: count\/configmaps=1/);
  await configMaps.delete('one');
  // Config maps have no typed informer in the controller: the deletion reaches it through its metadata monitor,
  // long before the 5-minute resync.
  const start = Date.now();
  await eventually(async () => (await used(client, 'objects'))?.['count/configmaps'] === '0');
  assert.ok(Date.now() - start < 20_000, `replenished after ${Date.now() - start} ms`);
  await configMaps.create({ metadata: { name: 'two' } });
  // Secrets (the legacy `secrets` name) the same way.
  const secrets = client.resource(gvr('secrets'), 'default');
  await secrets.create({ metadata: { name: 's1' } });
  await secrets.delete('s1');
  await eventually(async () => (await used(client, 'objects'))?.secrets === '0');
});
