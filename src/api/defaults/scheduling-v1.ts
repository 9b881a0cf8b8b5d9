// Defaulters of scheduling.k8s.io/v1 (upstream pkg/apis/scheduling/v1/defaults.go).
import { defaultNil, type JSONObject } from './fields.js';

/** Pods of a PriorityClass may preempt lower-priority pods unless the class says Never. */
export function defaultPriorityClass(obj: JSONObject): void {
  defaultNil(obj, 'preemptionPolicy', 'PreemptLowerPriority');
}
