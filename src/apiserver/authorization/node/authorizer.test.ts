// The Node authorizer: what a kubelet may reach through the pods bound to it, leases, and the rest by rules.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes } from '../interface.js';
import { NodeAuthorizer } from './authorizer.js';
import { NodeGraph } from './graph.js';
import type { PodLike } from './pod-references.js';

const pod = (name: string, nodeName: string | undefined, spec: PodLike['spec'] = {}): PodLike => ({ metadata: { name, namespace: 'ns' }, spec: { ...spec, nodeName } });

function attrs(node: string, verb: string, group: string, resource: string, o: { ns?: string; name?: string; sub?: string } = {}): Attributes {
  return {
    user: { name: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] },
    verb,
    isResourceRequest: true,
    path: '',
    namespace: o.ns ?? '',
    apiGroup: group,
    apiVersion: 'v1',
    resource,
    subresource: o.sub ?? '',
    name: o.name ?? '',
  };
}

test('Node authorizer decisions follow the graph', () => {
  const graph = new NodeGraph();
  const pods = graph.podHandler();
  pods.onReplace([
    pod('web', 'n1', {
      serviceAccountName: 'web-sa',
      imagePullSecrets: [{ name: 'pull' }],
      containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'env-secret' } } }], envFrom: [{ configMapRef: { name: 'env-cm' } }] }],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-claim' } },
        { name: 'cfg', projected: { sources: [{ configMap: { name: 'projected-cm' } }, { secret: { name: 'projected-secret' } }] } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: {} } },
      ],
    }),
    pod('pending', undefined, { volumes: [{ name: 's', secret: { secretName: 'unscheduled-secret' } }] }),
  ]);
  const pvs = graph.pvHandler();
  pvs.onReplace([{ metadata: { name: 'pv1' }, spec: { claimRef: { namespace: 'ns', name: 'data-claim' }, csi: { driver: 'x', nodePublishSecretRef: { name: 'csi-secret', namespace: 'storage' } } } }]);
  graph.volumeAttachmentHandler().onReplace([{ metadata: { name: 'va1' }, spec: { nodeName: 'n1' } }]);
  const a = new NodeAuthorizer({ graph });

  const cases: Array<{ name: string; attrs: Attributes; allowed: boolean; reason?: string }> = [
    { name: 'secret of a pod on the node', attrs: attrs('n1', 'get', '', 'secrets', { ns: 'ns', name: 'env-secret' }), allowed: true },
    { name: 'image pull secret', attrs: attrs('n1', 'watch', '', 'secrets', { ns: 'ns', name: 'pull' }), allowed: true },
    { name: 'projected secret', attrs: attrs('n1', 'get', '', 'secrets', { ns: 'ns', name: 'projected-secret' }), allowed: true },
    { name: 'same secret from another node', attrs: attrs('n2', 'get', '', 'secrets', { ns: 'ns', name: 'env-secret' }), allowed: false, reason: "no relationship found between node 'n2' and this object" },
    { name: 'secret of an unscheduled pod', attrs: attrs('n1', 'get', '', 'secrets', { ns: 'ns', name: 'unscheduled-secret' }), allowed: false },
    { name: 'secrets cannot be written', attrs: attrs('n1', 'update', '', 'secrets', { ns: 'ns', name: 'env-secret' }), allowed: false, reason: 'can only read resources of this type' },
    { name: 'list of all secrets has no name', attrs: attrs('n1', 'list', '', 'secrets', { ns: 'ns' }), allowed: false, reason: 'No Object name found' },
    { name: 'configmap via envFrom', attrs: attrs('n1', 'get', '', 'configmaps', { ns: 'ns', name: 'env-cm' }), allowed: true },
    { name: 'projected configmap', attrs: attrs('n1', 'get', '', 'configmaps', { ns: 'ns', name: 'projected-cm' }), allowed: true },
    { name: 'pvc of a pod', attrs: attrs('n1', 'get', '', 'persistentvolumeclaims', { ns: 'ns', name: 'data-claim' }), allowed: true },
    { name: 'ephemeral volume pvc', attrs: attrs('n1', 'get', '', 'persistentvolumeclaims', { ns: 'ns', name: 'web-scratch' }), allowed: true },
    { name: 'pvc list is not allowed', attrs: attrs('n1', 'list', '', 'persistentvolumeclaims', { ns: 'ns' }), allowed: false, reason: 'can only get individual resources of this type' },
    { name: 'pvc status update', attrs: attrs('n1', 'patch', '', 'persistentvolumeclaims', { ns: 'ns', name: 'data-claim', sub: 'status' }), allowed: true },
    { name: 'pv bound to a pod claim', attrs: attrs('n1', 'get', '', 'persistentvolumes', { name: 'pv1' }), allowed: true },
    { name: 'pv from another node', attrs: attrs('n2', 'get', '', 'persistentvolumes', { name: 'pv1' }), allowed: false },
    { name: 'CSI secret through the pv', attrs: attrs('n1', 'get', '', 'secrets', { ns: 'storage', name: 'csi-secret' }), allowed: true },
    { name: 'volume attachment of the node', attrs: attrs('n1', 'get', 'storage.k8s.io', 'volumeattachments', { name: 'va1' }), allowed: true },
    { name: 'token for the pod service account', attrs: attrs('n1', 'create', '', 'serviceaccounts', { ns: 'ns', name: 'web-sa', sub: 'token' }), allowed: true },
    { name: 'token for another service account', attrs: attrs('n1', 'create', '', 'serviceaccounts', { ns: 'ns', name: 'admin', sub: 'token' }), allowed: false },
    { name: 'own lease', attrs: attrs('n1', 'update', 'coordination.k8s.io', 'leases', { ns: 'kube-node-lease', name: 'n1' }), allowed: true },
    { name: 'another node lease', attrs: attrs('n1', 'update', 'coordination.k8s.io', 'leases', { ns: 'kube-node-lease', name: 'n2' }), allowed: false, reason: 'can only access node lease with the same name as the requesting node' },
    { name: 'lease elsewhere', attrs: attrs('n1', 'get', 'coordination.k8s.io', 'leases', { ns: 'default', name: 'n1' }), allowed: false, reason: 'can only access leases in the "kube-node-lease" system namespace' },
    { name: 'lease create (name checked by admission)', attrs: attrs('n1', 'create', 'coordination.k8s.io', 'leases', { ns: 'kube-node-lease' }), allowed: true },
    { name: 'nodes by the system:node rules', attrs: attrs('n1', 'patch', '', 'nodes', { name: 'n1', sub: 'status' }), allowed: true },
    { name: 'pods list by the system:node rules', attrs: attrs('n1', 'list', '', 'pods'), allowed: true },
    { name: 'deployments are not a node concern', attrs: attrs('n1', 'list', 'apps', 'deployments'), allowed: false, reason: '' },
  ];
  for (const c of cases) {
    const r = a.authorizeSync(c.attrs);
    assert.equal(r.decision, c.allowed ? 'allow' : 'noOpinion', c.name);
    if (c.reason !== undefined) assert.equal(r.reason, c.reason, c.name);
  }
  // Not a node: no opinion whatever the request; a node user outside system:nodes is not a node.
  assert.deepEqual(a.authorizeSync({ ...attrs('n1', 'get', '', 'secrets', { ns: 'ns', name: 'pull' }), user: { name: 'system:node:n1', groups: [] } }), { decision: 'noOpinion', reason: '' });
  assert.equal(a.authorizeSync({ ...attrs('', 'get', '', 'pods'), user: { name: 'system:node:', groups: ['system:nodes'] } }).reason, 'unknown node for user "system:node:"');
});

test('the graph forgets what a deleted or moved pod referenced', () => {
  const graph = new NodeGraph();
  const h = graph.podHandler();
  const p = pod('a', 'n1', { volumes: [{ name: 'v', secret: { secretName: 's' } }] });
  const twin = pod('b', 'n1', { volumes: [{ name: 'v', secret: { secretName: 's' } }] });
  h.onAdd(p);
  h.onAdd(twin);
  assert.equal(graph.hasPathFrom('n1', 'secret', 'ns', 's'), true);
  h.onDelete(p);
  assert.equal(graph.hasPathFrom('n1', 'secret', 'ns', 's'), true, 'the other pod still refers to it');
  const moved = pod('b', 'n2', twin.spec);
  h.onUpdate(twin, moved);
  assert.equal(graph.hasPathFrom('n1', 'secret', 'ns', 's'), false);
  assert.equal(graph.hasPathFrom('n2', 'secret', 'ns', 's'), true);
});
