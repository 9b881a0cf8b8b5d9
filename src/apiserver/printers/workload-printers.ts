// Printers for workload kinds: Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions
// (apps), Jobs and CronJobs (batch), HorizontalPodAutoscalers (autoscaling/v2 shape), the autoscaling/v1
// Scale subresource and PodDisruptionBudgets (policy). Columns and cells follow upstream pkg/printers/internalversion.

import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from '../../api/generated/apps/v1.js';
import type { Scale } from '../../api/generated/autoscaling/v1.js';
import type { MetricSpec, MetricStatus, HorizontalPodAutoscaler } from '../../api/generated/autoscaling/v2.js';
import type { CronJob, Job, JobCondition } from '../../api/generated/batch/v1.js';
import type { OwnerReference } from '../../api/generated/meta/v1.js';
import type { PodDisruptionBudget } from '../../api/generated/policy/v1.js';
import { containerCells, formatLabelSelector, formatLabels, formatOptionalBool, intOrString, labelSelectorString } from './cell-formats.js';
import { humanDuration, parseTimestamp, timestampSince } from './human-duration.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, tablePrinter } from './table.js';

const none = '<none>';
const selectorColumn = column('Selector', 'string', 'Label selector of the pods the object manages.', { priority: 1 });

// Stored objects are defaulted (replicas: 1); the fallback only matters for undefaulted input.
const defaultReplicas = 1;

export const deploymentPrinter = tablePrinter<Deployment>(
  [
    nameColumn,
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'string', 'Replicas running the latest pod template.'),
    column('Available', 'string', 'Replicas available to users (ready for at least minReadySeconds).'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (d, now) => {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? defaultReplicas}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      timestampSince(d.metadata?.creationTimestamp, now),
      names,
      images,
      labelSelectorString(d.spec?.selector),
    ];
  },
);

