// Defaulters of admissionregistration.k8s.io/v1 webhooks and admission policies (upstream
// pkg/apis/admissionregistration/v1/defaults.go). v1 requires sideEffects and admissionReviewVersions,
// so unlike v1beta1 it defaults neither.
import { defaultNil, objectAt, objectField, objectItems, type JSONObject } from './fields.js';

/** Seconds the apiserver waits for a webhook in v1 (v1beta1 waited 30). */
export const defaultWebhookTimeoutSeconds = 10;

/** Upstream SetDefaults_Rule: a rule matches namespaced and cluster-scoped resources. */
function defaultRules(parent: JSONObject | undefined, key: string): void {
  for (const rule of objectItems(parent, key)) defaultNil(rule, 'scope', '*');
}

/** Shared by validating and mutating webhooks. */
function defaultWebhook(webhook: JSONObject): void {
  defaultNil(webhook, 'failurePolicy', 'Fail');
  defaultNil(webhook, 'matchPolicy', 'Equivalent');
  defaultNil(webhook, 'namespaceSelector', {});
  defaultNil(webhook, 'objectSelector', {});
  defaultNil(webhook, 'timeoutSeconds', defaultWebhookTimeoutSeconds);
  defaultRules(webhook, 'rules');
  const service = objectAt(webhook, 'clientConfig', 'service');
  if (service) defaultNil(service, 'port', 443);
}

export function defaultValidatingWebhookConfiguration(obj: JSONObject): void {
  for (const webhook of objectItems(obj, 'webhooks')) defaultWebhook(webhook);
}

export function defaultMutatingWebhookConfiguration(obj: JSONObject): void {
  for (const webhook of objectItems(obj, 'webhooks')) {
    defaultWebhook(webhook);
    defaultNil(webhook, 'reinvocationPolicy', 'Never');
  }
}

/** Upstream SetDefaults_MatchResources: Equivalent matching and match-everything selectors. */
function defaultMatchResources(match: JSONObject | undefined): void {
  if (!match) return;
  defaultNil(match, 'matchPolicy', 'Equivalent');
  defaultNil(match, 'namespaceSelector', {});
  defaultNil(match, 'objectSelector', {});
  defaultRules(match, 'resourceRules');
  defaultRules(match, 'excludeResourceRules');
}

/** ValidatingAdmissionPolicy and MutatingAdmissionPolicy: they fail closed unless told to ignore errors. */
export function defaultAdmissionPolicy(obj: JSONObject): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  defaultNil(spec, 'failurePolicy', 'Fail');
  defaultMatchResources(objectField(spec, 'matchConstraints'));
}

/** ValidatingAdmissionPolicyBinding and MutatingAdmissionPolicyBinding. */
export function defaultAdmissionPolicyBinding(obj: JSONObject): void {
  defaultMatchResources(objectAt(obj, 'spec', 'matchResources'));
}
