// Autoregistration against a real in-process apiserver (memory store): built-in APIServices at start (and the
// autoregister-completion check), CRD versions followed, foreign APIServices left alone, stale managed ones removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';
import { autoManagedLabel } from './api-service-priorities.js';
import { localAPIServicesFor, syncLocalAPIServices } from './autoregister.js';

/** Polls `check` (a bounded number of times) until it holds. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`never: ${what}`);
}

test('localAPIServicesFor: built-ins by upstream table (unknown ones skipped), CRD versions at 1000/100', () => {
  const r = (group: string, version: string) => ({ group, version }) as never;
  const got = localAPIServicesFor({ builtin: [r('', 'v1'), r('apps', 'v1'), r('apps', 'v1'), r('example.k8s.io', 'v9')], custom: [r('widgets.example.com', 'v1')] });
  assert.deepEqual(
    got.map((s) => [s.metadata?.name, s.spec?.groupPriorityMinimum, s.spec?.versionPriority, s.metadata?.labels?.[autoManagedLabel]]),
    [
      ['v1.', 18000, 1, 'onstart'],
      ['v1.apps', 17800, 15, 'onstart'],
      ['v1.widgets.example.com', 1000, 100, 'true'],
    ],
  );
  assert.equal(got[0]!.spec?.group, undefined);
});

test('the apiserver registers its APIServices, follows CRDs, and leaves foreign APIServices alone', async () => {
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, insecurePort: 0, bindAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] }) });
  try {
    const apiservices = server.registries.get('apiregistration.k8s.io', 'apiservices', 'v1')!;
    const get = async (name: string) => (await apiservices.listObjects({ namespace: '' })).items.find((s) => s.metadata?.name === name) as APIService | undefined;
    const apps = await get('v1.apps');
    assert.deepEqual(apps?.spec, { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 });
    assert.equal(apps?.metadata?.labels?.[autoManagedLabel], 'onstart');
    assert.deepEqual(
      apps?.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['Available', 'True', 'Local', 'Local APIServices are always available']],
    );

    const readyz = await server.handler({ method: 'GET', path: '/readyz', query: new URLSearchParams('verbose'), headers: {}, body: new Uint8Array() }, ac.signal);
    assert.match(String('body' in readyz ? readyz.body : ''), /\[\+\]autoregister-completion ok\n/);
    assert.match(String('body' in readyz ? readyz.body : ''), /\[\+\]poststarthook\/kube-apiserver-autoregistration ok\n/);

    const crds = server.registries.get('apiextensions.k8s.io', 'customresourcedefinitions')!;
    const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
    await crds.create({
      namespace: '',
      obj: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            { name: 'v1', served: true, storage: true, schema },
            { name: 'v2beta1', served: true, storage: false, schema },
          ],
        },
      },
    });
    await eventually('CRD APIServices registered', async () => !!(await get('v1.example.com')) && !!(await get('v2beta1.example.com')));
    const crdService = await get('v2beta1.example.com');
    assert.deepEqual(crdService?.spec, { group: 'example.com', version: 'v2beta1', groupPriorityMinimum: 1000, versionPriority: 100 });
    assert.equal(crdService?.metadata?.labels?.[autoManagedLabel], 'true');

    await crds.delete({ namespace: '', name: 'widgets.example.com' });
    await eventually('CRD APIServices removed', async () => !(await get('v1.example.com')) && !(await get('v2beta1.example.com')));

    // Foreign (unlabelled) APIServices are never changed; stale "onstart" ones go only on the initial sync.
    await apiservices.update({ namespace: '', name: 'v1.apps', obj: { ...apps, metadata: { ...apps!.metadata, labels: {} }, spec: { ...apps!.spec!, versionPriority: 3 } } as never });
    await apiservices.create({ namespace: '', obj: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.gone.k8s.io', labels: { [autoManagedLabel]: 'onstart' } }, spec: { group: 'gone.k8s.io', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1 } } });
    const desired = localAPIServicesFor({ builtin: [{ group: 'apps', version: 'v1' } as never], custom: [] });
    await syncLocalAPIServices({ registry: apiservices, desired, initial: false });
    assert.equal((await get('v1.apps'))?.spec?.versionPriority, 3);
    assert.ok(await get('v1.gone.k8s.io'));
    await syncLocalAPIServices({ registry: apiservices, desired, initial: true });
    assert.equal(await get('v1.gone.k8s.io'), undefined);
    assert.equal((await get('v1.apps'))?.spec?.versionPriority, 3, 'an unlabelled APIService is never rewritten');
    // The initial sync above removed every other "onstart" APIService (v1.batch too); a built-in one comes back
    // at the next start only.
    assert.equal(await get('v1.batch'), undefined);
    const builtins = localAPIServicesFor({ builtin: [{ group: 'batch', version: 'v1' } as never], custom: [] });
    await syncLocalAPIServices({ registry: apiservices, desired: builtins, initial: false });
    assert.equal(await get('v1.batch'), undefined);
    await syncLocalAPIServices({ registry: apiservices, desired: builtins, initial: true });
    assert.equal((await get('v1.batch'))?.spec?.groupPriorityMinimum, 17400);
  } finally {
    ac.abort();
    await server.close();
  }
});
