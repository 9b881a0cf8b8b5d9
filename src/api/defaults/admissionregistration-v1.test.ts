import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultAdmissionPolicy, defaultAdmissionPolicyBinding, defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration,
} from './admissionregistration-v1.js';
import type { Defaulter, JSONObject } from './fields.js';

const rule = { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] };
const webhook = (extra: JSONObject = {}): JSONObject => ({
  name: 'check.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'],
  clientConfig: { service: { namespace: 'hooks', name: 'checker', path: '/validate' } }, rules: [rule], ...extra,
});
const defaultedWebhook = (extra: JSONObject = {}): JSONObject => ({
  name: 'check.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'],
  clientConfig: { service: { namespace: 'hooks', name: 'checker', path: '/validate', port: 443 } },
  rules: [{ ...rule, scope: '*' }],
  failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10, ...extra,
});

test('admissionregistration.k8s.io/v1 defaults', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; obj: JSONObject; want: JSONObject }> = [
    {
      name: 'validating webhook',
      defaulter: defaultValidatingWebhookConfiguration,
      obj: { webhooks: [webhook()] },
      want: { webhooks: [defaultedWebhook()] },
    },
    {
      name: 'mutating webhook, with its own choices and a URL',
      defaulter: defaultMutatingWebhookConfiguration,
      obj: { webhooks: [webhook({ clientConfig: { url: 'https://hooks.example.com/m' }, failurePolicy: 'Ignore', timeoutSeconds: 3 })] },
      want: {
        webhooks: [defaultedWebhook({
          clientConfig: { url: 'https://hooks.example.com/m' }, failurePolicy: 'Ignore', timeoutSeconds: 3, reinvocationPolicy: 'Never',
        })],
      },
    },
    {
      name: 'ValidatingAdmissionPolicy',
      defaulter: defaultAdmissionPolicy,
      obj: { spec: { matchConstraints: { resourceRules: [rule] }, validations: [{ expression: 'object.spec.replicas <= 5' }] } },
      want: {
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: { resourceRules: [{ ...rule, scope: '*' }], matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
          validations: [{ expression: 'object.spec.replicas <= 5' }],
        },
      },
    },
    {
      name: 'ValidatingAdmissionPolicyBinding',
      defaulter: defaultAdmissionPolicyBinding,
      obj: { spec: { policyName: 'p', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { env: 'test' } } } } },
      want: {
        spec: {
          policyName: 'p', validationActions: ['Deny'],
          matchResources: { namespaceSelector: { matchLabels: { env: 'test' } }, matchPolicy: 'Equivalent', objectSelector: {} },
        },
      },
    },
    {
      name: 'binding without matchResources',
      defaulter: defaultAdmissionPolicyBinding,
      obj: { spec: { policyName: 'p', validationActions: ['Deny'] } },
      want: { spec: { policyName: 'p', validationActions: ['Deny'] } },
    },
  ];
  for (const c of cases) {
    c.defaulter(c.obj, { now: () => 0 });
    assert.deepEqual(c.obj, c.want, c.name);
  }
});
