// A scheduler benchmark workload as data (the shape of scheduler_perf's test cases, reduced to what k8ts
// runs so far): how many nodes, how many pods placed before measuring, how many measured, and templates.
import { readFileSync } from 'node:fs';

export interface SchedulerWorkload {
  name: string;
  description?: string;
  nodes: number;
  /**
   * Pods on nodes before the measured phase (not measured): backlog workloads create them bound, spread
   * round-robin; streaming workloads have the running scheduler place them first, as scheduler_perf does.
   */
  initPods: number;
  /**
   * backlog: the measured pods exist before the scheduler starts, so the run measures scheduling and binding
   * alone; streaming: they are created while the scheduler runs (64 at a time), so creation competes for the
   * apiserver as in scheduler_perf.
   */
  mode?: 'backlog' | 'streaming';
  measurePods: number;
  /**
   * Node i: label values may use `{i}` and `{i%N}` (e.g. `"topology.kubernetes.io/zone": "zone-{i%3}"`);
   * `taints` as in a Node's spec.
   */
  nodeTemplate: { cpu: string; memory: string; pods: number; labels?: Record<string, string>; taints?: unknown[] };
  /** The measured pods. */
  podTemplate: PodTemplate;
  /** The pods placed before measuring (default: podTemplate), e.g. low-priority victims for preemption. */
  initPodTemplate?: PodTemplate;
  /** PriorityClasses the pod templates name (created before any pod). */
  priorityClasses?: Array<{ name: string; value: number; preemptionPolicy?: string }>;
  /** Optional kubescheduler.config.k8s.io/v1 configuration for the scheduler under test. */
  schedulerConfig?: Record<string, unknown>;
  targets?: { podsPerSecond?: number };
}

/** A pod: single-container requests, labels, and `spec` merged into the pod spec (affinity, priority, …). */
export interface PodTemplate {
  cpu?: string;
  memory?: string;
  nodeSelector?: Record<string, string>;
  labels?: Record<string, string>;
  /** Merged (shallowly) into the pod's spec: affinity, topologySpreadConstraints, priority, tolerations, … */
  spec?: Record<string, unknown>;
}

/** Replaces `{i}` and `{i%N}` in `text` for index `i`. */
export function expandIndex(text: string, i: number): string {
  return text.replace(/\{i(?:%(\d+))?\}/g, (_, n: string | undefined) => String(n ? i % Number(n) : i));
}

export function loadWorkload(path: string): SchedulerWorkload {
  const w = JSON.parse(readFileSync(path, 'utf8')) as SchedulerWorkload;
  for (const k of ['nodes', 'initPods', 'measurePods'] as const) {
    if (!Number.isInteger(w[k]) || w[k] < 0) throw new Error(`${path}: ${k} must be a non-negative integer`);
  }
  return w;
}
