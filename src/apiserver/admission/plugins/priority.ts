// Priority admission (upstream plugin/pkg/admission/priority): a pod's priorityClassName becomes its integer
// priority and preemptionPolicy (the globalDefault class when it names none); at most one PriorityClass is the
// global default.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as schedulingv1 from '../../../api/generated/scheduling/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const priorityPluginName = 'Priority';

const priorityClasses = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

/**
 * The two classes every cluster has. Upstream's apiserver creates them at start; k8ts resolves them here when
 * they are not stored, so pods can name them either way.
 */
export const systemPriorityClasses: readonly schedulingv1.PriorityClass[] = [
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must not be moved from their current node.' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2000000000, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** The global default among `classes`: when a race left several, the lowest value wins (as upstream). */
export function defaultPriorityClass(classes: readonly schedulingv1.PriorityClass[]): schedulingv1.PriorityClass | undefined {
  let best: schedulingv1.PriorityClass | undefined;
  for (const pc of classes) {
    if (pc.globalDefault && (!best || (pc.value ?? 0) < (best.value ?? 0))) best = pc;
  }
  return best;
}

export function newPriority(opts: { reader: ObjectReader }): AdmissionPlugin {
  const list = async () => (await opts.reader.list(priorityClasses)) as schedulingv1.PriorityClass[];
  const lookup = async (name: string) =>
    ((await opts.reader.get(priorityClasses, '', name)) as schedulingv1.PriorityClass | undefined) ?? systemPriorityClasses.find((pc) => pc.metadata?.name === name);

  async function admitPod(attrs: AdmissionAttributes): Promise<void> {
    const spec = ((attrs.object as corev1.Pod).spec ??= { containers: [] });
    let priority: number;
    let preemptionPolicy: string | undefined;
    if (!spec.priorityClassName) {
      const pc = defaultPriorityClass(await list());
      if (pc) spec.priorityClassName = pc.metadata?.name;
      priority = pc?.value ?? 0;
      preemptionPolicy = pc?.preemptionPolicy;
    } else {
      const pc = await lookup(spec.priorityClassName);
      if (!pc) throw newAdmissionForbidden(attrs, `no PriorityClass with name ${spec.priorityClassName} was found`);
      priority = pc.value ?? 0;
      preemptionPolicy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw newAdmissionForbidden(
        attrs,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    spec.priority = priority;
    if (preemptionPolicy !== undefined) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
        throw newAdmissionForbidden(
          attrs,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
        );
      }
      spec.preemptionPolicy = preemptionPolicy;
    }
  }

  async function validatePriorityClass(attrs: AdmissionAttributes): Promise<void> {
    const pc = attrs.object as schedulingv1.PriorityClass;
    if (!pc.globalDefault) return;
    const current = defaultPriorityClass(await list());
    if (current && (attrs.operation === 'CREATE' || current.metadata?.name !== pc.metadata?.name)) {
      throw newAdmissionForbidden(attrs, `PriorityClass ${current.metadata?.name} is already marked as default. Only one default can exist`);
    }
  }

  return {
    name: priorityPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource !== '' || attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
      await admitPod(attrs);
    },
    async validate(attrs) {
      if (attrs.subresource !== '' || attrs.resource.group !== priorityClasses.group || attrs.resource.resource !== priorityClasses.resource) return;
      await validatePriorityClass(attrs);
    },
  };
}
