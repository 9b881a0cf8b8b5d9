// Audit policy: decoding/validation and upstream's rule matching (first match wins, None without a match).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestInfo } from '../request-info.js';
import { newPolicyRuleEvaluator, parsePolicy, type Policy } from './policy.js';

const policy: Policy = parsePolicy(
  `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: ["system:kube-proxy"]
  verbs: [watch]
- level: None
  userGroups: ["system:nodes"]
  nonResourceURLs: ["/healthz*", /version]
- level: RequestResponse
  resources:
  - group: ""
    resources: [pods/log, "*/status"]
  omitStages: [ResponseStarted]
- level: Request
  resources:
  - group: apps
    resources: ["deployments/*"]
  - group: ""
    resources: [configmaps]
    resourceNames: [controller-leader]
- level: Metadata
  namespaces: [kube-system, ""]
  omitManagedFields: true
- level: Metadata
  resources:
  - group: ""
    resources: [secrets]
- level: None
  resources:
  - group: rbac.authorization.k8s.io
- level: Request
  nonResourceURLs: ["*"]
`,
  'policy.yaml',
);
const evaluate = newPolicyRuleEvaluator(policy);
const user = (name: string, ...groups: string[]) => ({ name, groups });
const req = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

test('the first matching rule decides the level', () => {
  const alice = user('alice', 'system:authenticated');
  const cases: Array<{ name: string; user?: ReturnType<typeof user>; method: string; url: string; level: string }> = [
    { name: 'users + verbs', user: user('system:kube-proxy'), method: 'GET', url: '/api/v1/services?watch=true', level: 'None' },
    { name: 'users, other verb falls through', user: user('system:kube-proxy'), method: 'GET', url: '/api/v1/namespaces/default/secrets', level: 'Metadata' },
    { name: 'userGroups + nonResourceURLs prefix', user: user('system:node:n1', 'system:nodes'), method: 'GET', url: '/healthz/etcd', level: 'None' },
    { name: 'nonResourceURLs exact', user: user('system:node:n1', 'system:nodes'), method: 'GET', url: '/version', level: 'None' },
    { name: 'nonResourceURLs do not match other groups', user: alice, method: 'GET', url: '/version', level: 'Request' },
    { name: 'subresource exact', user: alice, method: 'GET', url: '/api/v1/namespaces/default/pods/p/log', level: 'RequestResponse' },
    { name: '*/status', user: alice, method: 'PUT', url: '/api/v1/namespaces/default/services/s/status', level: 'RequestResponse' },
    { name: 'resource/* matches subresources', user: alice, method: 'PUT', url: '/apis/apps/v1/namespaces/default/deployments/d/scale', level: 'Request' },
    { name: 'resource/* matches the resource itself too, as upstream', user: alice, method: 'GET', url: '/apis/apps/v1/namespaces/default/deployments/d', level: 'Request' },
    { name: 'group mismatch', user: alice, method: 'GET', url: '/apis/batch/v1/namespaces/default/jobs/j', level: 'None' },
    { name: 'resourceNames match', user: alice, method: 'PUT', url: '/api/v1/namespaces/default/configmaps/controller-leader', level: 'Request' },
    { name: 'resourceNames do not match', user: alice, method: 'PUT', url: '/api/v1/namespaces/default/configmaps/other', level: 'None' },
    { name: 'namespaces', user: alice, method: 'GET', url: '/api/v1/namespaces/kube-system/pods', level: 'Metadata' },
    { name: 'namespace "" is cluster scope', user: alice, method: 'GET', url: '/api/v1/nodes', level: 'Metadata' },
    { name: 'group without resources matches all of it', user: alice, method: 'GET', url: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', level: 'None' },
    { name: 'no user (failed authentication)', method: 'GET', url: '/api/v1/namespaces/default/secrets', level: 'Metadata' },
    { name: 'no rule matches', user: alice, method: 'GET', url: '/api/v1/namespaces/default/pods', level: 'None' },
  ];
  for (const c of cases) assert.equal(evaluate({ user: c.user, info: req(c.method, c.url) }).level, c.level, c.name);
});

test('omitStages merge the policy and the rule; omitManagedFields comes from the rule', () => {
  const log = evaluate({ user: user('a'), info: req('GET', '/api/v1/namespaces/d/pods/p/log') });
  assert.deepEqual([...log.omitStages].sort(), ['RequestReceived', 'ResponseStarted']);
  assert.equal(log.omitManagedFields, false);
  const ks = evaluate({ user: user('a'), info: req('GET', '/api/v1/namespaces/kube-system/pods') });
  assert.deepEqual([...ks.omitStages], ['RequestReceived']);
  assert.equal(ks.omitManagedFields, true);
});

test('invalid policies are refused', () => {
  const cases = [
    { text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n', message: 'rules[0].level: Unsupported value: "Loud": supported values: "None", "Metadata", "Request", "RequestResponse"' },
    { text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  omitStages: [Sometimes]\n', message: 'rules[0].omitStages[0]: Unsupported value: "Sometimes"' },
    { text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  nonResourceURLs: [/x]\n  resources: [{group: ""}]\n', message: 'rules cannot apply to both regular resources and non-resource URLs' },
    { text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\n', message: 'loaded illegal policy with 0 rules' },
    { text: 'apiVersion: v1\nkind: ConfigMap\n', message: 'no kind "ConfigMap" is registered for version "v1"' },
  ];
  for (const c of cases) {
    assert.throws(() => parsePolicy(c.text, 'p.yaml'), (err: Error) => {
      assert.ok(err.message.includes(c.message), err.message);
      return true;
    });
  }
});
