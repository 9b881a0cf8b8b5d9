// The endpoints controller against an in-process apiserver: Endpoints follow pod readiness (status patches),
// named target ports per pod, hostname/subdomain, terminating pods and Service port changes; selector-less
// Services keep their hand-written Endpoints; deleting the Service removes its Endpoints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const services = { group: '', version: 'v1', resource: 'services' };
const endpoints = { group: '', version: 'v1', resource: 'endpoints' };

type Subset = { addresses?: Array<{ ip: string; hostname?: string; nodeName?: string; targetRef?: { name?: string } }>; notReadyAddresses?: Array<{ ip: string }>; ports?: Array<{ name?: string; port: number; protocol?: string }> };
type EndpointsObj = KubeObject & { subsets?: Subset[] };

async function createPod(client: Interface, name: string, ip: string, opts: { ready: boolean; httpPort?: number; hostname?: string; finalizers?: string[] }): Promise<void> {
  await client.resource(pods, 'default').create({
    metadata: { name, labels: { app: 'web' }, finalizers: opts.finalizers },
    spec: {
      nodeName: 'node-1',
      hostname: opts.hostname,
      subdomain: opts.hostname ? 'web' : undefined,
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: opts.httpPort ?? 8080 }] }],
    },
  });
  await setReady(client, name, ip, opts.ready);
}

async function setReady(client: Interface, name: string, ip: string, ready: boolean): Promise<void> {
  await client.resource(pods, 'default').patch(
    name,
    'merge',
    { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } },
    { subresource: 'status' },
  );
}

/** A compact view: "ip[:hostname]" lists and "name=port" ports per subset, subsets ordered by their ports. */
function view(ep: EndpointsObj): Array<{ ready: string[]; notReady: string[]; ports: string[] }> {
  const subsets = (ep.subsets ?? []).map((s) => ({
    ready: (s.addresses ?? []).map((a) => (a.hostname ? `${a.ip}:${a.hostname}` : a.ip)),
    notReady: (s.notReadyAddresses ?? []).map((a) => a.ip),
    ports: (s.ports ?? []).map((p) => `${p.name ?? ''}=${p.port}`),
  }));
  return subsets.sort((a, b) => a.ports.join().localeCompare(b.ports.join()));
}

async function getEndpoints(client: Interface, name: string): Promise<EndpointsObj | undefined> {
  try {
    return await client.resource(endpoints, 'default').get(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function until(client: Interface, name: string, want: ReturnType<typeof view>): Promise<EndpointsObj> {
  let last: EndpointsObj | undefined;
  try {
    await eventually(async () => {
      last = await getEndpoints(client, name);
      return last !== undefined && JSON.stringify(view(last)) === JSON.stringify(want);
    });
  } catch (err) {
    assert.deepEqual(last && view(last), want, String(err));
  }
  return last!;
}

test('Endpoints follow readiness, named ports, hostnames, termination and Service changes', async (t) => {
  const { client } = await startControllers(t, { controllers: ['serviceaccount', 'endpoint'] });
  await eventually(async () => {
    try {
      await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').get('default');
      return true;
    } catch {
      return false;
    }
  });
  await client.resource(services, 'default').create({
    metadata: { name: 'web', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await createPod(client, 'a', '10.1.0.1', { ready: true });
  await createPod(client, 'b', '10.1.0.2', { ready: false, httpPort: 9000 });
  await createPod(client, 'c', '10.1.0.3', { ready: true, hostname: 'c-host' });
  // The named port resolves per pod: b listens on 9000, the others on 8080.
  const first = await until(client, 'web', [
    { ready: ['10.1.0.1', '10.1.0.3:c-host'], notReady: [], ports: ['http=8080'] },
    { ready: [], notReady: ['10.1.0.2'], ports: ['http=9000'] },
  ]);
  assert.equal(first.metadata?.labels?.tier, 'front');
  assert.match(first.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const addr = first.subsets!.flatMap((s) => s.addresses ?? []).find((a) => a.ip === '10.1.0.1');
  assert.equal(addr?.nodeName, 'node-1');
  assert.equal(addr?.targetRef?.name, 'a');

  await setReady(client, 'b', '10.1.0.2', true);
  await until(client, 'web', [
    { ready: ['10.1.0.1', '10.1.0.3:c-host'], notReady: [], ports: ['http=8080'] },
    { ready: ['10.1.0.2'], notReady: [], ports: ['http=9000'] },
  ]);
  await setReady(client, 'a', '10.1.0.1', false);
  await until(client, 'web', [
    { ready: ['10.1.0.3:c-host'], notReady: ['10.1.0.1'], ports: ['http=8080'] },
    { ready: ['10.1.0.2'], notReady: [], ports: ['http=9000'] },
  ]);

  // A numeric target port: every pod offers the same port again, so one subset.
  await client.resource(services, 'default').patch('web', 'merge', { spec: { ports: [{ name: 'http', port: 80, targetPort: 7070 }] } });
  await until(client, 'web', [{ ready: ['10.1.0.2', '10.1.0.3:c-host'], notReady: ['10.1.0.1'], ports: ['http=7070'] }]);

  // publishNotReadyAddresses lists every pod as ready.
  await client.resource(services, 'default').patch('web', 'merge', { spec: { publishNotReadyAddresses: true } });
  await until(client, 'web', [{ ready: ['10.1.0.1', '10.1.0.2', '10.1.0.3:c-host'], notReady: [], ports: ['http=7070'] }]);
  await client.resource(services, 'default').patch('web', 'merge', { spec: { publishNotReadyAddresses: false } });

  // A terminating pod (held by a finalizer) leaves.
  await createPod(client, 'd', '10.1.0.4', { ready: true, finalizers: ['example.com/hold'] });
  await until(client, 'web', [{ ready: ['10.1.0.2', '10.1.0.3:c-host', '10.1.0.4'], notReady: ['10.1.0.1'], ports: ['http=7070'] }]);
  await client.resource(pods, 'default').delete('d', { gracePeriodSeconds: 0 });
  await until(client, 'web', [{ ready: ['10.1.0.2', '10.1.0.3:c-host'], notReady: ['10.1.0.1'], ports: ['http=7070'] }]);
  await client.resource(pods, 'default').patch('d', 'merge', { metadata: { finalizers: null } });

  await client.resource(services, 'default').delete('web');
  await eventually(async () => (await getEndpoints(client, 'web')) === undefined);
});

test('selector-less Services keep their own Endpoints; headless Services are labelled', async (t) => {
  const { client } = await startControllers(t, { controllers: ['endpoint'] });
  await client.resource(services, 'default').create({ metadata: { name: 'external' }, spec: { ports: [{ port: 5432 }] } });
  await client.resource(endpoints, 'default').create({ metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
  await client.resource(services, 'default').create({ metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } });
  const headless = await until(client, 'db', []);
  assert.equal(headless.metadata?.labels?.['service.kubernetes.io/headless'], '');
  const external = await client.resource(endpoints, 'default').get('external');
  assert.deepEqual(view(external as EndpointsObj), [{ ready: ['192.0.2.10'], notReady: [], ports: ['=5432'] }]);
});
