// Defaulters of the apps/v1 workloads (upstream pkg/apis/apps/v1/defaults.go): replicas, update
// strategies, history limits, and the PodSpec defaults of their templates.
import { defaultNil, defaultZero, ensureObject, objectField, objectItems, type JSONObject } from './fields.js';
import { defaultPodTemplateSpec } from './pod.js';
import { defaultPersistentVolumeClaim } from './volumes.js';

/** Upstream's revisionHistoryLimit for Deployments, StatefulSets and DaemonSets. */
export const defaultRevisionHistoryLimit = 10;

/**
 * Upstream SetDefaults_Deployment: one replica; RollingUpdate with 25% maxUnavailable and maxSurge
 * (a Recreate strategy gets no rollingUpdate); ten revisions; a 600 second progress deadline.
 */
export function defaultDeployment(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultNil(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  defaultZero(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObject(strategy, 'rollingUpdate');
    defaultNil(rollingUpdate, 'maxUnavailable', '25%');
    defaultNil(rollingUpdate, 'maxSurge', '25%');
  }
  defaultNil(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  defaultNil(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(objectField(spec, 'template'));
}

/** Upstream SetDefaults_DaemonSet: RollingUpdate one node at a time without surge; ten revisions. */
export function defaultDaemonSet(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  const strategy = ensureObject(spec, 'updateStrategy');
  defaultZero(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObject(strategy, 'rollingUpdate');
    defaultNil(rollingUpdate, 'maxUnavailable', 1);
    defaultNil(rollingUpdate, 'maxSurge', 0);
  }
  defaultNil(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  defaultPodTemplateSpec(objectField(spec, 'template'));
}

/**
 * Upstream SetDefaults_StatefulSet. An unset strategy becomes RollingUpdate with partition 0 and one
 * pod unavailable at a time; an explicit RollingUpdate without a rollingUpdate block keeps none (as
 * upstream). Claims are retained on deletion and scale-down. Claim templates get the
 * PersistentVolumeClaim defaults, status included.
 */
export function defaultStatefulSet(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultZero(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureObject(spec, 'updateStrategy');
  if (strategy.type === undefined || strategy.type === null || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    defaultNil(strategy, 'rollingUpdate', {});
  }
  const rollingUpdate = objectField(strategy, 'rollingUpdate');
  if (strategy.type === 'RollingUpdate' && rollingUpdate) {
    defaultNil(rollingUpdate, 'partition', 0);
    // MaxUnavailableStatefulSet, beta and on by default since 1.35.
    defaultNil(rollingUpdate, 'maxUnavailable', 1);
  }
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultZero(retention, 'whenDeleted', 'Retain');
  defaultZero(retention, 'whenScaled', 'Retain');
  defaultNil(spec, 'replicas', 1);
  defaultNil(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  defaultPodTemplateSpec(objectField(spec, 'template'));
  for (const claim of objectItems(spec, 'volumeClaimTemplates')) defaultPersistentVolumeClaim(claim);
}

export function defaultReplicaSet(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultNil(spec, 'replicas', 1);
  defaultPodTemplateSpec(objectField(spec, 'template'));
}
