import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestServer } from '../../endpoints/testing/harness.js';
import { createPolicyObject, withPolicyPlugin } from './policy-testing.js';
import { newValidatingAdmissionPolicy } from './validating-admission-policy.js';


const withPolicies = (fn: (server: TestServer) => Promise<void>) => withPolicyPlugin(newValidatingAdmissionPolicy, fn);
const create = createPolicyObject;

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test("policy: upstream's replicas example, bound to test namespaces only", async () => {
  await withPolicies(async (server) => {
    await create(server, 'validatingadmissionpolicies', {
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'demo-policy.example.com' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= 5' }],
      },
    });
    await create(server, 'validatingadmissionpolicybindings', {
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'demo-binding-test.example.com' },
      spec: { policyName: 'demo-policy.example.com', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } },
    });
    const denied = await server.request('POST', '/apis/apps/v1/namespaces/test/deployments', { body: deployment('nginx', 6) });
    assert.equal(denied.status, 422, denied.text);
    assert.equal(denied.json.reason, 'Invalid');
    assert.equal(denied.json.message, `deployments.apps "nginx" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5`);
    assert.deepEqual(denied.json.details.causes, [{ message: `ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5` }]);
    assert.equal((await server.request('POST', '/apis/apps/v1/namespaces/test/deployments', { body: deployment('small', 3) })).status, 201);
    assert.equal((await server.request('POST', '/apis/apps/v1/namespaces/prod/deployments', { body: deployment('big', 6) })).status, 201);
  });
});

test('policy: params, variables, messageExpression, Warn, parameterNotFoundAction, failurePolicy', async () => {
  await withPolicies(async (server) => {
    await server.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits' }, data: { maxKeys: '2' } } });
    await create(server, 'validatingadmissionpolicies', {
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'max-keys' },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        variables: [{ name: 'keys', expression: 'has(object.data) ? size(object.data) : 0' }],
        validations: [
          { expression: 'variables.keys <= int(params.data.maxKeys)', messageExpression: "'too many keys: ' + string(variables.keys)", reason: 'Forbidden' },
          { expression: "object.metadata.name != 'forbidden-name'", message: 'that name is taken' },
        ],
      },
    });
    await create(server, 'validatingadmissionpolicybindings', {
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'enforce' },
      spec: { policyName: 'max-keys', validationActions: ['Deny'], paramRef: { name: 'limits', namespace: 'default' }, matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } },
    });
    await create(server, 'validatingadmissionpolicybindings', {
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'advise' },
      spec: { policyName: 'max-keys', validationActions: ['Warn'], paramRef: { name: 'limits', namespace: 'default' }, matchResources: { namespaceSelector: { matchLabels: { environment: 'prod' } } } },
    });
    await create(server, 'validatingadmissionpolicybindings', {
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'missing-params' },
      spec: { policyName: 'max-keys', validationActions: ['Deny'], paramRef: { name: 'nope', namespace: 'default' }, matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } } },
    });
    const cm = (ns: string, name: string, keys: number) =>
      server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v'])) } });

    assert.equal((await cm('test', 'ok', 2)).status, 201);
    const tooMany = await cm('test', 'big', 3);
    assert.equal(tooMany.status, 403, tooMany.text);
    assert.equal(tooMany.json.message, `configmaps "big" is forbidden: ValidatingAdmissionPolicy 'max-keys' with binding 'enforce' denied request: too many keys: 3`);
    const named = await cm('test', 'forbidden-name', 0);
    assert.equal(named.status, 422, named.text);
    assert.match(named.json.message, /denied request: that name is taken$/);

    const warned = await cm('prod', 'big', 3);
    assert.equal(warned.status, 201, warned.text);
    assert.equal(warned.headers.Warning, `299 - "Validation failed for ValidatingAdmissionPolicy 'max-keys' with binding 'advise': too many keys: 3"`);

    const noParams = await cm('default', 'x', 0);
    assert.equal(noParams.status, 422, noParams.text);
    assert.match(noParams.json.message, /with binding 'missing-params' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/);
  });
});

