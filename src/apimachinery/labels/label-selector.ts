// metav1.LabelSelector (matchLabels + matchExpressions, as in Deployment.spec.selector): conversion to a
// Selector, and its field validation with upstream's messages.

import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { validateLabels } from '../validation/object-meta.js';
import { everything, newRequirement, newSelector, nothing, type Operator, type Requirement, type Selector } from './selector.js';

/** metav1.LabelSelectorRequirement */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | (string & {});
  values?: string[];
}

/** metav1.LabelSelector */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const operators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * upstream LabelSelectorAsSelector: undefined/null selects nothing, `{}` selects everything, otherwise the
 * AND of matchLabels and matchExpressions. Throws (InvalidRequirementError or Error) on invalid input;
 * callers validate with validateLabelSelector first.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return nothing();
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return everything();
  const reqs: Requirement[] = matchLabels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const op = operators[expr.operator];
    if (!op) throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return newSelector(reqs);
}

export interface LabelSelectorValidationOptions {
  /** Skip label-value syntax checks of matchExpressions values (upstream keeps this for old objects). */
  allowInvalidLabelValueInSelector?: boolean;
}

/** upstream metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(
  ls: LabelSelector | null | undefined,
  fieldPath: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels ?? {}, `${fieldPath}.matchLabels`);
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${fieldPath}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errs.push(invalid(`${p}.operator`, expr.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key)) errs.push(invalid(`${p}.key`, expr.key, msg));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${j}]`, v, msg));
      });
    }
  });
  return errs;
}
