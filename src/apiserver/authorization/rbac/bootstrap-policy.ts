// Upstream's default RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) as data: the
// ClusterRoles, ClusterRoleBindings, Roles and RoleBindings every cluster starts with, reconciled at start.

import type { BindingObject, PolicyRule, RoleObject, Subject } from './types.js';
import { rbacGroup } from './types.js';

const core = '';
const words = (s: string): string[] => s.split(' ').filter(Boolean);

/** A resource rule; verbs, resources and names are space-separated. */
function rule(verbs: string, apiGroups: string[], resources: string, names?: string): PolicyRule {
  const r: PolicyRule = { apiGroups, resources: words(resources), verbs: words(verbs) };
  if (names) r.resourceNames = words(names);
  return r;
}

function urls(verbs: string, nonResourceURLs: string): PolicyRule {
  return { nonResourceURLs: words(nonResourceURLs), verbs: words(verbs) };
}

const read = 'get list watch';
const readWrite = 'create delete deletecollection get list patch update watch';
const write = 'create delete deletecollection patch update';
/** Every controller and most components record events through both event APIs. */
const eventsRule = rule('create patch update', [core, 'events.k8s.io'], 'events');

export const bootstrappingLabel = 'kubernetes.io/bootstrapping';
export const autoupdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';
const aggregateToAdmin = 'rbac.authorization.k8s.io/aggregate-to-admin';
const aggregateToEdit = 'rbac.authorization.k8s.io/aggregate-to-edit';
const aggregateToView = 'rbac.authorization.k8s.io/aggregate-to-view';

function meta(name: string, namespace?: string, labels: Record<string, string> = {}): RoleObject['metadata'] {
  const m: RoleObject['metadata'] = { name, labels: { [bootstrappingLabel]: 'rbac-defaults', ...labels }, annotations: { [autoupdateAnnotation]: 'true' } };
  if (namespace) m.namespace = namespace;
  return m;
}

function clusterRole(name: string, rules: PolicyRule[], labels?: Record<string, string>): RoleObject {
  return { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: meta(name, undefined, labels), rules };
}

function aggregatedClusterRole(name: string, selectorLabel: string, labels?: Record<string, string>): RoleObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRole',
    metadata: meta(name, undefined, labels),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selectorLabel]: 'true' } }] },
    rules: [],
  };
}

const user = (name: string): Subject => ({ apiGroup: rbacGroup, kind: 'User', name });
const group = (name: string): Subject => ({ apiGroup: rbacGroup, kind: 'Group', name });
const serviceAccount = (name: string, namespace = 'kube-system'): Subject => ({ kind: 'ServiceAccount', name, namespace });

function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): BindingObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

function roleBinding(namespace: string, name: string, subjects: Subject[], roleName = name): BindingObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'RoleBinding',
    metadata: meta(name, namespace),
    roleRef: { apiGroup: rbacGroup, kind: 'Role', name: roleName },
    subjects,
  };
}

/** The rules of system:node (also what the Node authorizer evaluates for resources it does not subdivide). */
export const nodeRules: readonly PolicyRule[] = [
  rule('create', ['authentication.k8s.io'], 'tokenreviews'),
  rule('create', ['authorization.k8s.io'], 'localsubjectaccessreviews subjectaccessreviews'),
  rule(read, [core], 'services'),
  rule('create get list watch', [core], 'nodes'),
  rule('patch update', [core], 'nodes/status'),
  rule('patch update', [core], 'nodes'),
  rule('create patch update', [core], 'events'),
  rule(read, [core], 'pods'),
  rule('create delete', [core], 'pods'),
  rule('patch update', [core], 'pods/status'),
  rule('create', [core], 'pods/eviction'),
  rule(read, [core], 'configmaps secrets'),
  rule('get', [core], 'persistentvolumeclaims persistentvolumes'),
  rule('get', [core], 'endpoints'),
  rule('create get list watch', ['certificates.k8s.io'], 'certificatesigningrequests'),
  rule('create delete get patch update', ['coordination.k8s.io'], 'leases'),
  rule('get', ['storage.k8s.io'], 'volumeattachments'),
  rule('create', [core], 'serviceaccounts/token'),
  rule('get patch update', [core], 'persistentvolumeclaims/status'),
  rule(read, ['storage.k8s.io'], 'csidrivers'),
  rule('create delete get patch update', ['storage.k8s.io'], 'csinodes'),
  rule(read, ['node.k8s.io'], 'runtimeclasses'),
];

