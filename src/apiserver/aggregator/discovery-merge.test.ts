import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { APIGroupDiscoveryList } from '../discovery/aggregated.js';
import { apiGroupFromAPIServices, apiServiceGroups, mergeAggregatedDiscovery, mergeAPIGroupList, versionDiscoveryFromResourceList } from './discovery-merge.js';

function svc(group: string, version: string, groupPriorityMinimum: number, versionPriority: number, remote: boolean): APIService {
  return {
    metadata: { name: `${version}.${group}` },
    spec: { group, version, groupPriorityMinimum, versionPriority, ...(remote ? { service: { namespace: 'm', name: 'api', port: 443 } } : {}) },
  };
}

const services = [
  svc('apps', 'v1', 17800, 15, false),
  svc('batch', 'v1', 17400, 15, false),
  svc('metrics.k8s.io', 'v1beta1', 100, 100, true),
  svc('custom.metrics.k8s.io', 'v1beta1', 100, 100, true),
  svc('custom.metrics.k8s.io', 'v1beta2', 100, 200, true),
  svc('custom.metrics.k8s.io', 'v2', 100, 200, true),
  svc('early.example.com', 'v1', 17500, 10, true),
];

test('apiServiceGroups: highest groupPriorityMinimum per group; versions by versionPriority, then Kubernetes order', () => {
  const groups = apiServiceGroups([...services, svc('', 'v1', 18000, 1, false)]);
  assert.equal(groups.has(''), false);
  assert.deepEqual(
    groups.get('custom.metrics.k8s.io')!.versions.map((v) => v.version),
    ['v2', 'v1beta2', 'v1beta1'],
  );
  assert.equal(groups.get('apps')!.priority, 17800);
  assert.deepEqual(apiGroupFromAPIServices(groups.get('metrics.k8s.io')!), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'metrics.k8s.io',
    versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
    preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
  });
});

test('mergeAPIGroupList keeps the local order and places remote groups by priority, ties by name', () => {
  const entry = (name: string, version = 'v1') => ({ name, versions: [{ groupVersion: `${name}/${version}`, version }], preferredVersion: { groupVersion: `${name}/${version}`, version } });
  const local = { kind: 'APIGroupList', apiVersion: 'v1', groups: [entry('apps'), entry('batch'), entry('stable.example.com')] };
  const merged = mergeAPIGroupList(local, apiServiceGroups(services));
  assert.equal(merged.kind, 'APIGroupList');
  assert.deepEqual(
    merged.groups.map((g) => g.name),
    ['apps', 'early.example.com', 'batch', 'stable.example.com', 'custom.metrics.k8s.io', 'metrics.k8s.io'],
  );
  assert.deepEqual(merged.groups[4]!.preferredVersion, { groupVersion: 'custom.metrics.k8s.io/v2', version: 'v2' });
});

test('versionDiscoveryFromResourceList turns "<plural>/<sub>" entries into subresources', () => {
  const got = versionDiscoveryFromResourceList('metrics.k8s.io', 'v1beta1', {
    stale: false,
    resourceList: {
      resources: [
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'], shortNames: ['pm'] },
        { name: 'pods/status', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get'] },
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
        { name: 'orphans/sub', singularName: '', namespaced: false, kind: 'X', verbs: ['get'] },
      ],
    },
  });
  assert.deepEqual(got, {
    version: 'v1beta1',
    freshness: 'Current',
    resources: [
      {
        resource: 'pods',
        responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' },
        scope: 'Namespaced',
        singularResource: 'pod',
        verbs: ['get', 'list'],
        shortNames: ['pm'],
        subresources: [{ subresource: 'status', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }, verbs: ['get'] }],
      },
      { resource: 'nodes', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }, scope: 'Cluster', singularResource: '', verbs: ['get', 'list'] },
    ],
  });
});

test('mergeAggregatedDiscovery adds fetched remote versions (Stale when the last check failed) and skips unfetched ones', () => {
  const local: APIGroupDiscoveryList = {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [
      { metadata: { name: 'apps' }, versions: [{ version: 'v1', resources: [], freshness: 'Current' }] },
      { metadata: { name: 'batch' }, versions: [{ version: 'v1', resources: [], freshness: 'Current' }] },
    ],
  };
  const docs: Record<string, { stale: boolean; resourceList: { resources: unknown[] } }> = {
    'v1beta1.metrics.k8s.io': { stale: true, resourceList: { resources: [] } },
    'v2.custom.metrics.k8s.io': { stale: false, resourceList: { resources: [] } },
    'v1beta1.custom.metrics.k8s.io': { stale: false, resourceList: { resources: [] } },
  };
  const merged = mergeAggregatedDiscovery(local, apiServiceGroups(services), (name) => docs[name]);
  assert.deepEqual(
    merged.items.map((i) => `${i.metadata.name}:${i.versions.map((v) => `${v.version}/${v.freshness}`).join(',')}`),
    ['apps:v1/Current', 'batch:v1/Current', 'custom.metrics.k8s.io:v2/Current,v1beta1/Current', 'metrics.k8s.io:v1beta1/Stale'],
  );
});