export const replicaSetPrinter = tablePrinter<ReplicaSet>(
  [
    nameColumn,
    column('Desired', 'integer', 'Desired number of replicas.'),
    column('Current', 'integer', 'Number of replicas that exist.'),
    column('Ready', 'integer', 'Number of ready replicas.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (rs, now) => {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? defaultReplicas,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      timestampSince(rs.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
);

export const statefulSetPrinter = tablePrinter<StatefulSet>(
  [nameColumn, column('Ready', 'string', 'Ready replicas out of desired replicas.'), ageColumn, containersColumn, imagesColumn],
  (sts, now) => {
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [
      sts.metadata?.name ?? '',
      `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? defaultReplicas}`,
      timestampSince(sts.metadata?.creationTimestamp, now),
      names,
      images,
    ];
  },
);

export const daemonSetPrinter = tablePrinter<DaemonSet>(
  [
    nameColumn,
    column('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Nodes running the latest pod template.'),
    column('Available', 'integer', 'Nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Node selector of the pod template.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (ds, now) => {
    const status = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata?.name ?? '',
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      timestampSince(ds.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
);

/** `statefulset.apps/web`: the controlling owner as lower-case kind.group/name, or `<none>`. */
function controllerName(owners: readonly OwnerReference[] | undefined): string {
  const ref = owners?.find((o) => o.controller === true);
  if (!ref) return none;
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const kind = group === '' ? ref.kind : `${ref.kind}.${group}`;
  return kind === '' ? ref.name : `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = tablePrinter<ControllerRevision>(
  [nameColumn, column('Controller', 'string', 'The object that owns the revision.'), column('Revision', 'string', 'Revision number.'), ageColumn],
  (cr, now) => [
    cr.metadata?.name ?? '',
    controllerName(cr.metadata?.ownerReferences),
    cr.revision ?? 0,
    timestampSince(cr.metadata?.creationTimestamp, now),
  ],
);

// ---- batch ----

function jobConditionTrue(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  const c = conditions?.find((c) => c.type === type);
  return c?.status === 'True';
}

/** The STATUS cell of a Job, in upstream's order of precedence. */
export function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (jobConditionTrue(conditions, 'Complete')) return 'Complete';
  if (jobConditionTrue(conditions, 'Failed')) return 'Failed';
  if (parseTimestamp(job.metadata?.deletionTimestamp) !== undefined) return 'Terminating';
  if (jobConditionTrue(conditions, 'Suspended')) return 'Suspended';
  if (jobConditionTrue(conditions, 'FailureTarget')) return 'FailureTarget';
  if (jobConditionTrue(conditions, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** The COMPLETIONS cell: `1/3`, or `0/1 of 5` for work-queue jobs with parallelism > 1. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The DURATION cell: running time so far, or start to completion; empty before the job starts. */
export function jobDuration(job: Job, now: number): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

export const jobPrinter = tablePrinter<Job>(
  [
    nameColumn,
    column('Status', 'string', 'Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running.'),
    column('Completions', 'string', 'Succeeded pods out of the completions wanted.'),
    column('Duration', 'string', 'Time the job took, or has been running.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (job, now) => {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      timestampSince(job.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
);

export const cronJobPrinter = tablePrinter<CronJob>(
  [
    nameColumn,
    column('Schedule', 'string', 'Cron schedule of the job.'),
    column('Timezone', 'string', 'Time zone the schedule is read in.'),
    column('Suspend', 'boolean', 'Whether new runs are suspended.'),
    column('Active', 'integer', 'Number of running jobs.'),
    column('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (cj, now) => {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? none,
      formatOptionalBool(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      last === undefined || last === null ? none : timestampSince(last, now),
      timestampSince(cj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
);

// ---- autoscaling ----

/** A possibly missing Quantity as upstream's (*Quantity).String() prints it. */
const q = (value: string | undefined): string => value ?? '<nil>';
const percent = (value: number | undefined): string | undefined => (value === undefined ? undefined : `${value}%`);

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue !== undefined) {
        return `${status?.external?.current?.averageValue ?? unknown}/${target.averageValue} (avg)`;
      }
      const current = status?.external ? q(status.external.current?.value) : unknown;
      return `${current}/${q(target?.value)}`;
    }
    case 'Pods': {
      const current = status?.pods ? q(status.pods.current?.averageValue) : unknown;
      return `${current}/${q(spec.pods?.target?.averageValue)}`;
    }
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue !== undefined) {
        return `${status?.object?.current?.averageValue ?? unknown}/${target.averageValue} (avg)`;
      }
      const current = status?.object ? q(status.object.current?.value) : unknown;
      return `${current}/${q(target?.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const current = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = source?.name ?? '';
      const target = source?.target;
      if (target?.averageValue !== undefined) {
        return `${name}: ${current ? q(current.current?.averageValue) : unknown}/${target.averageValue}`;
      }
      return `${name}: ${percent(current?.current?.averageUtilization) ?? unknown}/${percent(target?.averageUtilization) ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The TARGETS cell: `cpu: 10%/50%, memory: 100Mi/1Gi + 1 more...` (at most two metrics shown). */
export function formatHPAMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  const list = specs ?? [];
  if (list.length === 0) return none;
  const max = 2;
  const shown = list.slice(0, max).map((spec, i) => formatMetric(spec, statuses?.[i]));
  const text = shown.join(', ');
  return list.length > max ? `${text} + ${list.length - max} more...` : text;
}

/** Prints autoscaling/v2 HPAs; autoscaling/v1 ones are converted to v2 first (see printers.ts). */
export const horizontalPodAutoscalerPrinter = tablePrinter<HorizontalPodAutoscaler>(
  [
    nameColumn,
    column('Reference', 'string', 'The scaled object, as kind/name.'),
    column('Targets', 'string', 'Current and target values of the metrics.'),
    column('MinPods', 'string', 'Lower limit of replicas.'),
    column('MaxPods', 'string', 'Upper limit of replicas.'),
    column('Replicas', 'string', 'Current number of replicas.'),
    ageColumn,
  ],
  (hpa, now) => {
    const ref = hpa.spec?.scaleTargetRef;
    const min = hpa.spec?.minReplicas;
    return [
      hpa.metadata?.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
      min === undefined || min === null ? '<unset>' : String(min),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      timestampSince(hpa.metadata?.creationTimestamp, now),
    ];
  },
);

/**
 * The scale subresource (`kubectl get deploy web --subresource=scale`). Upstream's Name column here has
 * no `name` format, unlike every other printer.
 */
export const scalePrinter = tablePrinter<Scale>(
  [
    column('Name', 'string', 'Name of the scaled object.'),
    column('Desired', 'integer', 'Desired number of replicas (spec.replicas).'),
    column('Available', 'integer', 'Observed number of replicas (status.replicas).'),
    ageColumn,
  ],
  (scale, now) => [scale.metadata?.name ?? '', scale.spec?.replicas ?? 0, scale.status?.replicas ?? 0, timestampSince(scale.metadata?.creationTimestamp, now)],
);

// ---- policy ----

export const podDisruptionBudgetPrinter = tablePrinter<PodDisruptionBudget>(
  [
    nameColumn,
    column('Min Available', 'string', 'Pods that must stay available.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Pods that may be evicted right now.'),
    ageColumn,
  ],
  (pdb, now) => [
    pdb.metadata?.name ?? '',
    pdb.spec?.minAvailable === undefined ? 'N/A' : intOrString(pdb.spec.minAvailable),
    pdb.spec?.maxUnavailable === undefined ? 'N/A' : intOrString(pdb.spec.maxUnavailable),
    pdb.status?.disruptionsAllowed ?? 0,
    timestampSince(pdb.metadata?.creationTimestamp, now),
  ],
);