export const clusterRoles: readonly RoleObject[] = [
  aggregatedClusterRole('admin', aggregateToAdmin),
  clusterRole('cluster-admin', [rule('*', ['*'], '*'), urls('*', '*')]),
  aggregatedClusterRole('edit', aggregateToEdit, { [aggregateToAdmin]: 'true' }),
  clusterRole(
    'system:aggregate-to-admin',
    [rule('create', ['authorization.k8s.io'], 'localsubjectaccessreviews'), rule(readWrite, [rbacGroup], 'rolebindings roles')],
    { [aggregateToAdmin]: 'true' },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      rule(read, [core], 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy'),
      rule('impersonate', [core], 'serviceaccounts'),
      rule(write, [core], 'pods pods/attach pods/exec pods/portforward pods/proxy'),
      rule('create', [core], 'pods/eviction'),
      rule(write, [core], 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy'),
      rule('create', [core], 'serviceaccounts/token'),
      rule(write, ['apps'], 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale'),
      rule(write, ['autoscaling'], 'horizontalpodautoscalers'),
      rule(write, ['batch'], 'cronjobs jobs'),
      rule(write, ['extensions'], 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale'),
      rule(write, ['policy'], 'poddisruptionbudgets'),
      rule(write, ['networking.k8s.io'], 'ingresses networkpolicies'),
      rule(readWrite, ['coordination.k8s.io'], 'leases'),
    ],
    { [aggregateToEdit]: 'true' },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      rule(read, [core], 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status'),
      rule(read, [core], 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status'),
      rule(read, [core], 'namespaces'),
      rule(read, ['discovery.k8s.io'], 'endpointslices'),
      rule(read, ['apps'], 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status'),
      rule(read, ['autoscaling'], 'horizontalpodautoscalers horizontalpodautoscalers/status'),
      rule(read, ['batch'], 'cronjobs cronjobs/status jobs jobs/status'),
      rule(read, ['extensions'], 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale'),
      rule(read, ['policy'], 'poddisruptionbudgets poddisruptionbudgets/status'),
      rule(read, ['networking.k8s.io'], 'ingresses ingresses/status networkpolicies'),
    ],
    { [aggregateToView]: 'true' },
  ),
  clusterRole('system:auth-delegator', [rule('create', ['authentication.k8s.io'], 'tokenreviews'), rule('create', ['authorization.k8s.io'], 'subjectaccessreviews')]),
  clusterRole('system:basic-user', [
    rule('create', ['authorization.k8s.io'], 'selfsubjectaccessreviews selfsubjectrulesreviews'),
    rule('create', ['authentication.k8s.io'], 'selfsubjectreviews'),
  ]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule('create', ['certificates.k8s.io'], 'certificatesigningrequests/nodeclient')]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule('create', ['certificates.k8s.io'], 'certificatesigningrequests/selfnodeclient')]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [rule('approve', ['certificates.k8s.io'], 'signers', 'kubernetes.io/kube-apiserver-client')]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [rule('approve', ['certificates.k8s.io'], 'signers', 'kubernetes.io/kube-apiserver-client-kubelet')]),
  clusterRole('system:certificates.k8s.io:kubelet-serving-approver', [rule('approve', ['certificates.k8s.io'], 'signers', 'kubernetes.io/kubelet-serving')]),
  clusterRole('system:certificates.k8s.io:legacy-unknown-approver', [rule('approve', ['certificates.k8s.io'], 'signers', 'kubernetes.io/legacy-unknown')]),
  clusterRole('system:discovery', [urls('get', '/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/')]),
  clusterRole('system:heapster', [rule(read, [core], 'events namespaces nodes pods'), rule(read, ['extensions'], 'deployments')]),
  clusterRole('system:kube-aggregator', [rule(read, [core], 'endpoints services')]),
  clusterRole('system:kube-controller-manager', [
    eventsRule,
    rule('create', ['coordination.k8s.io'], 'leases'),
    rule('get update', ['coordination.k8s.io'], 'leases', 'kube-controller-manager'),
    rule('create', [core], 'secrets serviceaccounts'),
    rule('delete', [core], 'secrets'),
    rule('get', [core], 'configmaps namespaces secrets serviceaccounts'),
    rule('update', [core], 'secrets serviceaccounts'),
    rule('create', ['authentication.k8s.io'], 'tokenreviews'),
    rule('create', ['authorization.k8s.io'], 'subjectaccessreviews'),
    rule('list watch', ['*'], '*'),
    rule('create', [core], 'serviceaccounts/token'),
  ]),
  clusterRole('system:kube-dns', [rule('list watch', [core], 'endpoints services')]),
  clusterRole('system:kube-scheduler', [
    eventsRule,
    rule('create', ['coordination.k8s.io'], 'leases'),
    rule('get update', ['coordination.k8s.io'], 'leases', 'kube-scheduler'),
    rule(read, [core], 'nodes'),
    rule('delete get list watch', [core], 'pods'),
    rule('create', [core], 'bindings pods/binding'),
    rule('patch update', [core], 'pods/status'),
    rule(read, [core], 'replicationcontrollers services'),
    rule(read, ['apps', 'extensions'], 'replicasets'),
    rule(read, ['apps'], 'statefulsets'),
    rule(read, ['policy'], 'poddisruptionbudgets'),
    rule(read, [core], 'persistentvolumeclaims persistentvolumes'),
    rule('create', ['authentication.k8s.io'], 'tokenreviews'),
    rule('create', ['authorization.k8s.io'], 'subjectaccessreviews'),
    rule(read, ['storage.k8s.io'], 'csinodes'),
    rule(read, [core], 'namespaces'),
    rule(read, ['storage.k8s.io'], 'csidrivers'),
    rule(read, ['storage.k8s.io'], 'csistoragecapacities'),
  ]),
  clusterRole('system:kubelet-api-admin', [rule(read, [core], 'nodes'), rule('proxy', [core], 'nodes'), rule('*', [core], 'nodes/log nodes/metrics nodes/proxy nodes/stats')]),
  clusterRole('system:monitoring', [urls('get', '/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*')]),
  clusterRole('system:node', [...nodeRules]),
  clusterRole('system:node-bootstrapper', [rule('create get list watch', ['certificates.k8s.io'], 'certificatesigningrequests')]),
  clusterRole('system:node-problem-detector', [rule('get', [core], 'nodes'), rule('patch', [core], 'nodes/status'), eventsRule]),
  clusterRole('system:node-proxier', [
    rule('list watch', [core], 'endpoints services'),
    rule(read, [core], 'nodes'),
    eventsRule,
    rule('list watch', ['discovery.k8s.io'], 'endpointslices'),
  ]),
  clusterRole('system:persistent-volume-provisioner', [
    rule('create delete get list watch', [core], 'persistentvolumes'),
    rule('get list update watch', [core], 'persistentvolumeclaims'),
    rule(read, ['storage.k8s.io'], 'storageclasses'),
    rule('watch', [core], 'events'),
    eventsRule,
  ]),
  clusterRole('system:public-info-viewer', [urls('get', '/healthz /livez /readyz /version /version/')]),
  clusterRole('system:service-account-issuer-discovery', [urls('get', '/.well-known/openid-configuration /openid/v1/jwks')]),
  clusterRole('system:volume-scheduler', [
    rule('get list patch update watch', [core], 'persistentvolumes'),
    rule(read, ['storage.k8s.io'], 'storageclasses'),
    rule('get list patch update watch', [core], 'persistentvolumeclaims'),
  ]),
  aggregatedClusterRole('view', aggregateToView, { [aggregateToEdit]: 'true' }),
];

/** The system:controller:* roles, by controller (the service account each controller runs as). */
const controllerRules: Record<string, PolicyRule[]> = {
  'attachdetach-controller': [
    rule('list watch', [core], 'persistentvolumeclaims persistentvolumes'),
    rule(read, [core], 'nodes'),
    rule('patch update', [core], 'nodes/status'),
    rule('list watch', [core], 'pods'),
    eventsRule,
    rule('create delete get list watch', ['storage.k8s.io'], 'volumeattachments'),
    rule(read, ['storage.k8s.io'], 'csidrivers'),
    rule(read, ['storage.k8s.io'], 'csinodes'),
  ],
  'certificate-controller': [
    rule('delete get list watch', ['certificates.k8s.io'], 'certificatesigningrequests'),
    rule('update', ['certificates.k8s.io'], 'certificatesigningrequests/approval certificatesigningrequests/status'),
    rule('approve', ['certificates.k8s.io'], 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
    rule('sign', ['certificates.k8s.io'], 'signers', 'kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown'),
    rule('create', ['authorization.k8s.io'], 'subjectaccessreviews'),
    eventsRule,
  ],
  'clusterrole-aggregation-controller': [rule('escalate get list patch update watch', [rbacGroup], 'clusterroles')],
  'cronjob-controller': [
    rule('get list update watch', ['batch'], 'cronjobs'),
    rule('create delete get list patch update watch', ['batch'], 'jobs'),
    rule('update', ['batch'], 'cronjobs/status'),
    rule('update', ['batch'], 'cronjobs/finalizers'),
    rule('delete list watch', [core], 'pods'),
    eventsRule,
  ],
  'daemon-set-controller': [
    rule(read, ['apps', 'extensions'], 'daemonsets'),
    rule('update', ['apps', 'extensions'], 'daemonsets/status'),
    rule('update', ['apps', 'extensions'], 'daemonsets/finalizers'),
    rule('list watch', [core], 'nodes'),
    rule('create delete list patch watch', [core], 'pods'),
    rule('create', [core], 'pods/binding'),
    rule('create delete get list patch update watch', ['apps'], 'controllerrevisions'),
    eventsRule,
  ],
  'deployment-controller': [
    rule('get list update watch', ['apps', 'extensions'], 'deployments'),
    rule('update', ['apps', 'extensions'], 'deployments/status'),
    rule('update', ['apps', 'extensions'], 'deployments/finalizers'),
    rule('create delete get list patch update watch', ['apps', 'extensions'], 'replicasets'),
    rule('get list update watch', [core], 'pods'),
    eventsRule,
  ],
  'device-taint-eviction-controller': [
    rule('delete get list watch', [core], 'pods'),
    rule('patch update', [core], 'pods/status'),
    rule(read, ['resource.k8s.io'], 'resourceclaims'),
    rule(read, ['resource.k8s.io'], 'resourceslices'),
    rule(read, ['resource.k8s.io'], 'deviceclasses'),
    eventsRule,
  ],
  'disruption-controller': [
    rule(read, ['apps', 'extensions'], 'deployments'),
    rule(read, ['apps', 'extensions'], 'replicasets'),
    rule(read, [core], 'replicationcontrollers'),
    rule(read, ['policy'], 'poddisruptionbudgets'),
    rule(read, ['apps'], 'statefulsets'),
    rule('update', ['policy'], 'poddisruptionbudgets/status'),
    rule('patch update', [core], 'pods/status'),
    rule('get', ['*'], '*/scale'),
    eventsRule,
  ],
  'endpoint-controller': [
    rule(read, [core], 'pods services'),
    rule('create delete get list update watch', [core], 'endpoints'),
    rule('create', [core], 'endpoints/restricted'),
    eventsRule,
  ],
  'endpointslice-controller': [
    rule(read, [core], 'nodes pods services'),
    rule('update', [core], 'services/finalizers'),
    rule('create delete get list update watch', ['discovery.k8s.io'], 'endpointslices'),
    eventsRule,
  ],
  'endpointslicemirroring-controller': [
    rule(read, [core], 'endpoints services'),
    rule('update', [core], 'services/finalizers'),
    rule('update', [core], 'endpoints/finalizers'),
    rule('create delete get list update watch', ['discovery.k8s.io'], 'endpointslices'),
    eventsRule,
  ],
  'ephemeral-volume-controller': [
    rule(read, [core], 'pods'),
    rule('update', [core], 'pods/finalizers'),
    rule('create get list watch', [core], 'persistentvolumeclaims'),
    eventsRule,
  ],
  'expand-controller': [
    rule('get list patch update watch', [core], 'persistentvolumes'),
    rule('patch update', [core], 'persistentvolumeclaims/status'),
    rule(read, [core], 'persistentvolumeclaims'),
    eventsRule,
  ],
  'generic-garbage-collector': [rule('delete get list patch update watch', ['*'], '*'), eventsRule],
  'horizontal-pod-autoscaler': [
    rule(read, ['autoscaling'], 'horizontalpodautoscalers'),
    rule('update', ['autoscaling'], 'horizontalpodautoscalers/status'),
    rule('get update', ['*'], '*/scale'),
    rule('list watch', [core], 'pods'),
    rule('list watch', ['metrics.k8s.io'], 'pods'),
    rule(read, ['custom.metrics.k8s.io'], '*'),
    rule(read, ['external.metrics.k8s.io'], '*'),
    eventsRule,
  ],
  'job-controller': [
    rule('get list patch update watch', ['batch'], 'jobs'),
    rule('update', ['batch'], 'jobs/status'),
    rule('update', ['batch'], 'jobs/finalizers'),
    rule('create delete list patch watch', [core], 'pods'),
    eventsRule,
  ],
  'legacy-service-account-token-cleaner': [
    rule('get', [core], 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'),
    rule('delete patch', [core], 'secrets'),
  ],
  'namespace-controller': [
    rule('delete get list watch', [core], 'namespaces'),
    rule('update', [core], 'namespaces/finalize namespaces/status'),
    rule('delete deletecollection get list watch', ['*'], '*'),
  ],
  'node-controller': [
    rule('delete get list patch update watch', [core], 'nodes'),
    rule('patch update', [core], 'nodes/status'),
    rule('patch update', [core], 'pods/status'),
    rule('delete get list watch', [core], 'pods'),
    eventsRule,
  ],
  'persistent-volume-binder': [
    rule('create delete get list update watch', [core], 'persistentvolumes'),
    rule('update', [core], 'persistentvolumes/status'),
    rule('get list update watch', [core], 'persistentvolumeclaims'),
    rule('update', [core], 'persistentvolumeclaims/status'),
    rule('create delete get list watch', [core], 'pods'),
    rule(read, ['storage.k8s.io'], 'storageclasses'),
    rule('list watch', [core], 'nodes'),
    eventsRule,
    rule('watch', [core], 'events'),
  ],
  'pod-garbage-collector': [rule('delete list watch', [core], 'pods'), rule(read, [core], 'nodes'), rule('patch', [core], 'pods/status')],
  'pv-protection-controller': [rule('get list update watch', [core], 'persistentvolumes'), eventsRule],
  'pvc-protection-controller': [
    rule('get list update watch', [core], 'persistentvolumeclaims'),
    rule('update', [core], 'persistentvolumeclaims/status'),
    rule(read, [core], 'pods'),
    eventsRule,
  ],
  'replicaset-controller': [
    rule('get list update watch', ['apps', 'extensions'], 'replicasets'),
    rule('update', ['apps', 'extensions'], 'replicasets/status'),
    rule('update', ['apps', 'extensions'], 'replicasets/finalizers'),
    rule('create delete list patch watch', [core], 'pods'),
    eventsRule,
  ],
  'replication-controller': [
    rule('get list update watch', [core], 'replicationcontrollers'),
    rule('update', [core], 'replicationcontrollers/status'),
    rule('update', [core], 'replicationcontrollers/finalizers'),
    rule('create delete list patch watch', [core], 'pods'),
    eventsRule,
  ],
  'resource-claim-controller': [
    rule(read, [core], 'pods'),
    rule('update', [core], 'pods/finalizers'),
    rule('create delete get list watch', ['resource.k8s.io'], 'resourceclaims'),
    rule('patch update', ['resource.k8s.io'], 'resourceclaims resourceclaims/status'),
    rule('patch update', [core], 'pods/status'),
    eventsRule,
    rule('patch update', ['resource.k8s.io'], 'resourceclaims/binding'),
  ],
  'resourcequota-controller': [rule('list watch', ['*'], '*'), rule('update', [core], 'resourcequotas/status'), eventsRule],
  'root-ca-cert-publisher': [rule('create update', [core], 'configmaps'), eventsRule],
  'route-controller': [rule('list watch', [core], 'nodes'), rule('patch', [core], 'nodes/status'), eventsRule],
  'selinux-warning-controller': [
    eventsRule,
    rule(read, [core], 'persistentvolumes'),
    rule(read, [core], 'persistentvolumeclaims'),
    rule(read, [core], 'pods'),
    rule(read, ['storage.k8s.io'], 'csidrivers'),
  ],
  'service-account-controller': [rule('create', [core], 'serviceaccounts'), eventsRule],
  'service-cidrs-controller': [
    rule('get list patch update watch', ['networking.k8s.io'], 'servicecidrs'),
    rule('patch update', ['networking.k8s.io'], 'servicecidrs/finalizers'),
    rule('patch update', ['networking.k8s.io'], 'servicecidrs/status'),
    rule(read, ['networking.k8s.io'], 'ipaddresses'),
    eventsRule,
  ],
  'service-controller': [
    rule(read, [core], 'services'),
    rule('patch update', [core], 'services/status'),
    rule('list watch', [core], 'nodes'),
    eventsRule,
  ],
  'statefulset-controller': [
    rule('list watch', [core], 'pods'),
    rule(read, ['apps'], 'statefulsets'),
    rule('update', ['apps'], 'statefulsets/status'),
    rule('update', ['apps'], 'statefulsets/finalizers'),
    rule('create delete get patch update', [core], 'pods'),
    rule('create delete get list patch update watch', ['apps'], 'controllerrevisions'),
    rule('create get list watch', [core], 'persistentvolumeclaims'),
    rule('delete update', [core], 'persistentvolumeclaims'),
    rule('update', [core], 'pods/finalizers'),
    eventsRule,
  ],
  'ttl-after-finished-controller': [rule('delete get list watch', ['batch'], 'jobs'), eventsRule],
  'ttl-controller': [rule('list patch update watch', [core], 'nodes'), eventsRule],
  'validatingadmissionpolicy-status-controller': [
    rule(read, ['admissionregistration.k8s.io'], 'validatingadmissionpolicies'),
    rule('get patch update', ['admissionregistration.k8s.io'], 'validatingadmissionpolicies/status'),
    eventsRule,
  ],
  'volumeattributesclass-protection-controller': [
    rule(read, [core], 'persistentvolumeclaims'),
    rule(read, [core], 'persistentvolumes'),
    rule('get list update watch', ['storage.k8s.io'], 'volumeattributesclasses'),
    eventsRule,
  ],
};

export const controllerRolePrefix = 'system:controller:';

export const controllerRoles: readonly RoleObject[] = Object.entries(controllerRules).map(([name, rules]) => clusterRole(`${controllerRolePrefix}${name}`, rules));

/** Each controller role is bound to the controller's service account in kube-system. */
export const controllerRoleBindings: readonly BindingObject[] = Object.keys(controllerRules).map((name) =>
  clusterRoleBinding(`${controllerRolePrefix}${name}`, [serviceAccount(name)]),
);

export const clusterRoleBindings: readonly BindingObject[] = [
  clusterRoleBinding('cluster-admin', [group('system:masters')]),
  clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
  clusterRoleBinding('system:discovery', [group('system:authenticated')]),
  clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
  clusterRoleBinding('system:kube-dns', [serviceAccount('kube-dns')]),
  clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
  clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
  // Bound to nobody: nodes get these rules through the Node authorizer.
  clusterRoleBinding('system:node', []),
  clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
  clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
];

function role(namespace: string, name: string, rules: PolicyRule[]): RoleObject {
  return { apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: meta(name, namespace), rules };
}

export const namespaceRoles: readonly RoleObject[] = [
  role('kube-public', 'system:controller:bootstrap-signer', [
    rule(read, [core], 'configmaps'),
    rule('update', [core], 'configmaps', 'cluster-info'),
    eventsRule,
  ]),
  role('kube-system', 'extension-apiserver-authentication-reader', [rule(read, [core], 'configmaps', 'extension-apiserver-authentication')]),
  role('kube-system', 'system::leader-locking-kube-controller-manager', [
    rule('watch', [core], 'configmaps'),
    rule('get update', [core], 'configmaps', 'kube-controller-manager'),
  ]),
  role('kube-system', 'system::leader-locking-kube-scheduler', [rule('watch', [core], 'configmaps'), rule('get update', [core], 'configmaps', 'kube-scheduler')]),
  role('kube-system', 'system:controller:bootstrap-signer', [rule(read, [core], 'secrets')]),
  role('kube-system', 'system:controller:cloud-provider', [rule('create get list watch', [core], 'configmaps')]),
  role('kube-system', 'system:controller:token-cleaner', [rule('delete get list watch', [core], 'secrets'), eventsRule]),
];

export const namespaceRoleBindings: readonly BindingObject[] = [
  roleBinding('kube-public', 'system:controller:bootstrap-signer', [serviceAccount('bootstrap-signer')]),
  roleBinding(
    'kube-system',
    'system::extension-apiserver-authentication-reader',
    [user('system:kube-controller-manager'), user('system:kube-scheduler')],
    'extension-apiserver-authentication-reader',
  ),
  roleBinding('kube-system', 'system::leader-locking-kube-controller-manager', [user('system:kube-controller-manager'), serviceAccount('kube-controller-manager')]),
  roleBinding('kube-system', 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), serviceAccount('kube-scheduler')]),
  roleBinding('kube-system', 'system:controller:bootstrap-signer', [serviceAccount('bootstrap-signer')]),
  roleBinding('kube-system', 'system:controller:cloud-provider', [serviceAccount('cloud-provider')]),
  roleBinding('kube-system', 'system:controller:token-cleaner', [serviceAccount('token-cleaner')]),
];

/** The whole default policy, in the order the bootstrap hook reconciles it. */
export function bootstrapPolicy(): {
  clusterRoles: RoleObject[];
  clusterRoleBindings: BindingObject[];
  roles: RoleObject[];
  roleBindings: BindingObject[];
} {
  const copy = <T>(xs: readonly T[]): T[] => structuredClone([...xs]);
  return {
    clusterRoles: copy([...clusterRoles, ...controllerRoles]),
    clusterRoleBindings: copy([...clusterRoleBindings, ...controllerRoleBindings]),
    roles: copy(namespaceRoles),
    roleBindings: copy(namespaceRoleBindings),
  };
}
