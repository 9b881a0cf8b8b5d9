// Defaults of v1 PodSpec (upstream SetDefaults_PodSpec, _Container, _Probe …), shared by pods and
// every pod template (deployments, jobs …). Applied on create and update, before validation.

import { asObject, asObjectList, ensureObject, type JSONObject } from '../object-paths.js';

/** Always for `:latest` or untagged images, else IfNotPresent (upstream SetDefaults_Container). */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagColon = image.indexOf(':', lastSlash + 1);
  if (tagColon < 0) return 'Always';
  return image.slice(tagColon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  const p = asObject(probe);
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  const http = asObject(p.httpGet);
  if (http) {
    http.path ??= '/';
    http.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: JSONObject, hostNetwork: boolean): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (typeof c.image === 'string' && c.imagePullPolicy === undefined) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  const resources = ensureObject(c, 'resources');
  // Requests default to limits when unset (upstream SetDefaults_ResourceList for containers).
  const limits = asObject(resources.limits);
  if (limits) {
    const requests = ensureObject(resources, 'requests');
    for (const [name, q] of Object.entries(limits)) requests[name] ??= q;
  }
  for (const port of asObjectList(c.ports)) {
    port.protocol ??= 'TCP';
    if (hostNetwork && port.hostPort === undefined) port.hostPort = port.containerPort;
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const env of asObjectList(c.env)) {
    const fieldRef = asObject(asObject(env.valueFrom)?.fieldRef);
    if (fieldRef) fieldRef.apiVersion ??= 'v1';
  }
}

/** Fills the defaults of a v1 PodSpec in place. */
export function defaultPodSpec(spec: JSONObject): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of asObjectList(spec.containers)) defaultContainer(c, hostNetwork);
  for (const c of asObjectList(spec.initContainers)) defaultContainer(c, hostNetwork);
  for (const v of asObjectList(spec.volumes)) {
    for (const source of ['secret', 'configMap', 'projected', 'downwardAPI']) {
      const s = asObject(v[source]);
      if (s) s.defaultMode ??= 420;
    }
  }
}

/** Defaults of a PodTemplateSpec (`spec.template` of workloads). */
export function defaultPodTemplate(template: unknown): void {
  const t = asObject(template);
  const spec = t && asObject(t.spec);
  if (spec) defaultPodSpec(spec);
}
