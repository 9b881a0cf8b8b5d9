// Strategies of the controller-owned workloads (upstream pkg/registry/apps/* and batch/*): defaults, status
// reset, generation, selector/template validation, and the few fields controllers select on.

import { forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateAnnotations, validateLabels } from '../../../apimachinery/validation/object-meta.js';
import { defaultPodTemplate } from '../pods/defaults.js';
import { validatePodSpec } from '../pods/validation.js';
import { asObject, cloneJSON, ensureObject, equalJSON, intField, readPath, type JSONObject } from '../object-paths.js';
import { keepStatus, resetStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { validateReplicas, validateSelectorAndTemplate, validateSelectorImmutable } from './selector.js';
import { validateDaemonSetSpecFields, validateDeploymentSpecFields, validateStatefulSetSpecFields } from './validation-apps.js';
import { validateCronJobName, validateCronJobSpec, validateJobSpecFields } from './validation-batch.js';

interface WorkloadOptions {
  /** Lower-case kind for messages ("deployment"). */
  kind: string;
  initialStatus: () => unknown;
  defaults(spec: JSONObject, obj: APIObject): void;
  /** Restart policies the pod template may use (upstream: Always for long-running workloads). */
  restartPolicies: string[];
  /** Whether spec.selector is checked against the template and immutable (not for Jobs with generated ones). */
  selectorRules?: (spec: JSONObject, obj: APIObject) => boolean;
  /** Path of the pod template inside spec (`template`, or `jobTemplate.spec.template` for CronJobs). */
  templatePath?: string;
  selectableFields?: ResourceStrategy['selectableFields'];
  /** The status subresource also keeps the stored labels (upstream: Deployments only). */
  statusKeepsLabels?: boolean;
  /** Long-running workloads refuse `activeDeadlineSeconds` in their template; the kind named in the message. */
  noActiveDeadlineFor?: string;
  /** The kind's own spec checks beyond selector and template (strategies, counters), on create and update. */
  specChecks?: (spec: JSONObject) => FieldError[];
  /**
   * The pod template's spec is not validated (upstream's StatefulSets: their containers mount volumes that only
   * the volumeClaimTemplates provide, so only labels, annotations, restartPolicy and activeDeadlineSeconds are).
   */
  podSpecUnchecked?: boolean;
}

function specOf(obj: APIObject): JSONObject {
  return ensureObject(obj, 'spec');
}

function validateTemplate(spec: JSONObject, opts: WorkloadOptions): FieldError[] {
  const templatePath = opts.templatePath ?? 'template';
  const podSpec = readPath(spec, `${templatePath}.spec`);
  const path = `spec.${templatePath}.spec`;
  const meta = asObject(readPath(spec, `${templatePath}.metadata`)) ?? {};
  const errs = [
    ...validateLabels((asObject(meta.labels) ?? {}) as Record<string, string>, `spec.${templatePath}.metadata.labels`),
    ...validateAnnotations((asObject(meta.annotations) ?? {}) as Record<string, string>, `spec.${templatePath}.metadata.annotations`),
    ...(opts.podSpecUnchecked ? [] : validatePodSpec(podSpec, path)),
  ];
  const deadline = asObject(podSpec)?.activeDeadlineSeconds;
  if (opts.noActiveDeadlineFor && deadline !== undefined && deadline !== null) {
    errs.push(forbidden(`${path}.activeDeadlineSeconds`, `activeDeadlineSeconds in ${opts.noActiveDeadlineFor} is not Supported`));
  }
  const restartPolicy = asObject(podSpec)?.restartPolicy;
  if (typeof restartPolicy === 'string' && !opts.restartPolicies.includes(restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, opts.restartPolicies));
  }
  return errs;
}

function workloadStrategy(opts: WorkloadOptions): ResourceStrategy {
  const selectorRules = opts.selectorRules ?? (() => true);
  return {
    hasStatusSubresource: true,
    hasGeneration: true,
    selectableFields: opts.selectableFields,
    prepareForCreate(obj) {
      resetStatus(obj, opts.initialStatus);
      opts.defaults(specOf(obj), obj);
    },
    prepareForUpdate(obj, old) {
      keepStatus(obj, old);
      opts.defaults(specOf(obj), obj);
    },
    // Upstream's status strategies of apps kinds reset only the spec (and a Deployment's labels): metadata
    // such as annotations comes from the request, which is how the deployment controller records
    // `deployment.kubernetes.io/revision` with an UpdateStatus call its RBAC role allows.
    prepareForStatusUpdate(obj, old) {
      if (old.spec === undefined) delete obj.spec;
      else obj.spec = structuredClone(old.spec);
      if (opts.statusKeepsLabels) {
        const meta = (obj.metadata ??= {});
        if (old.metadata?.labels === undefined) delete meta.labels;
        else meta.labels = structuredClone(old.metadata.labels);
      }
    },
    validate(obj) {
      const spec = specOf(obj);
      const errs = [...validateReplicas(spec)];
      if (selectorRules(spec, obj)) errs.push(...validateSelectorAndTemplate(spec, opts.kind));
      errs.push(...validateTemplate(spec, opts), ...(opts.specChecks?.(spec) ?? []));
      return errs;
    },
    validateUpdate(obj, old) {
      const spec = specOf(obj);
      const errs = [...validateReplicas(spec)];
      if (selectorRules(spec, obj)) {
        errs.push(...validateSelectorAndTemplate(spec, opts.kind), ...validateSelectorImmutable(spec, specOf(old)));
      }
      errs.push(...validateTemplate(spec, opts), ...(opts.specChecks?.(spec) ?? []));
      return errs;
    },
  };
}

