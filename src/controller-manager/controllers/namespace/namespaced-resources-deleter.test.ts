import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newMethodNotSupported } from '../../../apimachinery/errors.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { APIResourceInfo, DiscoveryResult } from '../../../client/discovery/discovery-client.js';
import type { KubeObject } from '../../../client/rest/interface.js';
import { FakeClient } from '../../testing/fake-client.js';
import { NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';

const core = (resource: string, kind: string): APIResourceInfo => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'watch'],
  preferred: true,
});
const discovery: DiscoveryResult = {
  resources: [core('configmaps', 'ConfigMap'), core('secrets', 'Secret'), core('pods', 'Pod'), { ...core('nodes', 'Node'), namespaced: false }],
  failedGroups: new Map(),
};
const gvr = (resource: string) => ({ group: '', version: 'v1', resource });

interface Case {
  name: string;
  namespace: KubeObject;
  content?: Array<[string, KubeObject]>;
  refuseDeleteOf?: string;
  want: {
    estimate?: number;
    error?: RegExp;
    phase?: string;
    finalizers?: string[];
    left?: Record<string, number>;
    conditions?: Record<string, string>;
  };
}

const deleting = { deletionTimestamp: '2026-01-01T00:00:00Z' };

const cases: Case[] = [
  {
    name: 'a namespace not being deleted is left alone',
    namespace: { metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    content: [['configmaps', { metadata: { name: 'cm' } }]],
    want: { estimate: 0, phase: 'Active', finalizers: ['kubernetes'], left: { configmaps: 1 } },
  },
  {
    name: 'content deleted item by item, Terminating set, only our finalizer removed',
    namespace: { metadata: { name: 'ns', ...deleting }, spec: { finalizers: ['kubernetes', 'example.com/x'] }, status: { phase: 'Active' } },
    content: [
      ['configmaps', { metadata: { name: 'cm' } }],
      ['secrets', { metadata: { name: 's' } }],
    ],
    want: {
      estimate: 0,
      phase: 'Terminating',
      finalizers: ['example.com/x'],
      left: { configmaps: 0, secrets: 0 },
      conditions: { NamespaceContentRemaining: 'False', NamespaceDeletionContentFailure: 'False' },
    },
  },
  {
    name: 'content that cannot be deleted: error, conditions say what is left, not finalized',
    namespace: { metadata: { name: 'ns', ...deleting }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } },
    content: [['secrets', { metadata: { name: 's' } }]],
    refuseDeleteOf: 'secrets',
    want: {
      error: /unexpected items still remain in namespace: ns for gvr: v1, Resource=secrets/,
      finalizers: ['kubernetes'],
      left: { secrets: 1 },
      conditions: { NamespaceContentRemaining: 'True', NamespaceDeletionContentFailure: 'True' },
    },
  },
  {
    name: 'running pods within their grace period: an estimate, not finalized',
    namespace: { metadata: { name: 'ns', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } },
    content: [['pods', { metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: 30, containers: [] }, status: { phase: 'Running' } }]],
    refuseDeleteOf: 'pods',
    want: { estimate: 30, finalizers: ['kubernetes'], left: { pods: 1 } },
  },
];

for (const c of cases) {
  test(`namespaced resources deleter: ${c.name}`, async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    const client = new FakeClient();
    await client.resource(gvr('namespaces')).create(c.namespace);
    for (const [resource, obj] of c.content ?? []) await client.resource(gvr(resource), 'ns').create(obj);
    if (c.refuseDeleteOf) {
      client.prependReactor((a) => (a.verb === 'delete' && a.resource === c.refuseDeleteOf ? newMethodNotSupported({ group: '', resource: a.resource }, 'delete') : undefined));
    }
    const deleter = new NamespacedResourcesDeleter({ client, clock, logger: newLogger({ write: () => {} }), discover: async () => discovery });
    let estimate: number | undefined;
    let error: unknown;
    try {
      estimate = (await deleter.delete('ns')).remainingEstimateSeconds;
    } catch (err) {
      error = err;
    }
    if (c.want.error) assert.match(String(error), c.want.error);
    else assert.equal(error, undefined);
    if (c.want.estimate !== undefined) assert.equal(estimate, c.want.estimate);
    const ns = await client.resource(gvr('namespaces')).get('ns');
    if (c.want.phase) assert.equal((ns.status as { phase?: string }).phase, c.want.phase);
    assert.deepEqual((ns.spec as { finalizers?: string[] }).finalizers, c.want.finalizers);
    for (const [resource, n] of Object.entries(c.want.left ?? {})) assert.equal((await client.resource(gvr(resource), 'ns').list()).items.length, n, resource);
    const conditions = (ns.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
    for (const [type, status] of Object.entries(c.want.conditions ?? {})) assert.equal(conditions.find((x) => x.type === type)?.status, status, type);
  });
}
