// Defaulters of HorizontalPodAutoscalers, autoscaling/v1 and autoscaling/v2 (upstream
// pkg/apis/autoscaling/v{1,2}/defaults.go).
import { defaultNil, isEmpty, objectField, ensureObject, type JSONObject, type JSONValue } from './fields.js';

/** Target CPU utilisation of an HPA that names no metric (upstream DefaultCPUUtilization). */
export const defaultCPUUtilization = 80;

/** autoscaling/v1: at least one replica. */
export function defaultHorizontalPodAutoscalerV1(obj: JSONObject): void {
  defaultNil(ensureObject(obj, 'spec'), 'minReplicas', 1);
}

/** Scale-up rules when behavior is given without them: no stabilisation, max of +4 pods or +100% per 15s. */
function scaleUpRules(): JSONObject {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/**
 * Scale-down rules: -100% per 15s. stabilizationWindowSeconds stays unset, because the controller's
 * --horizontal-pod-autoscaler-downscale-stabilization flag supplies it.
 */
function scaleDownRules(): JSONObject {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** The default rules with every field the user set taken over (upstream copyHPAScalingRules). */
function completeRules(given: JSONValue | undefined, defaults: JSONObject): JSONObject {
  const rules = given !== null && typeof given === 'object' && !Array.isArray(given) ? given : {};
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) {
    if (rules[key] !== undefined && rules[key] !== null) defaults[key] = rules[key];
  }
  return defaults;
}

/**
 * autoscaling/v2: at least one replica; 80% average CPU utilisation when no metric is named; a behavior
 * block, when present, completed rule by rule.
 */
export function defaultHorizontalPodAutoscalerV2(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultNil(spec, 'minReplicas', 1);
  if (isEmpty(spec.metrics)) {
    spec.metrics = [{
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } },
    }];
  }
  const behavior = objectField(spec, 'behavior');
  if (behavior) {
    behavior.scaleUp = completeRules(behavior.scaleUp, scaleUpRules());
    behavior.scaleDown = completeRules(behavior.scaleDown, scaleDownRules());
  }
}
