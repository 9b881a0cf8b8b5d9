// The metadata-only resource client the garbage collector's monitors use (client-go's metadata client),
// against an in-process apiserver: get, list and watch answer PartialObjectMetadata without spec or data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, WatchEvent } from '../../src/client/rest/interface.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

test('metadata-only client: get, list and watch return PartialObjectMetadata', async (t) => {
  const { client } = await startInProcessAPIServer(t);
  await client.resource(configmaps, 'default').create({ metadata: { name: 'a', labels: { x: 'y' } }, data: { big: 'value' } });
  const meta = client.resource(configmaps, 'default', { metadataOnly: true });

  const one = await meta.get('a');
  assert.deepEqual([one.apiVersion, one.kind, one.metadata?.name, one.metadata?.labels, one.data], ['meta.k8s.io/v1', 'PartialObjectMetadata', 'a', { x: 'y' }, undefined]);

  const list = await meta.list();
  assert.equal(list.kind, 'PartialObjectMetadataList');
  assert.deepEqual(list.items.map((i) => [i.kind, i.metadata?.name, i.data]), [['PartialObjectMetadata', 'a', undefined]]);

  const ac = new AbortController();
  const events = await meta.watch({ resourceVersion: list.metadata.resourceVersion, signal: ac.signal });
  await client.resource(configmaps, 'default').create({ metadata: { name: 'b' }, data: { big: 'value' } });
  let first: WatchEvent<KubeObject> | undefined;
  for await (const e of events) {
    first = e;
    break;
  }
  ac.abort();
  assert.equal(first?.type, 'ADDED');
  const obj = first?.object as KubeObject;
  assert.deepEqual([obj.kind, obj.metadata?.name, obj.data], ['PartialObjectMetadata', 'b', undefined]);

  // The ordinary client is unchanged.
  assert.deepEqual((await client.resource(configmaps, 'default').get('a')).data, { big: 'value' });
});
