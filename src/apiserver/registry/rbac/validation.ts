// RBAC objects (upstream pkg/apis/rbac/validation): policy rules name verbs and either resources or non-resource
// URLs; bindings name a Role/ClusterRole of rbac.authorization.k8s.io, valid subjects, and an immutable roleRef.

import { invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../../apimachinery/validation/names.js';
import { asObject, asObjectList, equalJSON, type JSONObject } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const rbacGroup = 'rbac.authorization.k8s.io';

const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** upstream ValidatePolicyRule; `namespaced` for Roles (which may not grant non-resource URLs). */
export function validatePolicyRule(rule: JSONObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!nonEmpty(rule.verbs)) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonEmpty(rule.nonResourceURLs)) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (nonEmpty(rule.apiGroups) || nonEmpty(rule.resources) || nonEmpty(rule.resourceNames)) {
      errs.push(invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!nonEmpty(rule.apiGroups)) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!nonEmpty(rule.resources)) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: APIObject, namespaced: boolean): FieldError[] {
  return asObjectList(obj.rules).flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
}

function validateClusterRole(obj: APIObject): FieldError[] {
  const errs = validateRules(obj, false);
  const aggregation = asObject(obj.aggregationRule);
  if (aggregation && !nonEmpty(aggregation.clusterRoleSelectors)) {
    errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  }
  return errs;
}

/** upstream ValidateServiceAccountName: a DNS-1123 subdomain. */
function validateSubject(subject: JSONObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof subject.name === 'string' ? subject.name : '';
  const apiGroup = typeof subject.apiGroup === 'string' ? subject.apiGroup : '';
  if (name === '') errs.push(required(`${path}.name`));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${path}.name`, name, msg));
      if (apiGroup !== '') errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (name === '') errs.push(invalid(`${path}.name`, name, `${String(subject.kind).toLowerCase()} name cannot be empty`));
      if (apiGroup !== rbacGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** A RoleBinding (`namespaced`) or ClusterRoleBinding: its roleRef and subjects. */
function validateBinding(obj: APIObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = asObject(obj.roleRef) ?? {};
  const apiGroup = typeof roleRef.apiGroup === 'string' ? roleRef.apiGroup : '';
  if (apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', apiGroup, [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(roleRef.kind as string)) errs.push(notSupported('roleRef.kind', roleRef.kind ?? '', kinds));
  if (typeof roleRef.name !== 'string' || roleRef.name === '') errs.push(required('roleRef.name'));
  else for (const msg of isValidPathSegmentName(roleRef.name)) errs.push(invalid('roleRef.name', roleRef.name, msg));
  asObjectList(obj.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

function validateRoleRefUpdate(obj: APIObject, old: APIObject): FieldError[] {
  return equalJSON(obj.roleRef, old.roleRef) ? [] : [invalid('roleRef', obj.roleRef ?? null, 'cannot change roleRef')];
}

export const roleStrategy: ResourceStrategy = {
  validate: (obj) => validateRules(obj, true),
  validateUpdate: (obj) => validateRules(obj, true),
};

export const clusterRoleStrategy: ResourceStrategy = {
  validate: validateClusterRole,
  validateUpdate: validateClusterRole,
};

export const roleBindingStrategy: ResourceStrategy = {
  validate: (obj) => validateBinding(obj, true),
  validateUpdate: (obj, old) => [...validateBinding(obj, true), ...validateRoleRefUpdate(obj, old)],
};

export const clusterRoleBindingStrategy: ResourceStrategy = {
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: (obj, old) => [...validateBinding(obj, false), ...validateRoleRefUpdate(obj, old)],
};
