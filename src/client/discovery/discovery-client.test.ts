import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, RawRequest, RawResponse } from '../rest/interface.js';
import { apiVersionOf, discoverResources, preferredResourcesWithVerbs, RESTMapper } from './discovery-client.js';

/** Answers discovery paths from a table; anything else is a 404, `broken` paths a 503. */
function fakeServer(docs: Record<string, unknown>, broken: string[] = []): Interface {
  const reply = (status: number, body: unknown): RawResponse => ({ status, headers: {}, body: Buffer.from(JSON.stringify(body)) });
  return {
    host: 'https://fake',
    userAgent: 'test',
    close() {},
    resource() {
      throw new Error('not used');
    },
    async raw(req: RawRequest) {
      if (broken.includes(req.path)) return reply(503, { kind: 'Status', code: 503 });
      return req.path in docs ? reply(200, docs[req.path]) : reply(404, { kind: 'Status', code: 404 });
    },
  };
}

const docs = {
  '/api': { kind: 'APIVersions', versions: ['v1'] },
  '/api/v1': {
    resources: [
      { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'] },
      { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'patch'] },
      { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
      { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
    ],
  },
  '/apis': {
    groups: [
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
      {
        name: 'example.com',
        versions: [
          { groupVersion: 'example.com/v2', version: 'v2' },
          { groupVersion: 'example.com/v1', version: 'v1' },
        ],
        preferredVersion: { groupVersion: 'example.com/v2', version: 'v2' },
      },
      { name: 'broken.io', versions: [{ groupVersion: 'broken.io/v1', version: 'v1' }] },
    ],
  },
  '/apis/apps/v1': { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
  '/apis/example.com/v2': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
  '/apis/example.com/v1': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
};

test('discovery: every version read, subresources left out, failing group versions reported', async () => {
  const result = await discoverResources(fakeServer(docs, ['/apis/broken.io/v1']));
  assert.deepEqual(
    result.resources.map((r) => `${apiVersionOf(r)} ${r.resource} ${r.preferred ? 'preferred' : ''}`.trim()),
    ['v1 pods preferred', 'v1 namespaces preferred', 'v1 bindings preferred', 'apps/v1 deployments preferred', 'example.com/v2 widgets preferred', 'example.com/v1 widgets'],
  );
  assert.deepEqual([...result.failedGroups.keys()], ['broken.io/v1']);
  assert.match(result.failedGroups.get('broken.io/v1')!, /503/);
});

test('discovery: /api or /apis failing is an error', async () => {
  await assert.rejects(discoverResources(fakeServer(docs, ['/apis'])), /503/);
});

test('discovery: preferred resources with verbs, and the REST mapper over every version', async () => {
  const result = await discoverResources(fakeServer(docs));
  assert.deepEqual(
    preferredResourcesWithVerbs(result, ['delete', 'list', 'watch']).map((r) => `${apiVersionOf(r)}/${r.resource}`),
    ['v1/pods', 'v1/namespaces', 'apps/v1/deployments', 'example.com/v2/widgets'],
  );
  const mapper = new RESTMapper(result.resources);
  assert.deepEqual(
    [mapper.resourceFor('example.com/v1', 'Widget')?.version, mapper.resourceFor('v1', 'Namespace')?.namespaced, mapper.resourceFor('apps/v1', 'ReplicaSet')],
    ['v1', false, undefined],
  );
});
