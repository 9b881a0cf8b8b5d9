// Defaulters of rbac.authorization.k8s.io/v1 bindings (upstream pkg/apis/rbac/v1/defaults.go): the API
// group of the role reference and of User and Group subjects. Roles themselves have no defaults.
import { defaultZero, ensureObject, objectItems, type JSONObject } from './fields.js';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** RoleBinding and ClusterRoleBinding alike. A ServiceAccount subject's group stays "" (the core group). */
export function defaultRoleBinding(obj: JSONObject): void {
  defaultZero(ensureObject(obj, 'roleRef'), 'apiGroup', rbacGroup);
  for (const subject of objectItems(obj, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group') defaultZero(subject, 'apiGroup', rbacGroup);
  }
}
