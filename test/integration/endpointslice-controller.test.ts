// The EndpointSlice controller against an in-process apiserver: slices follow pod readiness and termination
// (conditions), Service port changes and scale (at most 100 endpoints per slice), carry upstream's labels,
// owner and generateName, and a Service without pods keeps one placeholder slice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const services = { group: '', version: 'v1', resource: 'services' };
const serviceaccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };
const slices = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

type Slice = KubeObject & {
  addressType: string;
  endpoints?: Array<{ addresses: string[]; nodeName?: string; zone?: string; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; targetRef?: { name?: string } }>;
  ports?: Array<{ name?: string; port?: number; protocol?: string }>;
};

async function setReady(client: Interface, name: string, ip: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.resource(pods, 'default').patch(
    name,
    'merge',
    { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] } },
    { subresource: 'status' },
  );
}

async function createPod(client: Interface, name: string, ip: string, ready: boolean, finalizers?: string[]): Promise<void> {
  await client.resource(pods, 'default').create({
    metadata: { name, labels: { app: 'web' }, finalizers },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  await setReady(client, name, ip, ready);
}

async function slicesOf(client: Interface, service: string): Promise<Slice[]> {
  const list = await client.resource<Slice>(slices, 'default').list({ labelSelector: `kubernetes.io/service-name=${service}` });
  return list.items;
}

/** "ip r s t" per endpoint (conditions as 1/0), sorted, across all slices. */
function conditionsView(all: Slice[]): string[] {
  const c = (b?: boolean) => (b ? '1' : '0');
  return all.flatMap((s) => s.endpoints ?? []).map((e) => `${e.addresses[0]} ${c(e.conditions?.ready)}${c(e.conditions?.serving)}${c(e.conditions?.terminating)}`).sort();
}

async function until(client: Interface, service: string, check: (all: Slice[]) => boolean, what: string): Promise<Slice[]> {
  let last: Slice[] = [];
  try {
    await eventually(async () => check((last = await slicesOf(client, service))));
  } catch {
    assert.fail(`${what}: slices are ${JSON.stringify(last.map((s) => ({ name: s.metadata?.name, ports: s.ports, endpoints: conditionsView([s]) })))}`);
  }
  return last;
}

test('EndpointSlices follow readiness, termination, port changes and scale', async (t) => {
  const { client } = await startControllers(t, { controllers: ['serviceaccount', 'endpointslice'] });
  await client.resource(nodes).create({ metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
  await eventually(async () => (await client.resource(serviceaccounts, 'default').list()).items.length > 0);
  const svc = await client.resource(services, 'default').create({
    metadata: { name: 'web', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });

  // No pods yet: one placeholder slice without endpoints or ports.
  const [placeholder] = await until(client, 'web', (all) => all.length === 1, 'placeholder');
  assert.equal(placeholder.endpoints?.length ?? 0, 0);
  assert.equal(placeholder.ports, undefined);

  await createPod(client, 'a', '10.2.0.1', true);
  await createPod(client, 'b', '10.2.0.2', false);
  const [slice] = await until(client, 'web', (all) => conditionsView(all).join() === '10.2.0.1 110,10.2.0.2 000', 'two pods');
  assert.equal(slice.addressType, 'IPv4');
  assert.match(slice.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
  assert.equal(slice.metadata?.generateName, 'web-');
  assert.deepEqual(slice.metadata?.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(slice.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const a = slice.endpoints?.find((e) => e.addresses[0] === '10.2.0.1');
  assert.equal(a?.nodeName, 'node-1');
  assert.equal(a?.zone, 'zone-a');
  assert.equal(a?.targetRef?.name, 'a');
  assert.match(slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /Z$/);

  await setReady(client, 'b', '10.2.0.2', true);
  await setReady(client, 'a', '10.2.0.1', false);
  await until(client, 'web', (all) => conditionsView(all).join() === '10.2.0.1 000,10.2.0.2 110', 'readiness flipped');

  // A terminating pod stays listed: terminating, not ready, still serving.
  await createPod(client, 'c', '10.2.0.3', true, ['example.com/hold']);
  await until(client, 'web', (all) => conditionsView(all).includes('10.2.0.3 110'), 'pod c ready');
  await client.resource(pods, 'default').delete('c', { gracePeriodSeconds: 0 });
  await until(client, 'web', (all) => conditionsView(all).includes('10.2.0.3 011'), 'pod c terminating');
  await client.resource(pods, 'default').patch('c', 'merge', { metadata: { finalizers: null } });
  await until(client, 'web', (all) => conditionsView(all).join() === '10.2.0.1 000,10.2.0.2 110', 'pod c gone');

  await client.resource(services, 'default').patch('web', 'merge', { spec: { ports: [{ name: 'web', port: 80, targetPort: 9090 }] } });
  await until(client, 'web', (all) => all.length === 1 && JSON.stringify(all[0].ports) === JSON.stringify([{ name: 'web', port: 9090, protocol: 'TCP' }]), 'port change');

  // 150 pods: no slice holds more than 100.
  for (let i = 0; i < 148; i++) await createPod(client, `s${i}`, `10.3.${i >> 8}.${i & 255}`, true);
  const scaled = await until(client, 'web', (all) => conditionsView(all).length === 150, '150 endpoints');
  assert.ok(scaled.every((s) => (s.endpoints?.length ?? 0) <= 100));
  assert.equal(scaled.length, 2);
});
