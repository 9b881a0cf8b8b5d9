// The rbac.authorization.k8s.io/v1 shapes the authorizer reads (a structural subset of the generated API
// types: only the fields RBAC evaluation, aggregation and reconciliation need).

export const rbacGroup = 'rbac.authorization.k8s.io';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  /** User, Group or ServiceAccount. */
  kind: string;
  name: string;
  apiGroup?: string;
  /** ServiceAccount only; in a RoleBinding it defaults to the binding's namespace. */
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  /** Role or ClusterRole. */
  kind: string;
  name: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [k: string]: unknown;
}

/** Role and ClusterRole. */
export interface RoleObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetaLike;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

/** RoleBinding and ClusterRoleBinding. */
export interface BindingObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetaLike;
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}
