// Defaulters of networking.k8s.io/v1 (upstream pkg/apis/networking/v1/defaults.go). Ingress has no
// defaults: pathType is required and checked by validation.
import { defaultNil, isEmpty, objectField, objectItems, type JSONObject } from './fields.js';

/**
 * Upstream SetDefaults_NetworkPolicy and _NetworkPolicyPort: a policy without policyTypes is an Ingress
 * policy, and also an Egress one when it has egress rules; ports are TCP unless they say otherwise.
 */
export function defaultNetworkPolicy(obj: JSONObject): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  if (isEmpty(spec.policyTypes)) spec.policyTypes = isEmpty(spec.egress) ? ['Ingress'] : ['Ingress', 'Egress'];
  for (const direction of ['ingress', 'egress']) {
    for (const rule of objectItems(spec, direction)) {
      for (const port of objectItems(rule, 'ports')) defaultNil(port, 'protocol', 'TCP');
    }
  }
}

/** Upstream SetDefaults_IngressClass: parameters are cluster-scoped unless they say otherwise. */
export function defaultIngressClass(obj: JSONObject): void {
  const parameters = objectField(objectField(obj, 'spec'), 'parameters');
  if (parameters) defaultNil(parameters, 'scope', 'Cluster');
}
