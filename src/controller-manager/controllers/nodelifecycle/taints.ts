// The taints the node lifecycle controller owns (upstream nodelifecycle's templates and the node-condition
// taint map) and the set operations it does on a node's taint list: diff, swap, toleration time.
import type { Node, NodeCondition, Taint, Toleration } from '../../../api/generated/core/v1.js';

export const taintNodeNotReady = 'node.kubernetes.io/not-ready';
export const taintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const taintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const taintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const taintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const taintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const taintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';

export const unreachableNoExecute: Taint = { key: taintNodeUnreachable, effect: 'NoExecute' };
export const notReadyNoExecute: Taint = { key: taintNodeNotReady, effect: 'NoExecute' };

/**
 * Condition type → (status → taint key) for the NoSchedule taints that mirror node conditions (upstream
 * nodeConditionToTaintKeyStatusMap).
 */
const conditionTaintKeys: Record<string, Record<string, string>> = {
  Ready: { False: taintNodeNotReady, Unknown: taintNodeUnreachable },
  MemoryPressure: { True: taintNodeMemoryPressure },
  DiskPressure: { True: taintNodeDiskPressure },
  NetworkUnavailable: { True: taintNodeNetworkUnavailable },
  PIDPressure: { True: taintNodePIDPressure },
};

const conditionTaintKeySet = new Set(Object.values(conditionTaintKeys).flatMap((m) => Object.values(m)));

/** Same key and effect (upstream Taint.MatchTaint: value and timeAdded do not matter). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, t: Taint): boolean {
  return (taints ?? []).some((x) => sameTaint(x, t));
}

/**
 * The NoSchedule taints a node should carry for its conditions and spec.unschedulable, in a stable order
 * (upstream doNoScheduleTaintingPass).
 */
export function desiredNoScheduleTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = conditionTaintKeys[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: taintNodeUnschedulable, effect: 'NoSchedule' });
  return out;
}

/** Whether the lifecycle controller manages this NoSchedule taint (the others belong to someone else). */
export function isManagedNoScheduleTaint(t: Taint): boolean {
  return t.effect === 'NoSchedule' && (t.key === taintNodeUnschedulable || conditionTaintKeySet.has(t.key));
}

/**
 * The node's taints with `add` added (stamped with `timeAdded` for NoExecute, as upstream) and every taint
 * matching one of `remove` dropped; undefined when nothing changes.
 */
export function swapTaints(current: readonly Taint[] | undefined, add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  let changed = false;
  let out = [...(current ?? [])];
  for (const r of remove) {
    const before = out.length;
    out = out.filter((t) => !sameTaint(t, r));
    if (out.length !== before) changed = true;
  }
  for (const a of add) {
    if (out.some((t) => sameTaint(t, a))) continue;
    out.push(a.effect === 'NoExecute' ? { ...a, timeAdded } : { ...a });
    changed = true;
  }
  return changed ? out : undefined;
}

/** upstream Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints (upstream getMatchingTolerations +
 * getMinTolerationTime): 'now' when some taint is not tolerated, 'forever' when every matching toleration
 * is unbounded, else the smallest tolerationSeconds in ms (≤ 0 means now).
 */
export function tolerationWindow(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): 'now' | 'forever' | number {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = (tolerations ?? []).filter((t) => tolerates(t, taint));
    if (match.length === 0) return 'now';
    used.push(...match);
  }
  let min: number | undefined;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const ms = Math.max(0, t.tolerationSeconds) * 1000;
    if (min === undefined || ms < min) min = ms;
  }
  if (min === undefined) return 'forever';
  return min <= 0 ? 'now' : min;
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}
