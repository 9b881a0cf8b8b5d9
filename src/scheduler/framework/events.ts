// Cluster events that can make an unschedulable pod schedulable (upstream framework.ClusterEvent): plugins
// register the ones that matter to them, and the queue moves a pod back only on an event one of its
// rejecting plugins registered for.

/** The kinds of object the scheduler watches. */
export type EventResource = 'Node' | 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'CSINode' | '*';

/** Action bits (upstream ActionType); Update* narrow Update to the part of the object that changed. */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodTolerations: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** Any other update (e.g. node.spec.unschedulable, images). */
  UpdateOther: 1 << 11,
} as const;

/** Every update bit. */
export const Update =
  ActionType.UpdateNodeAllocatable |
  ActionType.UpdateNodeLabel |
  ActionType.UpdateNodeTaint |
  ActionType.UpdateNodeCondition |
  ActionType.UpdateNodeAnnotation |
  ActionType.UpdatePodLabel |
  ActionType.UpdatePodScaleDown |
  ActionType.UpdatePodTolerations |
  ActionType.UpdatePodSchedulingGatesEliminated |
  ActionType.UpdateOther;
export const All = ActionType.Add | ActionType.Delete | Update;

export interface ClusterEvent {
  resource: EventResource;
  /** A bit set of ActionType. */
  actionType: number;
  /** For metrics and logs, e.g. "NodeAdd". */
  label: string;
}

/** True when `registered` covers `event` (same resource or wildcard, overlapping action bits). */
export function eventMatches(registered: ClusterEvent, event: ClusterEvent): boolean {
  if ((registered.actionType & event.actionType) === 0) return false;
  if (registered.resource === '*' || event.resource === '*') return true;
  if (registered.resource === event.resource) return true;
  // "Pod" covers both assigned and unscheduled pods.
  return registered.resource === 'Pod' && (event.resource === 'AssignedPod' || event.resource === 'UnscheduledPod');
}

/** Events the scheduler itself raises. */
export const NodeAdd: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
export const AssignedPodAdd: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add, label: 'AssignedPodAdd' };
export const AssignedPodDelete: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };
/** Flushed from unschedulablePods after the maximum stay (upstream UnschedulableTimeout). */
export const UnschedulableTimeout: ClusterEvent = { resource: '*', actionType: All, label: 'UnschedulableTimeout' };
/** A pod whose scheduling attempt ended in an error, or any event for pods that failed without plugins. */
export const WildCardEvent: ClusterEvent = { resource: '*', actionType: All, label: 'WildCard' };
