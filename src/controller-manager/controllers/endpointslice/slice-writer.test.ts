// SliceWriter: a cache that does not yet show our own creates, updates or deletes is stale; our own writes
// are recognised as such, others' are not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClient } from '../../testing/fake-client.js';
import type { EndpointSlice } from './slice-plan.js';
import { SliceWriter, StaleInformerCacheError } from './slice-writer.js';

const slice = (name: string, rv?: string): EndpointSlice => ({ metadata: { namespace: 'ns', name, resourceVersion: rv }, addressType: 'IPv4', endpoints: [] });

test('checkFresh follows our writes until the cache catches up', async () => {
  const client = new FakeClient();
  const writer = new SliceWriter(client);
  await writer.apply('ns', 'svc', { create: [slice('a')], update: [], delete: [] });
  const created = client.objects.get(client.key({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }, 'ns', 'a')) as EndpointSlice;
  const rv = created.metadata!.resourceVersion!;
  assert.throws(() => writer.checkFresh('ns', 'svc', []), StaleInformerCacheError, 'create not seen yet');
  assert.throws(() => writer.checkFresh('ns', 'svc', [slice('a', String(Number(rv) - 1))]), StaleInformerCacheError, 'older copy');
  assert.doesNotThrow(() => writer.checkFresh('ns', 'svc', [slice('a', rv)]));
  // Once seen, later syncs do not wait for it again.
  assert.doesNotThrow(() => writer.checkFresh('ns', 'svc', []));

  assert.equal(writer.isOwnWrite(slice('a', rv)), true);
  assert.equal(writer.isOwnWrite(slice('a', String(Number(rv) + 5))), false);

  await writer.apply('ns', 'svc', { create: [], update: [], delete: [slice('a', rv)] });
  assert.throws(() => writer.checkFresh('ns', 'svc', [slice('a', rv)]), StaleInformerCacheError, 'delete not seen yet');
  assert.doesNotThrow(() => writer.checkFresh('ns', 'svc', []));
});
