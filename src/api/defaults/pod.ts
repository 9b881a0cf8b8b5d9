// Defaults of core/v1 PodSpec and its containers, wherever a PodSpec is embedded (pods and every pod
// template), plus the few that upstream applies to Pod objects only (SetDefaults_Pod), which a
// Deployment's template therefore never shows.
import { defaultPullPolicy } from './image-reference.js';
import { defaultNil, defaultZero, ensureObject, isEmpty, objectField, objectItems, type JSONObject } from './fields.js';
import { defaultObjectFieldSelector, defaultVolume } from './volumes.js';

/** Upstream DefaultTerminationGracePeriodSeconds. */
export const defaultTerminationGracePeriodSeconds = 30;
/** Upstream DefaultSchedulerName. */
export const defaultSchedulerName = 'default-scheduler';
/** Upstream TerminationMessagePathDefault. */
export const defaultTerminationMessagePath = '/dev/termination-log';

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'];

function defaultHTTPGetAction(action: JSONObject | undefined): void {
  if (!action) return;
  defaultZero(action, 'path', '/');
  defaultZero(action, 'scheme', 'HTTP');
}

/** Upstream SetDefaults_Probe, _HTTPGetAction and the GRPCAction `service` marker. */
export function defaultProbe(probe: JSONObject | undefined): void {
  if (!probe) return;
  defaultZero(probe, 'timeoutSeconds', 1);
  defaultZero(probe, 'periodSeconds', 10);
  defaultZero(probe, 'successThreshold', 1);
  defaultZero(probe, 'failureThreshold', 3);
  defaultHTTPGetAction(objectField(probe, 'httpGet'));
  const grpc = objectField(probe, 'grpc');
  if (grpc) defaultNil(grpc, 'service', '');
}

/** Upstream SetDefaults_Container and the defaulters of its ports, env, probes and lifecycle hooks. */
export function defaultContainer(container: JSONObject): void {
  defaultZero(container, 'imagePullPolicy', defaultPullPolicy(typeof container.image === 'string' ? container.image : ''));
  defaultZero(container, 'terminationMessagePath', defaultTerminationMessagePath);
  defaultZero(container, 'terminationMessagePolicy', 'File');
  for (const port of objectItems(container, 'ports')) defaultZero(port, 'protocol', 'TCP');
  for (const env of objectItems(container, 'env')) {
    const valueFrom = objectField(env, 'valueFrom');
    defaultObjectFieldSelector(objectField(valueFrom, 'fieldRef'));
    const fileKeyRef = objectField(valueFrom, 'fileKeyRef');
    if (fileKeyRef) defaultNil(fileKeyRef, 'optional', false);
  }
  defaultProbe(objectField(container, 'livenessProbe'));
  defaultProbe(objectField(container, 'readinessProbe'));
  defaultProbe(objectField(container, 'startupProbe'));
  const lifecycle = objectField(container, 'lifecycle');
  defaultHTTPGetAction(objectField(objectField(lifecycle, 'postStart'), 'httpGet'));
  defaultHTTPGetAction(objectField(objectField(lifecycle, 'preStop'), 'httpGet'));
}

/**
 * Defaults of a PodSpec wherever it appears (upstream SetDefaults_PodSpec plus the defaulters of its
 * volumes and containers). Pod-only defaults are in defaultPod.
 */
export function defaultPodSpec(spec: JSONObject): void {
  defaultZero(spec, 'dnsPolicy', 'ClusterFirst');
  defaultZero(spec, 'restartPolicy', 'Always');
  defaultNil(spec, 'securityContext', {});
  defaultNil(spec, 'terminationGracePeriodSeconds', defaultTerminationGracePeriodSeconds);
  defaultZero(spec, 'schedulerName', defaultSchedulerName);
  for (const volume of objectItems(spec, 'volumes')) defaultVolume(volume);
  for (const list of containerLists) {
    for (const container of objectItems(spec, list)) defaultContainer(container);
  }
}

/** Defaults of a PodTemplateSpec: those of its PodSpec, when it has one. */
export function defaultPodTemplateSpec(template: JSONObject | undefined): void {
  const spec = objectField(template, 'spec');
  if (spec) defaultPodSpec(spec);
}

/** Requests default to limits, per resource, for containers that set limits (upstream SetDefaults_Pod). */
function defaultRequestsFromLimits(container: JSONObject): void {
  const resources = objectField(container, 'resources');
  const limits = objectField(resources, 'limits');
  if (!resources || !limits || isEmpty(limits)) return;
  const requests = ensureObject(resources, 'requests');
  for (const [name, quantity] of Object.entries(limits)) {
    if (requests[name] === undefined) requests[name] = quantity;
  }
}

/**
 * Defaults of a Pod object. Beyond its PodSpec's: requests from limits for regular and init containers,
 * enableServiceLinks true, and hostPort = containerPort for host-network pods. Upstream keeps these out
 * of SetDefaults_PodSpec so that they never appear in workload templates.
 */
export function defaultPod(pod: JSONObject): void {
  const spec = ensureObject(pod, 'spec');
  for (const list of ['containers', 'initContainers']) {
    for (const container of objectItems(spec, list)) defaultRequestsFromLimits(container);
  }
  defaultNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const list of ['containers', 'initContainers']) {
      for (const container of objectItems(spec, list)) {
        for (const port of objectItems(container, 'ports')) {
          if (port.containerPort !== undefined) defaultZero(port, 'hostPort', port.containerPort);
        }
      }
    }
  }
  defaultPodSpec(spec);
}
