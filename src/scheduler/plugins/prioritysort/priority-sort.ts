// PrioritySort: the default QueueSort plugin — higher spec.priority first, then earlier queue timestamp.
import type { Pod } from '../../../api/generated/core/v1.js';
import type { Plugin, QueueSortPlugin, QueuedPodInfo } from '../../framework/interface.js';
import { PrioritySort as Name } from '../names.js';

/** spec.priority, 0 when unset (upstream corev1helpers.PodPriority). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export class PrioritySortPlugin implements QueueSortPlugin {
  readonly name = Name;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.podInfo.pod);
    const p2 = podPriority(b.podInfo.pod);
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}

export function newPrioritySort(): Plugin {
  return new PrioritySortPlugin();
}
