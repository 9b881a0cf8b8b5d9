// The checks every controller-owned workload shares (upstream ValidateDeploymentSpec, ValidateReplicaSetSpec …):
// a non-empty selector that matches the pod template's labels, immutable once set.

import { invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateLabelSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { asObject, asObjectList, equalJSON, readPath, type JSONObject } from '../object-paths.js';

/** Whether metav1.LabelSelector `selector` selects `labels` (matchLabels AND every matchExpression). */
export function labelSelectorMatches(selector: JSONObject, labels: Record<string, string>): boolean {
  const matchLabels = asObject(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const req of asObjectList(selector.matchExpressions)) {
    const key = String(req.key ?? '');
    const values = Array.isArray(req.values) ? (req.values as string[]) : [];
    const has = Object.hasOwn(labels, key);
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isEmptySelector(selector: JSONObject): boolean {
  return Object.keys(asObject(selector.matchLabels) ?? {}).length === 0 && asObjectList(selector.matchExpressions).length === 0;
}

/**
 * `spec.selector` is required, non-empty, and selects `spec.template.metadata.labels`. `kind` words the
 * empty-selector message as upstream does ("empty selector is invalid for deployment").
 */
export function validateSelectorAndTemplate(spec: JSONObject, kind: string): FieldError[] {
  const selector = asObject(spec.selector);
  if (!selector) return [required('spec.selector')];
  if (isEmptySelector(selector)) return [invalid('spec.selector', selector, `empty selector is invalid for ${kind}`)];
  const syntax = validateLabelSelector(selector as LabelSelector, 'spec.selector');
  if (syntax.length > 0) return syntax;
  const labels = (asObject(readPath(spec, 'template.metadata.labels')) ?? {}) as Record<string, string>;
  if (!labelSelectorMatches(selector, labels)) {
    return [invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
  }
  return [];
}

/** `spec.selector` may not change (apps/v1 and batch/v1 workloads). */
export function validateSelectorImmutable(spec: JSONObject, oldSpec: JSONObject): FieldError[] {
  if (equalJSON(spec.selector, oldSpec.selector)) return [];
  return [invalid('spec.selector', spec.selector ?? null, 'field is immutable')];
}

/** `spec.replicas` is not negative. */
export function validateReplicas(spec: JSONObject, path = 'spec.replicas'): FieldError[] {
  const r = spec.replicas;
  return typeof r === 'number' && r < 0 ? [invalid(path, r, 'must be greater than or equal to 0')] : [];
}
