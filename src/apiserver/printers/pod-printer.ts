// The pods table: NAME READY STATUS RESTARTS AGE, and IP NODE NOMINATED-NODE READINESS-GATES for -o wide.
// STATUS follows upstream printPod: init containers (Init:1/3, Init:CrashLoopBackOff, Init:ExitCode:1),
// sidecars (restartable init containers count as containers), the last container's waiting/terminated
// reason, "Completed" turned back into Running/NotReady, Terminating, and Unknown for lost nodes.

import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/generated/core/v1.js';
import { humanDuration, parseTimestamp, timestampSince } from './human-duration.js';
import { ageColumn, column, nameColumn, tablePrinter, type TableRowCondition } from './table.js';

/** The pod reason the node lifecycle controller sets when it evicts pods of an unreachable node. */
export const nodeUnreachablePodReason = 'NodeLost';

const podColumns = [
  nameColumn,
  column('Ready', 'string', 'Ready containers out of all containers of the pod.'),
  column('Status', 'string', 'Summary of the pod phase and its container states.'),
  column('Restarts', 'string', 'Container restarts, and how long ago the latest one was.'),
  ageColumn,
  column('IP', 'string', 'The pod IP (the first of status.podIPs).', { priority: 1 }),
  column('Node', 'string', 'The node the pod is bound to.', { priority: 1 }),
  column('Nominated Node', 'string', 'The node the scheduler nominated for the pod after preemption.', { priority: 1 }),
  column('Readiness Gates', 'string', 'Readiness gates whose condition is True, out of all gates.', { priority: 1 }),
];

const succeededConditions: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const failedConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** upstream IsRestartableInitContainer: a sidecar, i.e. an init container with restartPolicy Always. */
function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function conditionIsTrue(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  const c = conditions?.find((c) => c.type === type);
  return c?.status === 'True';
}

function hasReadyCondition(conditions: readonly PodCondition[] | undefined): boolean {
  return (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function lastTermination(cs: ContainerStatus): number | undefined {
  const finished = cs.lastState?.terminated?.finishedAt;
  return finished === undefined ? undefined : parseTimestamp(finished);
}

function terminatedReason(prefix: string, t: { reason?: string; signal?: number; exitCode?: number }): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  /** Epoch ms of the latest container termination that led to a counted restart. */
  lastRestart?: number;
}

/** The READY, STATUS and RESTARTS facts of a pod, as upstream printPod derives them. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status: PodStatus = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : Math.max(a, b);

  const initContainers = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartable(c)) total++;
  }
  const initCount = spec?.initContainers?.length ?? 0;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const sidecar = isRestartable(initContainers.get(cs.name));
    restarts += cs.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTermination(cs));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastTermination(cs));
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason('Init:', terminated);
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    let errorReason = '';
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTermination(cs));
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated) {
        reason = terminatedReason('', terminated);
        if ((terminated.exitCode ?? 0) !== 0) errorReason = reason;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed') {
      if (hasRunning && hasReadyCondition(status.conditions)) reason = 'Running';
      else if (errorReason !== '') reason = errorReason;
      else if (hasRunning) reason = 'NotReady';
    }
  }

  const deleting = parseTimestamp(pod.metadata?.deletionTimestamp) !== undefined;
  if (deleting && status.reason === nodeUnreachablePodReason) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready, total, reason, restarts, lastRestart };
}

export const podPrinter = tablePrinter<Pod>(podColumns, (pod, now) => {
  const summary = summarizePod(pod);
  let restarts = String(summary.restarts);
  if (summary.restarts !== 0 && summary.lastRestart !== undefined) {
    restarts = `${summary.restarts} (${humanDuration(now - summary.lastRestart)} ago)`;
  }
  const status = pod.status ?? {};
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const passing = gates.filter((g) => (status.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${passing}/${gates.length}`;
  }
  const cells = [
    pod.metadata?.name ?? '',
    `${summary.ready}/${summary.total}`,
    summary.reason,
    restarts,
    timestampSince(pod.metadata?.creationTimestamp, now),
    status.podIPs?.[0]?.ip || '<none>',
    pod.spec?.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
  const conditions = status.phase === 'Succeeded' ? succeededConditions : status.phase === 'Failed' ? failedConditions : undefined;
  return conditions ? { cells, conditions } : { cells };
});
