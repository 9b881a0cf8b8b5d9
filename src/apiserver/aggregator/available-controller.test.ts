import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { Service } from '../../api/generated/core/v1.js';
import type { EndpointSlice } from '../../api/generated/discovery/v1.js';
import { checkAvailability, localAvailability, nextCondition, type Availability } from './available-controller.js';
import type { AggregatorObjects } from './cached-objects.js';
import { ProxyTransports } from './proxy-transport.js';

function objects(services: Service[], slices: EndpointSlice[] = []): AggregatorObjects {
  return {
    apiService: () => undefined,
    apiServices: () => [],
    service: (ns, name) => services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === name),
    endpointSlices: (ns, svc) => slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === svc),
  };
}

const remote = (port = 443): APIService => ({
  metadata: { name: 'v1beta1.metrics.k8s.io' },
  spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service: { namespace: 'kube-system', name: 'metrics-server', port } },
});

test('checkAvailability: upstream reasons and messages, checked in upstream order', async () => {
  // A port on 127.0.0.1 that nothing listens on any more.
  const listener = net.createServer().listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const dead = (listener.address() as net.AddressInfo).port;
  listener.close();
  await once(listener, 'close');
  const clusterIP: Service = { metadata: { namespace: 'kube-system', name: 'metrics-server' }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443 }] } };
  const cases: Array<{ name: string; svc: APIService; services: Service[]; slices?: EndpointSlice[]; want: Availability | RegExp }> = [
    { name: 'local', svc: { metadata: { name: 'v1.apps' }, spec: { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 } }, services: [], want: localAvailability },
    { name: 'no service', svc: remote(), services: [], want: { status: 'False', reason: 'ServiceNotFound', message: 'service/metrics-server in "kube-system" is not present' } },
    { name: 'wrong port', svc: remote(8443), services: [clusterIP], want: { status: 'False', reason: 'ServicePortError', message: 'service/metrics-server in "kube-system" is not listening on port 8443' } },
    { name: 'no endpoint slices', svc: remote(), services: [clusterIP], want: { status: 'False', reason: 'EndpointsNotFound', message: 'cannot find endpoints for service/metrics-server in "kube-system"' } },
    {
      name: 'no ready address',
      svc: remote(),
      services: [clusterIP],
      slices: [{ addressType: 'IPv4', metadata: { namespace: 'kube-system', name: 'ms-1', labels: { 'kubernetes.io/service-name': 'metrics-server' } }, ports: [{ name: 'https', port: 4443 }], endpoints: [{ addresses: ['10.0.0.9'], conditions: { ready: false } }] }],
      want: { status: 'False', reason: 'MissingEndpoints', message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"' },
    },
    {
      name: 'discovery GET refused',
      svc: remote(dead),
      services: [{ metadata: { namespace: 'kube-system', name: 'metrics-server' }, spec: { type: 'ExternalName', externalName: '127.0.0.1' } }],
      want: new RegExp(`^failing or missing response from https://127\\.0\\.0\\.1:${dead}/apis/metrics\\.k8s\\.io/v1beta1: Get "https://127\\.0\\.0\\.1:${dead}/apis/metrics\\.k8s\\.io/v1beta1": dial tcp 127\\.0\\.0\\.1:${dead}: connect: connection refused$`),
    },
  ];
  const transports = new ProxyTransports(undefined);
  try {
    for (const c of cases) {
      const { availability } = await checkAvailability({ svc: c.svc, objects: objects(c.services, c.slices), transports, signal: new AbortController().signal });
      if (c.want instanceof RegExp) {
        assert.equal(availability.status, 'False', c.name);
        assert.equal(availability.reason, 'FailedDiscoveryCheck', c.name);
        assert.match(availability.message, c.want, c.name);
      } else {
        assert.deepEqual(availability, c.want, c.name);
      }
    }
  } finally {
    transports.close();
  }
});

test('nextCondition keeps lastTransitionTime while the status stays', () => {
  const earlier = { type: 'Available', status: 'False', reason: 'ServiceNotFound', message: 'x', lastTransitionTime: '2026-01-01T00:00:00Z' };
  const cases: Array<{ name: string; previous?: typeof earlier; verdict: Availability; want: string }> = [
    { name: 'first condition', verdict: localAvailability, want: '2026-02-02T00:00:00Z' },
    { name: 'same status, other reason', previous: earlier, verdict: { status: 'False', reason: 'FailedDiscoveryCheck', message: 'y' }, want: '2026-01-01T00:00:00Z' },
    { name: 'status flips', previous: earlier, verdict: { status: 'True', reason: 'Passed', message: 'all checks passed' }, want: '2026-02-02T00:00:00Z' },
  ];
  for (const c of cases) {
    const got = nextCondition(c.previous, c.verdict, '2026-02-02T00:00:00Z');
    assert.deepEqual(got, { type: 'Available', status: c.verdict.status, reason: c.verdict.reason, message: c.verdict.message, lastTransitionTime: c.want }, c.name);
  }
});
