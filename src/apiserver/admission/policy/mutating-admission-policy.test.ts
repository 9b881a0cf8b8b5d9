// MutatingAdmissionPolicy through the REST core: ApplyConfiguration and JSONPatch mutations, bindings narrowed
// to a namespace, matchConditions, params, failurePolicy, and list-map merging by key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestServer } from '../../endpoints/testing/harness.js';
import { createPolicyObject, withPolicyPlugin } from './policy-testing.js';
import { newMutatingAdmissionPolicy } from './mutating-admission-policy.js';

const group = '/apis/admissionregistration.k8s.io/v1';

const withPolicies = (fn: (server: TestServer) => Promise<void>) => withPolicyPlugin(newMutatingAdmissionPolicy, fn);
const create = createPolicyObject;

const deployments = { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] };

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, ...extra },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
});

async function bind(server: TestServer, policy: string, spec: Record<string, unknown> = {}): Promise<void> {
  await create(server, 'mutatingadmissionpolicybindings', { kind: 'MutatingAdmissionPolicyBinding', metadata: { name: `${policy}-binding` }, spec: { policyName: policy, ...spec } });
}

test('ApplyConfiguration: a label and a sidecar container merged by name, only in the bound namespace', async () => {
  await withPolicies(async (server) => {
    await create(server, 'mutatingadmissionpolicies', {
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: 'add-sidecar' },
      spec: {
        matchConstraints: { resourceRules: [deployments] },
        matchConditions: [{ name: 'not-opted-out', expression: "!has(object.metadata.labels) || !('sidecar' in object.metadata.labels) || object.metadata.labels['sidecar'] != 'off'" }],
        variables: [{ name: 'image', expression: "'mesh/proxy:1.0'" }],
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression: `Object{
                metadata: Object.metadata{labels: {"mesh": "on"}},
                spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{
                  containers: [Object.spec.template.spec.containers{name: "proxy", image: variables.image}]
                }}}
              }`,
            },
          },
        ],
      },
    });
    await bind(server, 'add-sidecar', { matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } });
    const mutated = await server.request('POST', '/apis/apps/v1/namespaces/test/deployments', { body: deployment('web') });
    assert.equal(mutated.status, 201, mutated.text);
    assert.equal(mutated.json.metadata.labels.mesh, 'on');
    assert.deepEqual(mutated.json.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]), [['web', 'nginx'], ['proxy', 'mesh/proxy:1.0']]);
    const elsewhere = await server.request('POST', '/apis/apps/v1/namespaces/prod/deployments', { body: deployment('web') });
    assert.equal(elsewhere.status, 201, elsewhere.text);
    assert.equal(elsewhere.json.spec.template.spec.containers.length, 1, 'the binding selects test namespaces only');
    const optedOut = await server.request('POST', '/apis/apps/v1/namespaces/test/deployments', { body: deployment('quiet', { labels: { sidecar: 'off' } }) });
    assert.equal(optedOut.json.spec.template.spec.containers.length, 1, 'the matchCondition excludes it');
  });
});

test('JSONPatch with jsonpatch.escapeKey and params; failurePolicy decides what an error does', async () => {
  await withPolicies(async (server) => {
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' }, data: { team: 'payments' } } })).status, 201);
    await create(server, 'mutatingadmissionpolicies', {
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: 'owner-annotation' },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: [deployments] },
        mutations: [
          {
            patchType: 'JSONPatch',
            jsonPatch: {
              expression: `[
                JSONPatch{op: "add", path: "/metadata/annotations", value: {}},
                JSONPatch{op: "add", path: "/metadata/annotations/" + jsonpatch.escapeKey("example.com/owner"), value: params.data.team}
              ]`,
            },
          },
        ],
      },
    });
    await bind(server, 'owner-annotation', { paramRef: { name: 'owner', namespace: 'default' } });
    const created = await server.request('POST', '/apis/apps/v1/namespaces/prod/deployments', { body: deployment('api') });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.metadata.annotations, { 'example.com/owner': 'payments' });

    // A policy whose expression fails: Fail (the default) refuses the write, Ignore lets it through unchanged.
    await create(server, 'mutatingadmissionpolicies', {
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: 'broken' },
      spec: { matchConstraints: { resourceRules: [deployments] }, mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{spec: object.spec.nosuchfield}' } }] },
    });
    await bind(server, 'broken');
    const refused = await server.request('POST', '/apis/apps/v1/namespaces/prod/deployments', { body: deployment('refused') });
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.json.message, /^deployments.apps "refused" is forbidden: MutatingAdmissionPolicy 'broken' with binding 'broken-binding' denied request: expression 'Object\{spec: object.spec.nosuchfield\}' resulted in error: /);
    assert.equal((await server.request('GET', '/apis/apps/v1/namespaces/prod/deployments/refused')).status, 404, 'nothing stored');
    await server.request('PATCH', `${group}/mutatingadmissionpolicies/broken`, { body: { spec: { failurePolicy: 'Ignore' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    const ignored = await server.request('POST', '/apis/apps/v1/namespaces/prod/deployments', { body: deployment('ignored') });
    assert.equal(ignored.status, 201, ignored.text);
  });
});
