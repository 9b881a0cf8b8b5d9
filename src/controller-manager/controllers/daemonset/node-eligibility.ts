// Which nodes a DaemonSet runs on (upstream NodeShouldRunDaemonPod): the pod's required node affinity and
// nodeSelector must match the node, and every NoSchedule/NoExecute taint must be tolerated — with the
// tolerations the controller adds to every daemon pod.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { nodeSelectorMatches } from '../../node-selector.js';

/** Tolerations upstream adds to daemon pods (AddOrUpdateDaemonPodTolerations), hostNetwork adding one. */
export function daemonPodTolerations(hostNetwork: boolean): corev1.Toleration[] {
  const exists = (key: string, effect: string): corev1.Toleration => ({ key, operator: 'Exists', effect });
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** `tolerations` plus those of `extra` not already present with the same key, operator, value and effect. */
export function withTolerations(tolerations: readonly corev1.Toleration[] | undefined, extra: readonly corev1.Toleration[]): corev1.Toleration[] {
  const out = [...(tolerations ?? [])];
  const same = (a: corev1.Toleration, b: corev1.Toleration) =>
    (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
  for (const t of extra) if (!out.some((o) => same(o, t))) out.push(t);
  return out;
}

function tolerates(t: corev1.Toleration, taint: corev1.Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

function untolerated(node: corev1.Node, tolerations: readonly corev1.Toleration[], effects: string[]): corev1.Taint | undefined {
  return node.spec?.taints?.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

/** The pod's nodeSelector and required node affinity (terms ORed) both match the node. */
export function nodeMatchesPod(spec: corev1.PodSpec | undefined, node: corev1.Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return nodeSelectorMatches(required, node);
}

/**
 * upstream NodeShouldRunDaemonPod: `shouldRun` — a new daemon pod belongs on the node; `shouldContinueRunning`
 * — an existing one may stay (only NoExecute taints evict).
 */
export function nodeShouldRunDaemonPod(node: corev1.Node, template: corev1.PodTemplateSpec | undefined): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = template?.spec;
  if (!nodeMatchesPod(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withTolerations(spec?.tolerations, daemonPodTolerations(spec?.hostNetwork === true));
  if (untolerated(node, tolerations, ['NoExecute'])) return { shouldRun: false, shouldContinueRunning: false };
  if (untolerated(node, tolerations, ['NoSchedule'])) return { shouldRun: false, shouldContinueRunning: true };
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * Pins a daemon pod to `nodeName` as upstream does (ReplaceDaemonSetPodNodeNameNodeAffinity): the required
 * node affinity becomes the single term `metadata.name In [nodeName]` — the controller already checked the
 * template's terms against that node — and the preferred terms stay.
 */
export function pinToNode(affinity: corev1.Affinity | undefined, nodeName: string): corev1.Affinity {
  const term: corev1.NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

/** The node a daemon pod is meant for: spec.nodeName, else the metadata.name its affinity pins it to. */
export function targetNodeName(pod: corev1.Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = term.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}