export const deploymentStrategy = workloadStrategy({
  kind: 'deployment',
  statusKeepsLabels: true,
  noActiveDeadlineFor: 'ReplicaSet',
  specChecks: validateDeploymentSpecFields,
  initialStatus: () => ({}),
  restartPolicies: ['Always'],
  defaults(spec) {
    spec.replicas ??= 1;
    const strategy = ensureObject(spec, 'strategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = ensureObject(strategy, 'rollingUpdate');
      ru.maxUnavailable ??= '25%';
      ru.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodTemplate(spec.template);
  },
});

export const replicaSetStrategy = workloadStrategy({
  kind: 'replicaset',
  noActiveDeadlineFor: 'ReplicaSet',
  initialStatus: () => ({ replicas: 0 }),
  restartPolicies: ['Always'],
  selectableFields: { 'status.replicas': intField('status.replicas') },
  defaults(spec) {
    spec.replicas ??= 1;
    defaultPodTemplate(spec.template);
  },
});

/** StatefulSet spec fields an update may change (upstream ValidateStatefulSetUpdate). */
const statefulSetMutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateStatefulSetSpecUpdate(spec: JSONObject, old: JSONObject): FieldError[] {
  const keys = new Set([...Object.keys(spec), ...Object.keys(old)]);
  const changed = [...keys].filter((k) => !statefulSetMutable.includes(k) && !equalJSON(spec[k], old[k]));
  if (changed.length === 0) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

const statefulSetWorkload = workloadStrategy({
  kind: 'statefulset',
  noActiveDeadlineFor: 'StatefulSet',
  podSpecUnchecked: true,
  specChecks: validateStatefulSetSpecFields,
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  restartPolicies: ['Always'],
  defaults(spec) {
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    const strategy = ensureObject(spec, 'updateStrategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') ensureObject(strategy, 'rollingUpdate').partition ??= 0;
    spec.revisionHistoryLimit ??= 10;
    const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
    retention.whenDeleted ??= 'Retain';
    retention.whenScaled ??= 'Retain';
    defaultPodTemplate(spec.template);
  },
});

export const statefulSetStrategy: ResourceStrategy = {
  ...statefulSetWorkload,
  validateUpdate(obj, old, ctx) {
    return [...(statefulSetWorkload.validateUpdate?.(obj, old, ctx) ?? []), ...validateStatefulSetSpecUpdate(specOf(obj), specOf(old))];
  },
};

export const daemonSetStrategy = workloadStrategy({
  kind: 'daemonset',
  noActiveDeadlineFor: 'DaemonSet',
  specChecks: validateDaemonSetSpecFields,
  initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  restartPolicies: ['Always'],
  defaults(spec) {
    const strategy = ensureObject(spec, 'updateStrategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = ensureObject(strategy, 'rollingUpdate');
      ru.maxUnavailable ??= 1;
      ru.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultPodTemplate(spec.template);
  },
});

/** RC selectors are plain maps that must select the template's labels (upstream ValidateReplicationControllerSpec). */
function validateRCSelector(spec: JSONObject): FieldError[] {
  const selector = (asObject(spec.selector) ?? {}) as Record<string, string>;
  if (Object.keys(selector).length === 0) return [required('spec.selector')];
  const labels = (asObject(readPath(spec, 'template.metadata.labels')) ?? {}) as Record<string, string>;
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    return [invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
  }
  return [];
}

const rcWorkload = workloadStrategy({
  kind: 'replicationcontroller',
  noActiveDeadlineFor: 'ReplicationController',
  initialStatus: () => ({ replicas: 0 }),
  restartPolicies: ['Always'],
  selectableFields: { 'status.replicas': intField('status.replicas') },
  // RC selectors are plain maps; upstream defaults them from the template labels.
  selectorRules: () => false,
  defaults(spec) {
    spec.replicas ??= 1;
    const labels = asObject(readPath(spec, 'template.metadata.labels'));
    if (labels && (!asObject(spec.selector) || Object.keys(asObject(spec.selector) ?? {}).length === 0)) spec.selector = { ...labels };
    defaultPodTemplate(spec.template);
  },
});

export const replicationControllerStrategy: ResourceStrategy = {
  ...rcWorkload,
  validate(obj, ctx) {
    return [...(rcWorkload.validate?.(obj, ctx) ?? []), ...validateRCSelector(specOf(obj))];
  },
  validateUpdate(obj, old, ctx) {
    return [...(rcWorkload.validateUpdate?.(obj, old, ctx) ?? []), ...validateRCSelector(specOf(obj))];
  },
};

/** Job labels upstream puts on generated selectors and pod templates. */
export const jobControllerUIDLabel = 'batch.kubernetes.io/controller-uid';
export const jobNameLabel = 'batch.kubernetes.io/job-name';

function defaultJobSpec(spec: JSONObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  defaultPodTemplate(spec.template);
}

/**
 * Unless `spec.manualSelector`, a Job's selector is generated from its uid and the template gets matching
 * labels (upstream generateSelector), so Jobs never adopt each other's pods.
 */
function generateJobSelector(spec: JSONObject, obj: APIObject): void {
  if (spec.manualSelector === true) return;
  const uid = obj.metadata?.uid ?? '';
  const name = obj.metadata?.name ?? '';
  const template = ensureObject(spec, 'template');
  const meta = ensureObject(template, 'metadata');
  const labels = (asObject(meta.labels) ?? {}) as Record<string, string>;
  meta.labels = { ...labels, [jobControllerUIDLabel]: uid, [jobNameLabel]: name, 'controller-uid': uid, 'job-name': name };
  if (!asObject(spec.selector)) spec.selector = { matchLabels: { [jobControllerUIDLabel]: uid } };
}

const jobWorkload = workloadStrategy({
  kind: 'job',
  initialStatus: () => ({}),
  restartPolicies: ['OnFailure', 'Never'],
  selectableFields: { 'status.successful': intField('status.successful') },
  defaults: defaultJobSpec,
});

/** Pod-template fields a suspended, never-started Job may still change (upstream: scheduling directives). */
const jobSchedulingDirectives = ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'];

/** A Job's pod template is immutable, except scheduling directives while suspended and never started. */
function validateJobTemplateUpdate(obj: APIObject, old: APIObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = specOf(old);
  const template = cloneJSON(asObject(spec.template) ?? {});
  const oldTemplate = asObject(oldSpec.template) ?? {};
  const neverStarted = oldSpec.suspend === true && readPath(old, 'status.startTime') === undefined;
  if (neverStarted) {
    template.metadata = oldTemplate.metadata;
    const podSpec = asObject(template.spec);
    const oldPodSpec = asObject(oldTemplate.spec) ?? {};
    if (podSpec) for (const k of jobSchedulingDirectives) podSpec[k] = oldPodSpec[k];
  }
  return equalJSON(template, oldTemplate) ? [] : [invalid('spec.template', spec.template ?? null, 'field is immutable')];
}

export const jobStrategy: ResourceStrategy = {
  ...jobWorkload,
  validate(obj, ctx) {
    return [...(jobWorkload.validate?.(obj, ctx) ?? []), ...validateJobSpecFields(specOf(obj), 'spec')];
  },
  prepareForCreate(obj, ctx) {
    jobWorkload.prepareForCreate?.(obj, ctx);
    generateJobSelector(specOf(obj), obj);
  },
  validateUpdate(obj, old, ctx) {
    const errs = [...(jobWorkload.validateUpdate?.(obj, old, ctx) ?? []), ...validateJobSpecFields(specOf(obj), 'spec'), ...validateJobTemplateUpdate(obj, old)];
    const spec = specOf(obj);
    const oldSpec = specOf(old);
    for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
      if (!equalJSON(spec[f], oldSpec[f])) errs.push(invalid(`spec.${f}`, spec[f] ?? null, 'field is immutable'));
    }
    return errs;
  },
};

const cronJobWorkload = workloadStrategy({
  kind: 'cronjob',
  initialStatus: () => ({}),
  restartPolicies: ['OnFailure', 'Never'],
  selectorRules: () => false,
  templatePath: 'jobTemplate.spec.template',
  defaults(spec) {
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    const jobSpec = asObject(readPath(spec, 'jobTemplate.spec'));
    if (jobSpec) {
      jobSpec.backoffLimit ??= 6;
      jobSpec.completionMode ??= 'NonIndexed';
      jobSpec.podReplacementPolicy ??= 'TerminatingOrFailed';
      defaultPodTemplate(jobSpec.template);
    }
  },
});

export const cronJobStrategy: ResourceStrategy = {
  ...cronJobWorkload,
  validate(obj, ctx) {
    return [...validateCronJobName(obj.metadata?.name ?? ''), ...validateCronJobSpec(specOf(obj), false), ...(cronJobWorkload.validate?.(obj, ctx) ?? [])];
  },
  validateUpdate(obj, old, ctx) {
    const oldSchedule = specOf(old).schedule;
    const allowTZ = typeof oldSchedule === 'string' && oldSchedule.includes('TZ');
    return [...validateCronJobSpec(specOf(obj), allowTZ), ...(cronJobWorkload.validateUpdate?.(obj, old, ctx) ?? [])];
  },
};
