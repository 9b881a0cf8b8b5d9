import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObjectReader } from '../object-reader.js';
import type { APIObject } from '../../registry/strategy.js';
import { resolveTarget } from './client.js';

function reader(objects: Record<string, APIObject>): ObjectReader {
  return { get: async (r, namespace, name) => objects[`${r.resource}/${namespace}/${name}`], list: async () => [] };
}

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'team' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } };
const endpoints = (ready: boolean) => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'hook', namespace: 'team' },
  subsets: ready ? [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 8443 }] }] : [{ notReadyAddresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 8443 }] }],
});
const clientConfig = { service: { namespace: 'team', name: 'hook', path: '/validate', port: 443 } };
const url = 'https://hook.team.svc:443/validate?timeout=10s';

test('a service reference resolves to a ready endpoint, named as upstream names the URL', async () => {
  const target = await resolveTarget(clientConfig, 10, reader({ 'services/team/hook': service, 'endpoints/team/hook': endpoints(true) }));
  assert.deepEqual(target, { url, dialHost: '127.0.0.1', dialPort: 8443, serverName: 'hook.team.svc', path: '/validate?timeout=10s' });
});

test("an unresolvable service fails as upstream's dial does, inside the POST's error", async () => {
  const cases: Array<[Record<string, APIObject>, string]> = [
    [{}, `Post "${url}": service "hook" not found`],
    [{ 'services/team/hook': { ...service, spec: { ports: [{ port: 80 }] } } }, `Post "${url}": no service port 443 found for service "hook"`],
    [{ 'services/team/hook': service, 'endpoints/team/hook': endpoints(false) }, `Post "${url}": no endpoints available for service "hook"`],
  ];
  for (const [objects, message] of cases) await assert.rejects(resolveTarget(clientConfig, 10, reader(objects)), { message });
});
