// Allowed values of enum-typed string fields (Go types marked +enum upstream). The v2 document we generate
// from carries none, so they are listed here as facts, keyed by definition name and field; values sorted.
// The generator fails if an entry names a field that is not a string (or a list of strings) in the schema.

const protocols = ['SCTP', 'TCP', 'UDP'];
const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const profileTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const terminationMessagePolicies = ['FallbackToLogsOnError', 'File'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const updateStrategyTypes = ['OnDelete', 'RollingUpdate'];
const trafficPolicies = ['Cluster', 'Local'];

export const enumValues: Record<string, Record<string, string[]>> = {
  'io.k8s.api.core.v1.Container': { imagePullPolicy: pullPolicies, terminationMessagePolicy: terminationMessagePolicies },
  'io.k8s.api.core.v1.EphemeralContainer': { imagePullPolicy: pullPolicies, terminationMessagePolicy: terminationMessagePolicies },
  'io.k8s.api.core.v1.ContainerPort': { protocol: protocols },
  'io.k8s.api.core.v1.ServicePort': { protocol: protocols },
  'io.k8s.api.core.v1.EndpointPort': { protocol: protocols },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'Never', 'OnFailure'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['Never', 'PreemptLowerPriority'],
  },
  'io.k8s.api.core.v1.PodStatus': {
    phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
    qosClass: ['BestEffort', 'Burstable', 'Guaranteed'],
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: trafficPolicies,
    internalTrafficPolicy: trafficPolicies,
  },
  'io.k8s.api.core.v1.Toleration': { operator: ['Equal', 'Exists'], effect: taintEffects },
  'io.k8s.api.core.v1.Taint': { effect: taintEffects },
  'io.k8s.api.core.v1.NodeSelectorRequirement': { operator: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] },
  'io.k8s.api.core.v1.PersistentVolumeSpec': { persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'] },
  'io.k8s.api.core.v1.PersistentVolumeStatus': { phase: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': { phase: ['Bound', 'Lost', 'Pending'] },
  'io.k8s.api.core.v1.NamespaceStatus': { phase: ['Active', 'Terminating'] },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.core.v1.SeccompProfile': { type: profileTypes },
  'io.k8s.api.core.v1.AppArmorProfile': { type: profileTypes },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': { operator: ['DoesNotExist', 'Exists', 'In', 'NotIn'] },
  'io.k8s.api.discovery.v1.EndpointPort': { protocol: protocols },
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: protocols },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { policyTypes: ['Egress', 'Ingress'] },
  'io.k8s.api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'ImplementationSpecific', 'Prefix'] },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: updateStrategyTypes },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: updateStrategyTypes },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['Indexed', 'NonIndexed'], podReplacementPolicy: ['Failed', 'TerminatingOrFailed'] },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { action: ['Count', 'FailIndex', 'FailJob', 'Ignore'] },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { operator: ['In', 'NotIn'] },
};
