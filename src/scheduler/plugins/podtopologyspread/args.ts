// PodTopologySpreadArgs (kubescheduler.config.k8s.io/v1) with upstream's defaults: defaultingType System,
// whose built-in constraints spread pods of the same Service/ReplicaSet/… softly over hostnames and zones.
import type { TopologySpreadConstraint } from '../../../api/generated/core/v1.js';

export type DefaultingType = 'System' | 'List';

export interface PodTopologySpreadArgs {
  /** Constraints applied to pods that declare none (only with defaultingType List). */
  defaultConstraints?: TopologySpreadConstraint[];
  defaultingType?: DefaultingType;
}

export const LabelHostname = 'kubernetes.io/hostname';
export const LabelTopologyZone = 'topology.kubernetes.io/zone';

/** Upstream's systemDefaultConstraints: hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway. */
export function systemDefaultConstraints(): TopologySpreadConstraint[] {
  return [
    { topologyKey: LabelHostname, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
    { topologyKey: LabelTopologyZone, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
  ];
}

/**
 * Defaults and validates the args (upstream SetDefaults_PodTopologySpreadArgs and
 * ValidatePodTopologySpreadArgs, the rules that apply here). Throws with upstream's field path on error.
 */
export function completeArgs(raw: unknown): { constraints: TopologySpreadConstraint[]; systemDefaulted: boolean } {
  const args = (raw ?? {}) as PodTopologySpreadArgs;
  const type = args.defaultingType ?? 'System';
  if (type !== 'System' && type !== 'List') {
    throw new Error(`defaultingType: Unsupported value: ${JSON.stringify(type)}: supported values: "List", "System"`);
  }
  if (type === 'System') {
    if ((args.defaultConstraints?.length ?? 0) > 0) {
      throw new Error('defaultConstraints: Invalid value: "<constraints>": when .defaultingType is "System"');
    }
    return { constraints: systemDefaultConstraints(), systemDefaulted: true };
  }
  const constraints = args.defaultConstraints ?? [];
  constraints.forEach((c, i) => {
    if (!(c.maxSkew > 0)) throw new Error(`defaultConstraints[${i}].maxSkew: Invalid value: ${c.maxSkew}: not in valid range [1, inf)`);
    if (!c.topologyKey) throw new Error(`defaultConstraints[${i}].topologyKey: Required value`);
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      throw new Error(`defaultConstraints[${i}].whenUnsatisfiable: Unsupported value: ${JSON.stringify(c.whenUnsatisfiable)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
    }
    if (c.labelSelector) throw new Error(`defaultConstraints[${i}].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
  });
  return { constraints, systemDefaulted: false };
}
