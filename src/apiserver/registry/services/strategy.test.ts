import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../../storage/memory/memory-store.js';
import { parseCIDR } from '../../allocators/cidr.js';
import { ClusterIPAllocator } from '../../allocators/ip-allocator.js';
import { NodePortAllocator } from '../../allocators/port-allocator.js';
import { storeIPAddressClient } from '../../allocators/testing-ip-addresses.js';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../strategies.js';
import type { APIObject, StrategyContext } from '../strategy.js';
import { ServiceAllocation } from './allocation.js';
import { newServiceStrategy } from './strategy.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };

function service(name: string, spec: Record<string, unknown>): APIObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

test('validation reports upstream field paths and messages', () => {
  const strategy = newServiceStrategy({});
  const cases: Array<{ name: string; obj: APIObject; want: string[] }> = [
    { name: 'no ports', obj: service('a', { selector: { app: 'a' } }), want: ['spec.ports: Required value'] },
    { name: 'headless without ports', obj: service('a', { clusterIP: 'None' }), want: [] },
    {
      name: 'port 0',
      obj: service('a', { ports: [{ port: 0 }] }),
      // targetPort defaults to port, so upstream reports both.
      want: [
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      ],
    },
    {
      name: 'unnamed ports',
      obj: service('a', { ports: [{ port: 80 }, { port: 443 }] }),
      want: ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
    },
    {
      name: 'duplicate names',
      obj: service('a', { ports: [{ name: 'p', port: 80 }, { name: 'p', port: 443 }] }),
      want: ['spec.ports[1].name: Duplicate value: "p"'],
    },
    {
      name: 'nodePort on ClusterIP',
      obj: service('a', { ports: [{ port: 80, nodePort: 30001 }] }),
      want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    },
    {
      name: 'bad type',
      obj: service('a', { type: 'Magic', ports: [{ port: 80 }] }),
      want: ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    },
    {
      name: 'bad clusterIP',
      obj: service('a', { clusterIP: '10.0.0.300', ports: [{ port: 80 }] }),
      want: ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    },
    { name: 'ExternalName', obj: service('a', { type: 'ExternalName' }), want: ['spec.externalName: Required value'] },
    {
      name: 'bad selector value',
      obj: service('a', { selector: { app: 'a b' }, ports: [{ port: 80 }] }),
      want: [
        `spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    },
  ];
  for (const c of cases) {
    strategy.prepareForCreate!(c.obj, ctx);
    assert.deepEqual(strategy.validate!(c.obj, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.name);
  }
});

test('defaults: type, protocol, targetPort, policies, status', () => {
  const obj = service('a', { type: 'NodePort', ports: [{ port: 80 }] });
  newServiceStrategy({}).prepareForCreate!(obj, ctx);
  assert.deepEqual(obj.spec, {
    type: 'NodePort',
    sessionAffinity: 'None',
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    internalTrafficPolicy: 'Cluster',
    externalTrafficPolicy: 'Cluster',
  });
  assert.deepEqual(obj.status, { loadBalancer: {} });
});

function allocation(store = openMemoryStore(), cidr = '10.0.0.0/24'): ServiceAllocation {
  return new ServiceAllocation({
    clusterIPs: new ClusterIPAllocator({ cidr: parseCIDR(cidr), client: storeIPAddressClient(store) }),
    nodePorts: new NodePortAllocator({ store, prefix: '/registry', range: { base: 30000, size: 2768 } }),
  });
}

async function serverWith(alloc: ServiceAllocation) {
  return newTestServer({ strategyFor: (g, r) => strategyFor(g, r, { serviceAllocation: alloc }) });
}

test('through the REST core: ClusterIP and NodePort allocation, conflicts, immutability, release', async () => {
  const alloc = allocation();
  const server = await serverWith(alloc);
  const post = (body: APIObject) => server.request('POST', '/api/v1/namespaces/default/services', { body });

  const a = await post(service('a', { type: 'NodePort', selector: { app: 'a' }, ports: [{ port: 80 }] }));
  assert.equal(a.status, 201, a.text);
  const spec = a.json.spec;
  assert.match(spec.clusterIP, /^10\.0\.0\.\d+$/);
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.ok(spec.ports[0].nodePort >= 30000 && spec.ports[0].nodePort <= 32767);

  const taken = await post(service('b', { clusterIP: spec.clusterIP, ports: [{ port: 80 }] }));
  assert.equal(taken.status, 422);
  assert.equal(
    taken.json.message,
    `Service "b" is invalid: spec.clusterIPs: Invalid value: ["${spec.clusterIP}"]: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
  );
  const outside = await post(service('b', { clusterIP: '10.9.9.9', ports: [{ port: 80 }] }));
  assert.equal(outside.status, 422);
  assert.match(outside.json.message, /failed to allocate IP 10\.9\.9\.9: provided IP 10\.9\.9\.9 is not in the valid range/);
  const portTaken = await post(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: spec.ports[0].nodePort }] }));
  assert.equal(portTaken.status, 422);
  assert.equal(
    portTaken.json.message,
    `Service "b" is invalid: spec.ports[0].nodePort: Invalid value: ${spec.ports[0].nodePort}: provided port is already allocated`,
  );
  // A failed create leaves nothing allocated behind: b's own IP could be taken by the next service.
  const headless = await post(service('h', { clusterIP: 'None', selector: { app: 'h' }, ports: [{ port: 80 }] }));
  assert.equal(headless.status, 201, headless.text);
  assert.deepEqual(headless.json.spec.clusterIPs, ['None']);

  // Immutable clusterIP; a replace without it keeps it.
  const changed = structuredClone(a.json);
  changed.spec.clusterIP = '10.0.0.99';
  changed.spec.clusterIPs = ['10.0.0.99'];
  const put = await server.request('PUT', '/api/v1/namespaces/default/services/a', { body: changed });
  assert.equal(put.status, 422);
  assert.equal(put.json.message, `Service "a" is invalid: spec.clusterIPs[0]: Invalid value: ["10.0.0.99"]: may not change once set`);
  const without = structuredClone(a.json);
  delete without.spec.clusterIP;
  delete without.spec.clusterIPs;
  delete without.spec.ports[0].nodePort;
  without.metadata.labels = { x: 'y' };
  const put2 = await server.request('PUT', '/api/v1/namespaces/default/services/a', { body: without });
  assert.equal(put2.status, 200, put2.text);
  assert.equal(put2.json.spec.clusterIP, spec.clusterIP);
  assert.equal(put2.json.spec.ports[0].nodePort, spec.ports[0].nodePort);

  // Delete releases both: the same IP and port can be requested again.
  const del = await server.request('DELETE', '/api/v1/namespaces/default/services/a');
  assert.equal(del.status, 200, del.text);
  const again = await post(service('c', { type: 'NodePort', clusterIP: spec.clusterIP, ports: [{ port: 80, nodePort: spec.ports[0].nodePort }] }));
  assert.equal(again.status, 201, again.text);
});

