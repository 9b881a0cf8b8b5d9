// Where upstream's hand-written validation of built-in kinds differs from what the OpenAPI `required` lists and
// `enum`s say: the small, documented exception table the schema-driven validation (schema-validation.ts) reads.

/**
 * How a field the schema lists as required is checked. Upstream decides per field in Go:
 * - 'required': missing (or "" / []) → `Required value` (with `detail` when upstream adds one);
 * - 'value': a Go value struct, never "missing" — absent means the zero struct, whose own fields are validated
 *   (a Deployment without `spec.template` reports `spec.template.spec.containers: Required value`);
 * - 'skip': upstream checks the field another way (a range, a name syntax) in a semantic validator, or not at all.
 */
export type RequiredRule = { rule: 'required'; detail?: string } | { rule: 'value' } | { rule: 'skip' };

/** Key: the definition's short name and field, e.g. "PolicyRule.verbs". */
export const requiredRules: Readonly<Record<string, RequiredRule>> = {
  // Pointers upstream reports as Required even though they point at structs (the default for required
  // structs is 'value').
  'DeploymentSpec.selector': { rule: 'required' },
  'ReplicaSetSpec.selector': { rule: 'required' },
  'StatefulSetSpec.selector': { rule: 'required' },
  'DaemonSetSpec.selector': { rule: 'required' },
  'ScaleIOVolumeSource.secretRef': { rule: 'required' },
  'ScaleIOPersistentVolumeSource.secretRef': { rule: 'required' },
  'IPAddressSpec.parentRef': { rule: 'required' },
  // Upstream's wording for empty lists.
  'PolicyRule.verbs': { rule: 'required', detail: 'verbs must contain at least one value' },
  'NodeSelector.nodeSelectorTerms': { rule: 'required', detail: 'must have at least one node selector term' },
  'HTTPIngressPath.pathType': { rule: 'required', detail: 'pathType must be specified' },
  'PodAffinityTerm.topologyKey': { rule: 'required', detail: 'can not be empty' },
  'TopologySpreadConstraint.topologyKey': { rule: 'required', detail: 'can not be empty' },
  // Checked as names or enums by semantic validators, with upstream's other wording.
  'RoleRef.kind': { rule: 'skip' },
  'Subject.kind': { rule: 'skip' },
  'NodeSelectorRequirement.key': { rule: 'skip' },
  'NodeSelectorRequirement.operator': { rule: 'skip' },
  'Taint.key': { rule: 'skip' },
  'TopologySpreadConstraint.whenUnsatisfiable': { rule: 'skip' },
  'PodReadinessGate.conditionType': { rule: 'skip' },
  'PodSchedulingGate.name': { rule: 'skip' },
  'ContainerResizePolicy.resourceName': { rule: 'skip' },
  'ContainerResizePolicy.restartPolicy': { rule: 'skip' },
  // Values that may be empty upstream.
  'HTTPHeader.value': { rule: 'skip' },
  'Sysctl.value': { rule: 'skip' },
  'LimitRangeSpec.limits': { rule: 'skip' },
  'CSINodeSpec.drivers': { rule: 'skip' },
  'TopologySelectorLabelRequirement.values': { rule: 'skip' },
  // Lists of a ResourceQuota scope selector / Job policies: validated by their owners' semantic checks.
  'PodFailurePolicy.rules': { rule: 'skip' },
  'SuccessPolicy.rules': { rule: 'skip' },
};

/** Optional fields that are Go value structs (absent = zero struct, validated as such). */
export const optionalValueStructs: ReadonlySet<string> = new Set([
  'PodTemplate.template',
  'ReplicaSetSpec.template',
  'PodTemplateSpec.spec',
  'JobTemplateSpec.spec',
  'PersistentVolumeClaimTemplate.spec',
]);

/**
 * How an enum is checked, where upstream differs from the schema's (sorted) list:
 * - `order`: the values in upstream's message order;
 * - `invalid`: upstream reports `Invalid value: "x": <invalid>` instead of `Unsupported value`;
 * - `skip`: upstream accepts more (feature-gated values) or checks elsewhere.
 */
export interface EnumRule {
  order?: readonly string[];
  invalid?: string;
  skip?: true;
}

export const enumRules: Readonly<Record<string, EnumRule>> = {
  'PodSpec.restartPolicy': { order: ['Always', 'OnFailure', 'Never'] },
  'PodSpec.dnsPolicy': { order: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] },
  'PodSpec.preemptionPolicy': { order: ['PreemptLowerPriority', 'Never'] },
  'Taint.effect': { order: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'Toleration.effect': { order: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'StatefulSetUpdateStrategy.type': { order: ['RollingUpdate', 'OnDelete'] },
  'DaemonSetUpdateStrategy.type': { order: ['RollingUpdate', 'OnDelete'] },
  'JobSpec.completionMode': { order: ['NonIndexed', 'Indexed'] },
  'JobSpec.podReplacementPolicy': { order: ['TerminatingOrFailed', 'Failed'] },
  'NodeSelectorRequirement.operator': { invalid: 'not a valid selector operator' },
  // Restart rules of sidecar containers are feature-gated and validated with the container.
  'ContainerRestartRule.action': { skip: true },
  'ContainerRestartRuleOnExitCodes.operator': { skip: true },
};