test('policy: the authorizer library asks the apiserver authorizer for the requesting user (and a service account)', async () => {
  const asked: string[] = [];
  const authorizer = {
    async authorize(a: { user: { name: string }; verb: string; isResourceRequest: boolean; path: string; apiGroup: string; resource: string; subresource: string; namespace: string; name: string }) {
      asked.push(a.isResourceRequest ? `${a.user.name} ${a.verb} ${a.apiGroup}/${a.resource}/${a.subresource} ${a.namespace}/${a.name}` : `${a.user.name} ${a.verb} ${a.path}`);
      if (a.isResourceRequest && a.verb === 'approve' && a.namespace === 'test') return { decision: 'allow' as const, reason: 'approvers may' };
      if (!a.isResourceRequest && a.path === '/healthz') return { decision: 'allow' as const, reason: '' };
      if (a.user.name === 'system:serviceaccount:test:robot') return { decision: 'deny' as const, reason: 'robots may not' };
      return { decision: 'noOpinion' as const, reason: 'nobody said yes' };
    },
  };
  await withPolicyPlugin((o) => newValidatingAdmissionPolicy({ ...o, authorizer }), async (server) => {
    await create(server, 'validatingadmissionpolicies', {
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'approvers' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        variables: [{ name: 'approve', expression: "authorizer.group('example.com').resource('widgets').namespace(object.metadata.namespace).check('approve')" }],
        validations: [
          { expression: 'variables.approve.allowed()', messageExpression: "'not an approver: ' + variables.approve.reason()" },
          { expression: "authorizer.path('/healthz').check('GET').allowed() && !authorizer.path('/metrics').check('get').allowed()" },
          { expression: "!authorizer.serviceAccount('test', 'robot').group('').resource('pods').check('create').allowed()" },
          { expression: "authorizer.requestResource.check('create').reason() == 'nobody said yes' && !authorizer.requestResource.check('create').errored()" },
        ],
      },
    });
    await create(server, 'validatingadmissionpolicybindings', { kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'approvers' }, spec: { policyName: 'approvers', validationActions: ['Deny'] } });
    const cm = (ns: string) => server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
    const allowed = await cm('test');
    assert.equal(allowed.status, 201, allowed.text);
    const user = 'system:unsecured';
    assert.deepEqual(asked.sort(), [
      `${user} approve example.com/widgets/ test/`,
      `${user} create /configmaps/ test/c`,
      `${user} get /healthz`,
      `${user} get /metrics`,
      'system:serviceaccount:test:robot create /pods/ /',
    ].sort());
    // Each question was asked once, however often the expressions re-ran while decisions arrived.
    assert.equal(asked.length, 5);
    const denied = await cm('prod');
    assert.equal(denied.status, 422, denied.text);
    assert.match(denied.json.message, /denied request: not an approver: nobody said yes$/);
  });
});

test('policy metrics: apiserver_validating_admission_policy_check_total by binding, action and error type', async () => {
  const { Registry } = await import('prom-client');
  const { prometheusAdmissionMetrics } = await import('../admission-metrics.js');
  const registry = new Registry();
  const metrics = prometheusAdmissionMetrics(registry);
  await withPolicyPlugin((o) => newValidatingAdmissionPolicy({ ...o, metrics }), async (server) => {
    await create(server, 'validatingadmissionpolicies', {
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'named' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations: [{ expression: "object.metadata.name.startsWith('ok-') || object.data.nosuch == 'x'" }],
      },
    });
    await create(server, 'validatingadmissionpolicybindings', { kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'deny-warn' }, spec: { policyName: 'named', validationActions: ['Deny', 'Warn'] } });
    const cm = (name: string, data?: Record<string, string>) => server.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } });
    assert.equal((await cm('ok-1')).status, 201);
    assert.equal((await cm('ok-2')).status, 201);
    assert.equal((await cm('bad', { nosuch: 'y' })).status, 422);
    assert.equal((await cm('broken', { other: 'y' })).status, 422); // no such key: an evaluation error
    const text = await registry.metrics();
    const count = (labels: string) => text.split('\n').find((l) => l.startsWith(`apiserver_validating_admission_policy_check_total{${labels}}`))?.split(' ').at(-1);
    assert.equal(count('policy="named",policy_binding="deny-warn",enforcement_action="allow",error_type="no_error"'), '2', text);
    assert.equal(count('policy="named",policy_binding="deny-warn",enforcement_action="deny",error_type="no_error"'), '1');
    assert.equal(count('policy="named",policy_binding="deny-warn",enforcement_action="warn",error_type="no_error"'), '1');
    assert.equal(count('policy="named",policy_binding="deny-warn",enforcement_action="deny",error_type="invalid_error"'), '1');
    assert.match(text, /apiserver_validating_admission_policy_check_duration_seconds_count\{policy="named",policy_binding="deny-warn",enforcement_action="allow",error_type="no_error"\} 2/);
  });
});