test('NodePort → ClusterIP drops and releases the node port after the write', async () => {
  const store = openMemoryStore();
  const alloc = allocation(store);
  const server = await serverWith(alloc);
  const created = await server.request('POST', '/api/v1/namespaces/default/services', {
    body: service('a', { type: 'NodePort', ports: [{ port: 80 }] }),
  });
  assert.equal(created.status, 201, created.text);
  const nodePort = created.json.spec.ports[0].nodePort;
  const body = structuredClone(created.json);
  body.spec.type = 'ClusterIP';
  const put = await server.request('PUT', '/api/v1/namespaces/default/services/a', { body });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.spec.ports[0].nodePort, undefined);
  assert.equal(put.json.spec.externalTrafficPolicy, undefined);
  const ports = await alloc.nodePorts.list();
  assert.deepEqual(ports.map((p) => p.port).filter((p) => p === nodePort), [], 'released after the write');
});

test('two apiservers on one store cannot hand out the same ClusterIP', async () => {
  const store = openMemoryStore();
  const s1 = await newTestServer({ store, strategyFor: (g, r) => strategyFor(g, r, { serviceAllocation: allocation(store, '10.0.0.0/27') }) });
  const s2 = await newTestServer({ store, namespaces: [], strategyFor: (g, r) => strategyFor(g, r, { serviceAllocation: allocation(store, '10.0.0.0/27') }) });
  const replies = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? s1 : s2).request('POST', '/api/v1/namespaces/default/services', { body: service(`s${i}`, { ports: [{ port: 80 }] }) }),
    ),
  );
  assert.ok(replies.every((r) => r.status === 201), replies.map((r) => r.text).join('\n'));
  assert.equal(new Set(replies.map((r) => r.json.spec.clusterIP)).size, 30);
  const full = await s1.request('POST', '/api/v1/namespaces/default/services', { body: service('full', { ports: [{ port: 80 }] }) });
  assert.equal(full.status, 500);
  assert.equal(full.json.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
});

