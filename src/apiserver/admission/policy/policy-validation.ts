// Write-time validation of ValidatingAdmissionPolicies (upstream admissionregistration validation): every CEL
// expression (matchConditions, variables, validations and their messageExpressions, auditAnnotations) must
// compile in the admission environment — `object`, `oldObject` and `params` as dyn (`params` only with a
// paramKind), `request` and `namespaceObject` typed, `variables` typed in order — and must not be of a type
// other than its field's (bool for conditions, string for messages), or the policy is refused with 422 at the
// expression's field path: `compilation failed: ERROR: <input>:1:9: undefined field 'nosuch'…`, `must evaluate to bool`.

import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { matchConditionEnvironment, policyEnvironment } from '../../../apimachinery/cel/admission-types.js';
import { compileCEL, type CompileResult } from '../../../apimachinery/cel/compile.js';
import { T, typeName, type CELType } from '../../../apimachinery/cel/types.js';
import type { APIObject, ResourceStrategy } from '../../registry/strategy.js';
import { statusStrategy } from '../../registry/spec-status.js';

/**
 * The field error of one compiled expression: its compile error, or an output type none of `returnTypes`
 * (dyn passes: what an untyped object holds is known only when the policy runs).
 */
function expressionError(field: string, expression: string, r: CompileResult, returnTypes: readonly CELType['kind'][]): FieldError | undefined {
  if (r.error) return invalid(field, expression, `compilation failed: ${r.error}`);
  const out = r.type ?? T.dyn;
  if (!returnTypes.length || out.kind === 'dyn' || returnTypes.includes(out.kind)) return undefined;
  const names = returnTypes.map((k) => typeName({ kind: k } as CELType));
  return invalid(field, expression, names.length === 1 ? `must evaluate to ${names[0]}` : `must evaluate to one of [${names.join(' ')}]`);
}

/** Compile errors of every expression of a ValidatingAdmissionPolicy's spec. */
export function validateValidatingAdmissionPolicyExpressions(policy: admissionregistrationv1.ValidatingAdmissionPolicy): FieldError[] {
  const errs: FieldError[] = [];
  const spec = policy.spec ?? {};
  const paramsType = spec.paramKind ? T.dyn : undefined;
  const matchTypes = matchConditionEnvironment({ objectType: T.dyn, paramsType });
  const { types, variableResults } = policyEnvironment({ objectType: T.dyn, paramsType, variables: spec.variables });
  const check = (field: string, expression: string | undefined, env: Record<string, CELType>, returnTypes: readonly CELType['kind'][]) => {
    if (!expression) return;
    const e = expressionError(field, expression, compileCEL(expression, { variables: Object.keys(env), types: env }), returnTypes);
    if (e) errs.push(e);
  };
  spec.matchConditions?.forEach((c, i) => check(`spec.matchConditions[${i}].expression`, c.expression, matchTypes, ['bool']));
  spec.variables?.forEach((v, i) => {
    const e = v.expression ? expressionError(`spec.variables[${i}].expression`, v.expression, variableResults[i]!, []) : undefined;
    if (e) errs.push(e);
  });
  spec.validations?.forEach((v, i) => {
    check(`spec.validations[${i}].expression`, v.expression, types, ['bool']);
    check(`spec.validations[${i}].messageExpression`, v.messageExpression, types, ['string']);
  });
  spec.auditAnnotations?.forEach((a, i) => check(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression, types, ['string', 'null_type']));
  return errs;
}

const asPolicy = (obj: APIObject) => obj as unknown as admissionregistrationv1.ValidatingAdmissionPolicy;

/** ValidatingAdmissionPolicies: generation, the spec/status split (status.typeChecking), expressions that compile. */
export const validatingAdmissionPolicyStrategy: ResourceStrategy = {
  ...statusStrategy({ hasGeneration: true }),
  validate: (obj) => validateValidatingAdmissionPolicyExpressions(asPolicy(obj)),
  validateUpdate: (obj) => validateValidatingAdmissionPolicyExpressions(asPolicy(obj)),
};
