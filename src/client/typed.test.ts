// typedClient finds the resource of a generated kind and hands back the dynamic client for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupVersionResource, Interface, ResourceInterface } from './rest/interface.js';
import { parseAPIVersion, typedClient } from './typed.js';

/** An Interface that records which resource() was asked for. */
function recordingClient(): { client: Interface; asked: Array<{ gvr: GroupVersionResource; namespace?: string }> } {
  const asked: Array<{ gvr: GroupVersionResource; namespace?: string }> = [];
  const client: Interface = {
    host: 'http://127.0.0.1:1',
    userAgent: 'test',
    resource: (gvr: GroupVersionResource, namespace?: string) => {
      asked.push({ gvr, namespace });
      // The tests only look at what was asked for; the returned client is never called.
      return {} as ResourceInterface<never>;
    },
    raw: () => Promise.reject(new Error('not used')),
    close: () => {},
  };
  return { client, asked };
}

test('typedClient maps apiVersion and kind to the served resource', () => {
  const { client, asked } = recordingClient();
  typedClient(client, 'apps/v1', 'Deployment', 'default');
  typedClient(client, 'v1', 'Pod', 'kube-system');
  typedClient(client, 'v1', 'Node');
  typedClient(client, 'rbac.authorization.k8s.io/v1', 'ClusterRole');
  assert.deepEqual(asked, [
    { gvr: { group: 'apps', version: 'v1', resource: 'deployments' }, namespace: 'default' },
    { gvr: { group: '', version: 'v1', resource: 'pods' }, namespace: 'kube-system' },
    { gvr: { group: '', version: 'v1', resource: 'nodes' }, namespace: '' },
    { gvr: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' }, namespace: '' },
  ]);
  assert.throws(() => typedClient(client, 'v1', 'PodList'), { message: 'no resource serves kind PodList in v1' });
});

test('parseAPIVersion splits group and version', () => {
  const cases: Array<[string, { group: string; version: string }]> = [
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['example.com/v1alpha1', { group: 'example.com', version: 'v1alpha1' }],
  ];
  for (const [apiVersion, want] of cases) assert.deepEqual(parseAPIVersion(apiVersion), want, apiVersion);
});