test('ClusterIP ↔ ExternalName: the IP is released after the write and a new one allocated on the way back', async () => {
  const store = openMemoryStore();
  const alloc = allocation(store);
  const server = await serverWith(alloc);
  const created = await server.request('POST', '/api/v1/namespaces/default/services', { body: service('a', { ports: [{ port: 80 }] }) });
  assert.equal(created.status, 201, created.text);
  const ip = created.json.spec.clusterIP;
  const toExternal = structuredClone(created.json);
  toExternal.spec.type = 'ExternalName';
  toExternal.spec.externalName = 'example.com';
  const put = await server.request('PUT', '/api/v1/namespaces/default/services/a', { body: toExternal });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.spec.clusterIP, undefined);
  assert.equal(put.json.spec.ipFamilies, undefined);
  const client = storeIPAddressClient(store);
  assert.deepEqual((await client.list()).map((o) => o.metadata.name), [], `${ip} released`);
  const back = structuredClone(put.json);
  back.spec.type = 'ClusterIP';
  delete back.spec.externalName;
  const put2 = await server.request('PUT', '/api/v1/namespaces/default/services/a', { body: back });
  assert.equal(put2.status, 200, put2.text);
  assert.match(put2.json.spec.clusterIP, /^10\.0\.0\.\d+$/);
  assert.deepEqual((await client.list()).map((o) => o.metadata.name), [put2.json.spec.clusterIP]);
});

test('LoadBalancer: node ports per port (shared across protocols) and a health-check port for Local traffic', async () => {
  const server = await serverWith(allocation());
  const created = await server.request('POST', '/api/v1/namespaces/default/services', {
    body: service('lb', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: { app: 'dns' },
      ports: [
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153 },
      ],
    }),
  });
  assert.equal(created.status, 201, created.text);
  const spec = created.json.spec;
  assert.equal(spec.ports[0].nodePort, spec.ports[1].nodePort, 'same port number shares a node port');
  assert.notEqual(spec.ports[0].nodePort, spec.ports[2].nodePort);
  assert.ok(spec.healthCheckNodePort >= 30000 && spec.healthCheckNodePort <= 32767);
  assert.ok(![spec.ports[0].nodePort, spec.ports[2].nodePort].includes(spec.healthCheckNodePort));
  assert.equal(spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(created.json.status, { loadBalancer: {} });

  const noPorts = await server.request('POST', '/api/v1/namespaces/default/services', {
    body: service('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] }),
  });
  assert.equal(noPorts.status, 201, noPorts.text);
  assert.equal(noPorts.json.spec.ports[0].nodePort, undefined);
});
