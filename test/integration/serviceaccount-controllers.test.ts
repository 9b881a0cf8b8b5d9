// The service accounts controller and the root CA publisher against an in-process apiserver: a new namespace
// gets `default` and kube-root-ca.crt, a pod is then admitted (ServiceAccount admission on), and both objects
// are put back after deletion or tampering.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { rootCADescription } from '../../src/controller-manager/controllers/rootcacertpublisher/publisher.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const namespaces = { group: '', version: 'v1', resource: 'namespaces' };
const serviceaccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };
const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const pods = { group: '', version: 'v1', resource: 'pods' };

const caPEM = '-----BEGIN CERTIFICATE-----\nMIIBdGVzdC1jYQ==\n-----END CERTIFICATE-----\n';

function caFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-rootca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'ca.crt');
  writeFileSync(path, caPEM);
  return path;
}

async function getOrUndefined(client: Interface, gvr: typeof pods, ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.resource(gvr, ns).get(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

test('a new namespace gets the default service account and kube-root-ca.crt; both come back', async (t) => {
  const rootCAFile = caFile(t);
  const { client } = await startControllers(t, {
    controllers: ['serviceaccount', 'root-ca-cert-publisher'],
    configure: (o) => (o.rootCAFile = rootCAFile),
  });
  await client.resource(namespaces).create({ metadata: { name: 'team-a' } });
  await eventually(async () => (await getOrUndefined(client, serviceaccounts, 'team-a', 'default')) !== undefined);
  await eventually(async () => (await getOrUndefined(client, configmaps, 'team-a', 'kube-root-ca.crt')) !== undefined);
  const cm = (await client.resource(configmaps, 'team-a').get('kube-root-ca.crt')) as KubeObject & { data?: Record<string, string> };
  assert.deepEqual(cm.data, { 'ca.crt': caPEM });
  assert.equal(cm.metadata?.annotations?.['kubernetes.io/description'], rootCADescription);

  // ServiceAccount admission now lets pods in and mounts the projected token volume.
  const pod = await client.resource(pods, 'team-a').create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal((pod.spec as { serviceAccountName?: string }).serviceAccountName, 'default');

  const before = (await client.resource(serviceaccounts, 'team-a').get('default')).metadata?.uid;
  await client.resource(serviceaccounts, 'team-a').delete('default');
  await eventually(async () => {
    const sa = await getOrUndefined(client, serviceaccounts, 'team-a', 'default');
    return sa !== undefined && sa.metadata?.uid !== before;
  });

  await client.resource(configmaps, 'team-a').patch('kube-root-ca.crt', 'merge', { data: { 'ca.crt': 'tampered', extra: 'x' } });
  await eventually(async () => {
    const now = (await client.resource(configmaps, 'team-a').get('kube-root-ca.crt')) as KubeObject & { data?: Record<string, string> };
    return now.data?.['ca.crt'] === caPEM && now.data.extra === undefined;
  });
  await client.resource(configmaps, 'team-a').delete('kube-root-ca.crt');
  await eventually(async () => (await getOrUndefined(client, configmaps, 'team-a', 'kube-root-ca.crt')) !== undefined);
});

test('the namespaces that exist at start get them too (default, kube-system, kube-public)', async (t) => {
  const rootCAFile = caFile(t);
  const { client } = await startControllers(t, {
    controllers: ['serviceaccount', 'root-ca-cert-publisher'],
    configure: (o) => (o.rootCAFile = rootCAFile),
  });
  for (const ns of ['default', 'kube-system', 'kube-public']) {
    await eventually(async () => (await getOrUndefined(client, serviceaccounts, ns, 'default')) !== undefined);
    await eventually(async () => (await getOrUndefined(client, configmaps, ns, 'kube-root-ca.crt')) !== undefined);
  }
});
