// Informer event handlers (upstream eventhandlers.go): assigned pods and nodes feed the cache, unscheduled
// pods of our profiles feed the queue, and changes that can make pending pods schedulable move them.
import type { Node, Pod } from '../api/generated/core/v1.js';
import type { DeletedFinalStateUnknown, ResourceEventHandler } from '../client/cache/interface.js';
import type { Typed } from '../client/typed.js';
import type { Cache } from './cache/cache.js';
import { ActionType, AssignedPodAdd, AssignedPodDelete, NodeAdd, type ClusterEvent } from './framework/events.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

function unwrap<T>(obj: Typed<T> | DeletedFinalStateUnknown<Typed<T>>): T {
  const t = obj as Partial<DeletedFinalStateUnknown<Typed<T>>>;
  return t.deletedFinalStateUnknown ? (t.obj as T) : (obj as T);
}

export function assignedPod(pod: Pod): boolean {
  return (pod.spec?.nodeName ?? '') !== '';
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** What changed in a node that matters for scheduling (upstream nodeSchedulingPropertiesChange), as ActionType bits. */
export function nodeUpdateActions(oldNode: Node, newNode: Node): number {
  let bits = 0;
  if ((oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) bits |= ActionType.UpdateNodeTaint;
  if (json(oldNode.status?.allocatable) !== json(newNode.status?.allocatable)) bits |= ActionType.UpdateNodeAllocatable;
  if (json(oldNode.metadata?.labels) !== json(newNode.metadata?.labels)) bits |= ActionType.UpdateNodeLabel;
  if (json(oldNode.spec?.taints) !== json(newNode.spec?.taints)) bits |= ActionType.UpdateNodeTaint;
  const conds = (n: Node): string => json((n.status?.conditions ?? []).map((c) => [c.type, c.status]));
  if (conds(oldNode) !== conds(newNode)) bits |= ActionType.UpdateNodeCondition;
  if (json(oldNode.metadata?.annotations) !== json(newNode.metadata?.annotations)) bits |= ActionType.UpdateNodeAnnotation;
  if (json(oldNode.status?.images) !== json(newNode.status?.images)) bits |= ActionType.UpdateOther;
  return bits;
}

/** What changed in an unscheduled pod that a plugin may care about. */
export function unscheduledPodUpdateActions(oldPod: Pod, newPod: Pod): number {
  let bits = 0;
  if (json(oldPod.metadata?.labels) !== json(newPod.metadata?.labels)) bits |= ActionType.UpdatePodLabel;
  if (json(oldPod.spec?.tolerations) !== json(newPod.spec?.tolerations)) bits |= ActionType.UpdatePodTolerations;
  if ((oldPod.spec?.schedulingGates?.length ?? 0) > 0 && (newPod.spec?.schedulingGates?.length ?? 0) === 0) bits |= ActionType.UpdatePodSchedulingGatesEliminated;
  return bits;
}

export interface EventHandlerDeps {
  cache: Cache;
  queue: SchedulingQueue;
  /** Scheduler names of our profiles. */
  profiles: ReadonlySet<string>;
}

export function podEventHandler({ cache, queue, profiles }: EventHandlerDeps): ResourceEventHandler<Typed<Pod>> {
  const ours = (p: Pod): boolean => !assignedPod(p) && profiles.has(p.spec?.schedulerName ?? '') && !isPodTerminal(p);
  const cached = (p: Pod): boolean => assignedPod(p) && !isPodTerminal(p);
  const addAssigned = (p: Pod): void => {
    cache.addPod(p);
    queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, undefined, p);
  };
  const removeAssigned = (p: Pod): void => {
    cache.removePod(p);
    queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, p, undefined);
  };
  return {
    onAdd(pod) {
      if (cached(pod)) addAssigned(pod);
      else if (ours(pod)) queue.add(pod);
    },
    onUpdate(oldPod, newPod) {
      const wasCached = cached(oldPod);
      const isCached = cached(newPod);
      if (wasCached && isCached) {
        cache.updatePod(oldPod, newPod);
        const scaleDown = json(oldPod.spec?.containers?.map((c) => c.resources?.requests)) !== json(newPod.spec?.containers?.map((c) => c.resources?.requests));
        const labels = json(oldPod.metadata?.labels) !== json(newPod.metadata?.labels);
        const bits = (scaleDown ? ActionType.UpdatePodScaleDown : 0) | (labels ? ActionType.UpdatePodLabel : 0);
        if (bits) queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', actionType: bits, label: 'AssignedPodUpdate' }, oldPod, newPod);
      } else if (wasCached) {
        removeAssigned(oldPod);
      } else if (isCached) {
        // Bound (by us or someone else): it leaves the queue and enters the cache (confirming an assumed pod).
        if (ours(oldPod) || profiles.has(oldPod.spec?.schedulerName ?? '')) queue.delete(oldPod);
        addAssigned(newPod);
      } else if (ours(oldPod) && ours(newPod)) {
        queue.update(oldPod, newPod);
        const bits = unscheduledPodUpdateActions(oldPod, newPod);
        if (bits) queue.moveAllToActiveOrBackoffQueue({ resource: 'UnscheduledPod', actionType: bits, label: 'UnscheduledPodUpdate' }, oldPod, newPod);
      } else if (ours(oldPod)) {
        queue.delete(oldPod);
      } else if (ours(newPod)) {
        queue.add(newPod);
      }
    },
    onDelete(obj) {
      const pod = unwrap<Pod>(obj);
      if (assignedPod(pod)) removeAssigned(pod);
      else if (profiles.has(pod.spec?.schedulerName ?? '')) queue.delete(pod);
    },
  };
}

export function nodeEventHandler({ cache, queue }: EventHandlerDeps): ResourceEventHandler<Typed<Node>> {
  return {
    onAdd(node) {
      cache.addNode(node);
      queue.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, node);
    },
    onUpdate(oldNode, newNode) {
      cache.updateNode(oldNode, newNode);
      const bits = nodeUpdateActions(oldNode, newNode);
      if (bits === 0) return;
      const event: ClusterEvent = { resource: 'Node', actionType: bits, label: 'NodeUpdate' };
      queue.moveAllToActiveOrBackoffQueue(event, oldNode, newNode);
    },
    onDelete(obj) {
      cache.removeNode(unwrap<Node>(obj));
    },
  };
}
