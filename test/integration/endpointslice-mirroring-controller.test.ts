// The EndpointSlice mirroring controller against an in-process apiserver: hand-written Endpoints of a
// selector-less Service are mirrored (ready and not-ready addresses, ports, labels, owner), follow changes,
// and the mirrored slices go when the Endpoints opt out (skip-mirror) or the Service gains a selector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const services = { group: '', version: 'v1', resource: 'services' };
const endpoints = { group: '', version: 'v1', resource: 'endpoints' };
const slices = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

type Slice = KubeObject & { addressType: string; endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }>; ports?: Array<{ name?: string; port?: number; protocol?: string }> };

async function mirrored(client: Interface): Promise<Slice[]> {
  return (await client.resource<Slice>(slices, 'default').list({ labelSelector: 'kubernetes.io/service-name=db,endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io' })).items;
}

const view = (all: Slice[]) => all.flatMap((s) => (s.endpoints ?? []).map((e) => `${s.addressType} ${e.addresses[0]} ${e.conditions?.ready}`)).sort();

test('hand-written Endpoints are mirrored into EndpointSlices until they opt out or the Service selects pods', async (t) => {
  const { client } = await startControllers(t, { controllers: ['endpointslicemirroring'] });
  await client.resource(services, 'default').create({ metadata: { name: 'db' }, spec: { ports: [{ name: 'pg', port: 5432 }] } });
  const ep = await client.resource(endpoints, 'default').create({
    metadata: { name: 'db', labels: { team: 'data' } },
    subsets: [{ addresses: [{ ip: '192.0.2.10' }], notReadyAddresses: [{ ip: '192.0.2.11' }], ports: [{ name: 'pg', port: 5432 }] }, { addresses: [{ ip: '2001:db8::1' }], ports: [{ name: 'pg', port: 5432 }] }],
  });
  let all: Slice[] = [];
  await eventually(async () => view((all = await mirrored(client))).join() === 'IPv4 192.0.2.10 true,IPv4 192.0.2.11 false,IPv6 2001:db8::1 true');
  const v4 = all.find((s) => s.addressType === 'IPv4')!;
  assert.deepEqual(v4.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  assert.equal(v4.metadata?.labels?.team, 'data');
  assert.equal(v4.metadata?.generateName, 'db-');
  assert.deepEqual(v4.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['Endpoints', 'db', ep.metadata?.uid]]);

  await client.resource(endpoints, 'default').patch('db', 'merge', { subsets: [{ addresses: [{ ip: '192.0.2.12' }], ports: [{ name: 'pg', port: 5432 }] }] });
  await eventually(async () => view(await mirrored(client)).join() === 'IPv4 192.0.2.12 true');

  await client.resource(endpoints, 'default').patch('db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } } });
  await eventually(async () => (await mirrored(client)).length === 0);
  await client.resource(endpoints, 'default').patch('db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': null } } });
  await eventually(async () => (await mirrored(client)).length === 1);

  await client.resource(services, 'default').patch('db', 'merge', { spec: { selector: { app: 'db' } } });
  await eventually(async () => (await mirrored(client)).length === 0);
});
