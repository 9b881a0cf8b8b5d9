// Write-time validation of ValidatingAdmissionPolicies (upstream admissionregistration validation): every CEL
// expression (matchConditions, variables, validations and their messageExpressions, auditAnnotations) must
// compile, or the policy is refused with 422 at the expression's field path.

import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { compileCEL } from '../../../apimachinery/cel/compile.js';
import type { APIObject, ResourceStrategy } from '../../registry/strategy.js';
import { statusStrategy } from '../../registry/spec-status.js';

/** The variables a policy's expressions may read (upstream's admission CEL environment). */
const policyVariables = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer', 'variables'];

/** Compile errors of every expression of a ValidatingAdmissionPolicy's spec. */
export function validateValidatingAdmissionPolicyExpressions(policy: admissionregistrationv1.ValidatingAdmissionPolicy): FieldError[] {
  const errs: FieldError[] = [];
  const check = (field: string, expression: string | undefined) => {
    if (!expression) return;
    const r = compileCEL(expression, { variables: policyVariables });
    if (r.error) errs.push(invalid(field, expression, `compilation failed: ${r.error}`));
  };
  const spec = policy.spec ?? {};
  spec.matchConditions?.forEach((c, i) => check(`spec.matchConditions[${i}].expression`, c.expression));
  spec.variables?.forEach((v, i) => check(`spec.variables[${i}].expression`, v.expression));
  spec.validations?.forEach((v, i) => {
    check(`spec.validations[${i}].expression`, v.expression);
    check(`spec.validations[${i}].messageExpression`, v.messageExpression);
  });
  spec.auditAnnotations?.forEach((a, i) => check(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression));
  return errs;
}

const asPolicy = (obj: APIObject) => obj as unknown as admissionregistrationv1.ValidatingAdmissionPolicy;

/** ValidatingAdmissionPolicies: generation, the spec/status split (status.typeChecking), expressions that compile. */
export const validatingAdmissionPolicyStrategy: ResourceStrategy = {
  ...statusStrategy({ hasGeneration: true }),
  validate: (obj) => validateValidatingAdmissionPolicyExpressions(asPolicy(obj)),
  validateUpdate: (obj) => validateValidatingAdmissionPolicyExpressions(asPolicy(obj)),
};
