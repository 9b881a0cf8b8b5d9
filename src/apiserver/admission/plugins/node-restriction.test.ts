import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import type { AdmissionPlugin } from '../interface.js';
import { registryReader } from '../object-reader.js';
import { staticReader } from '../static-reader.js';
import { testAttributes, type TestWrite } from '../test-attributes.js';
import { newNodeRestriction, nodeIdentity } from './node-restriction.js';

const kubelet = (name: string) => ({ name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] });
const mirror = { 'kubernetes.io/config.mirror': 'hash' };

test('node identity needs both the user prefix and the system:nodes group', () => {
  assert.deepEqual(nodeIdentity(kubelet('n1')), { isNode: true, nodeName: 'n1' });
  assert.deepEqual(nodeIdentity({ name: 'system:node:n1', groups: [] }), { isNode: false, nodeName: '' });
  assert.deepEqual(nodeIdentity({ name: 'alice', groups: ['system:nodes'] }), { isNode: false, nodeName: '' });
});

test('a kubelet writes only its own node, pods, pod status and lease', async () => {
  const plugin = newNodeRestriction({ reader: staticReader([{ resource: 'pods', obj: { metadata: { name: 'other', namespace: 'ns' }, spec: { nodeName: 'n2' } } }]) });
  const pod = (spec: Record<string, unknown>, meta: Record<string, unknown> = { annotations: mirror }) => ({ metadata: { name: 'p', namespace: 'ns', ...meta }, spec: { containers: [{ name: 'c' }], ...spec } });
  const node = (labels?: Record<string, string>, taints?: unknown[]) => ({ metadata: { name: 'n1', labels }, spec: { taints } });
  const cases: Array<{ name: string; w: TestWrite; err?: string }> = [
    { name: 'mirror pod on itself', w: { kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n1' }) } },
    { name: 'not a mirror pod', w: { kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n1' }, {}) }, err: 'pods "p" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods' },
    { name: 'mirror pod elsewhere', w: { kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n2' }) }, err: 'pods "p" is forbidden: node "n1" can only create pods with spec.nodeName set to itself' },
    { name: 'secret volume', w: { kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n1', volumes: [{ name: 'v', secret: { secretName: 's' } }] }) }, err: 'pods "p" is forbidden: node "n1" can not create pods that reference secrets' },
    {
      name: 'foreign owner',
      w: { kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n1' }, { annotations: mirror, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n2', uid: 'u', controller: true }] }) },
      err: 'pods "p" is forbidden: node "n1" can only create pods with an owner reference set to itself',
    },
    { name: 'delete own pod', w: { operation: 'DELETE', kind: 'Pod', resource: 'pods', namespace: 'ns', name: 'p', oldObject: pod({ nodeName: 'n1' }) } },
    { name: 'delete foreign pod', w: { operation: 'DELETE', kind: 'Pod', resource: 'pods', namespace: 'ns', name: 'p', oldObject: pod({ nodeName: 'n2' }) }, err: 'pods "p" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself' },
    { name: 'update pod', w: { operation: 'UPDATE', kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod({ nodeName: 'n1' }), oldObject: pod({ nodeName: 'n1' }) }, err: 'pods "p" is forbidden: unexpected operation UPDATE, node "n1" can only create and delete mirror pods' },
    { name: 'own pod status', w: { operation: 'UPDATE', kind: 'Pod', resource: 'pods', subresource: 'status', namespace: 'ns', object: pod({ nodeName: 'n1' }), oldObject: pod({ nodeName: 'n1' }) } },
    {
      name: 'foreign pod status',
      w: { operation: 'UPDATE', kind: 'Pod', resource: 'pods', subresource: 'status', namespace: 'ns', object: pod({ nodeName: 'n2' }), oldObject: pod({ nodeName: 'n2' }) },
      err: 'pods "p" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself',
    },
    { name: 'evict foreign pod', w: { kind: 'Eviction', resource: 'pods', subresource: 'eviction', namespace: 'ns', name: 'other', object: {} }, err: 'pods "other" is forbidden: node n1 can only evict pods with spec.nodeName set to itself' },
    { name: 'register itself', w: { kind: 'Node', resource: 'nodes', object: node({ 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }) } },
    { name: 'register another', w: { kind: 'Node', resource: 'nodes', object: { metadata: { name: 'n2' } } }, err: 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"' },
    {
      name: 'restricted labels on register',
      w: { kind: 'Node', resource: 'nodes', object: node({ 'node-restriction.kubernetes.io/secure': 'yes', 'node-role.kubernetes.io/control-plane': '', team: 'a' }) },
      err: 'nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/secure, node-role.kubernetes.io/control-plane',
    },
    { name: 'label change', w: { operation: 'UPDATE', kind: 'Node', resource: 'nodes', object: node({ 'example.node-restriction.kubernetes.io/x': 'b' }), oldObject: node() }, err: 'nodes "n1" is forbidden: is not allowed to modify labels: example.node-restriction.kubernetes.io/x' },
    { name: 'taint change', w: { operation: 'UPDATE', kind: 'Node', resource: 'nodes', object: node(undefined, [{ key: 'k', effect: 'NoSchedule' }]), oldObject: node() }, err: 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints' },
    { name: 'own lease', w: { operation: 'UPDATE', group: 'coordination.k8s.io', kind: 'Lease', resource: 'leases', namespace: 'kube-node-lease', name: 'n1', object: {}, oldObject: {} } },
    { name: 'other lease', w: { group: 'coordination.k8s.io', kind: 'Lease', resource: 'leases', namespace: 'kube-node-lease', name: 'n2', object: {} }, err: 'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node' },
    { name: 'lease elsewhere', w: { group: 'coordination.k8s.io', kind: 'Lease', resource: 'leases', namespace: 'default', name: 'n1', object: {} }, err: 'leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" namespace' },
    { name: 'configmaps are not its business here', w: { kind: 'ConfigMap', resource: 'configmaps', namespace: 'ns', object: { metadata: { name: 'c' } } } },
  ];
  for (const c of cases) {
    const run = plugin.validate!(testAttributes({ ...c.w, user: kubelet('n1') }));
    if (c.err) await assert.rejects(run, { code: 403, message: c.err }, c.name);
    else await run;
  }
  // Other users are not restricted.
  await plugin.validate!(testAttributes({ kind: 'Node', resource: 'nodes', object: { metadata: { name: 'n2' } }, user: { name: 'admin', groups: ['system:masters'] } }));
});

test('through the REST core: pods/eviction and pods/binding are admitted with their own kinds', async () => {
  let chain: AdmissionChain | undefined;
  let user = kubelet('n1');
  const seen: string[] = [];
  const recorder: AdmissionPlugin = { name: 'rec', handles: () => true, validate: async (a) => void seen.push(`${a.kind.group}/${a.kind.kind} ${a.resource.resource}/${a.subresource} ${a.name}`) };
  const server = await newTestServer({ strategyFor, handlerOptions: { admissionFor: (req) => chain?.hooksFor({ ...req, user }) } });
  try {
    const reader = registryReader(server.registries);
    chain = new AdmissionChain([recorder, newNodeRestriction({ reader })]);
    user = { name: 'admin', groups: ['system:masters'] };
    for (const [name, node] of [['p1', 'n1'], ['p2', 'n2']]) {
      const res = await server.request('POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] } } });
      assert.equal(res.status, 201, res.text);
    }
    const evict = (name: string) =>
      server.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } } });
    user = kubelet('n1');
    const refused = await evict('p2');
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.message, 'pods "p2" is forbidden: node n1 can only evict pods with spec.nodeName set to itself');
    const allowed = await evict('p1');
    assert.equal(allowed.status, 201, allowed.text);
    assert.ok(seen.includes('policy/Eviction pods/eviction p1'), seen.join('; '));
  } finally {
    server.close();
  }
});
