import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../api/generated/core/v1.js';
import type { EndpointSlice } from '../../api/generated/discovery/v1.js';
import { resolveEndpoint, serviceServerName, type ResolvedEndpoint, type ServiceSource } from './service-resolver.js';

function source(services: Service[], slices: EndpointSlice[]): ServiceSource {
  return {
    service: (ns, name) => services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === name),
    endpointSlices: (ns, svc) => slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === svc),
  };
}

const clusterIP: Service = { metadata: { namespace: 'm', name: 'api' }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } };
const slice = (endpoints: EndpointSlice['endpoints'], portName = 'https'): EndpointSlice => ({
  addressType: 'IPv4',
  metadata: { namespace: 'm', name: 'api-x', labels: { 'kubernetes.io/service-name': 'api' } },
  ports: [{ name: portName, port: 6443 }],
  endpoints,
});

test('resolveEndpoint', () => {
  const cases: Array<{ name: string; services: Service[]; slices: EndpointSlice[]; port?: number; want: ResolvedEndpoint }> = [
    { name: 'missing service', services: [], slices: [], want: { reason: 'ServiceNotFound', error: 'service "api" not found' } },
    {
      name: 'ExternalName → its host on the APIService port',
      services: [{ metadata: { namespace: 'm', name: 'api' }, spec: { type: 'ExternalName', externalName: '127.0.0.1' } }],
      slices: [],
      port: 8443,
      want: { host: '127.0.0.1', port: 8443 },
    },
    { name: 'port not on the service', services: [clusterIP], slices: [], port: 80, want: { reason: 'ServicePortError', error: 'no service port 80 found for service "api"' } },
    { name: 'no slices', services: [clusterIP], slices: [], want: { reason: 'MissingEndpoints', error: 'no endpoints available for service "api"' } },
    {
      name: 'only not-ready addresses',
      services: [clusterIP],
      slices: [slice([{ addresses: ['10.0.0.5'], conditions: { ready: false } }])],
      want: { reason: 'MissingEndpoints', error: 'no endpoints available for service "api"' },
    },
    { name: 'slice for another port name', services: [clusterIP], slices: [slice([{ addresses: ['10.0.0.5'] }], 'metrics')], want: { reason: 'MissingEndpoints', error: 'no endpoints available for service "api"' } },
    { name: 'ready address (unset ready counts as ready)', services: [clusterIP], slices: [slice([{ addresses: ['10.0.0.5'] }])], want: { host: '10.0.0.5', port: 6443 } },
  ];
  for (const c of cases) {
    assert.deepEqual(resolveEndpoint(source(c.services, c.slices), { namespace: 'm', name: 'api', port: c.port ?? 443 }), c.want, c.name);
  }
});

test('resolveEndpoint picks among ready addresses with the given random source', () => {
  const src = source([clusterIP], [slice([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], conditions: { ready: false } }, { addresses: ['10.0.0.3'] }])]);
  assert.deepEqual(resolveEndpoint(src, { namespace: 'm', name: 'api', port: 443 }, () => 0), { host: '10.0.0.1', port: 6443 });
  assert.deepEqual(resolveEndpoint(src, { namespace: 'm', name: 'api', port: 443 }, () => 0.99), { host: '10.0.0.3', port: 6443 });
});

test('serviceServerName is <name>.<namespace>.svc', () => {
  assert.equal(serviceServerName('custom-metrics', 'adapter'), 'adapter.custom-metrics.svc');
});
