// The checks of a PodSpec users hit most (upstream ValidatePodSpec, a subset): containers present, names
// unique DNS labels, images set, ports in range, supported enum values; and the pod update rule.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { isDNS1123Label, isValidPortName, isValidPortNum, supportedPortProtocols } from '../name-checks.js';
import { asObject, asObjectList, cloneJSON, equalJSON, type JSONObject } from '../object-paths.js';

export const supportedRestartPolicies = ['Always', 'Never', 'OnFailure'];
const supportedDNSPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const supportedPullPolicies = ['Always', 'IfNotPresent', 'Never'];

function validatePorts(ports: JSONObject[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (typeof port.name === 'string' && port.name !== '') {
      for (const msg of isValidPortName(port.name)) errs.push(invalid(`${p}.name`, port.name, msg));
      if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(required(`${p}.containerPort`));
    else for (const msg of isValidPortNum(port.containerPort as number)) errs.push(invalid(`${p}.containerPort`, port.containerPort, msg));
    if (port.hostPort !== undefined && port.hostPort !== 0) {
      for (const msg of isValidPortNum(port.hostPort as number)) errs.push(invalid(`${p}.hostPort`, port.hostPort, msg));
    }
    if (port.protocol === undefined || port.protocol === '') errs.push(required(`${p}.protocol`));
    else if (!supportedPortProtocols.includes(port.protocol as string)) errs.push(notSupported(`${p}.protocol`, port.protocol, supportedPortProtocols));
  });
  return errs;
}

function validateContainers(containers: JSONObject[], path: string, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = c.name;
    if (typeof name !== 'string' || name === '') errs.push(required(`${p}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (seen.has(name)) errs.push(duplicate(`${p}.name`, name));
      seen.add(name);
    }
    // Upstream only requires images of pods; templates may leave them to admission, but kubectl users
    // see this message for both, so we check both.
    if (typeof c.image !== 'string' || c.image.trim() === '') errs.push(required(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !supportedPullPolicies.includes(c.imagePullPolicy as string)) {
      errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, supportedPullPolicies));
    }
    errs.push(...validatePorts(asObjectList(c.ports), `${p}.ports`));
  });
  return errs;
}

/** Validates a PodSpec found at `path` (`spec`, or `spec.template.spec` in workloads). */
export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const s = asObject(spec);
  if (!s) return [required(path)];
  const errs: FieldError[] = [];
  const containers = asObjectList(s.containers);
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const seen = new Set<string>();
  errs.push(...validateContainers(containers, `${path}.containers`, seen));
  errs.push(...validateContainers(asObjectList(s.initContainers), `${path}.initContainers`, seen));
  if (s.restartPolicy !== undefined && !supportedRestartPolicies.includes(s.restartPolicy as string)) {
    errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, supportedRestartPolicies));
  }
  if (s.dnsPolicy !== undefined && !supportedDNSPolicies.includes(s.dnsPolicy as string)) {
    errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, supportedDNSPolicies));
  }
  if (s.activeDeadlineSeconds !== undefined && !(typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds > 0)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  return errs;
}

export const podUpdateForbiddenMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Paths of the top-level spec fields that differ, for the diff that follows the forbidden message. */
function changedFields(a: JSONObject, b: JSONObject): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !equalJSON(a[k], b[k])).sort();
}

/**
 * The pod spec is immutable except for images, activeDeadlineSeconds, added tolerations, a negative grace
 * period becoming 1, and removed scheduling gates (upstream ValidatePodUpdate).
 */
export function validatePodSpecUpdate(spec: unknown, oldSpec: unknown): FieldError[] {
  const next = cloneJSON(asObject(spec) ?? {});
  const prev = asObject(oldSpec) ?? {};
  const errs: FieldError[] = [];
  // Neutralise what may change, then compare the rest.
  const copyImages = (key: string): void => {
    const nc = asObjectList(next[key]);
    const oc = asObjectList(prev[key]);
    if (nc.length !== oc.length) return;
    nc.forEach((c, i) => {
      if (typeof c.image !== 'string' || c.image === '') errs.push(required(`spec.${key}[${i}].image`));
      c.image = oc[i].image;
    });
  };
  copyImages('containers');
  copyImages('initContainers');
  next.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  const oldTolerations = asObjectList(prev.tolerations);
  const newTolerations = asObjectList(next.tolerations);
  if (oldTolerations.every((t) => newTolerations.some((n) => equalJSON(n, t)))) next.tolerations = prev.tolerations;
  if (typeof prev.terminationGracePeriodSeconds === 'number' && prev.terminationGracePeriodSeconds < 0 && next.terminationGracePeriodSeconds === 1) {
    next.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  const oldGates = asObjectList(prev.schedulingGates);
  const newGates = asObjectList(next.schedulingGates);
  if (newGates.every((g) => oldGates.some((o) => equalJSON(o, g)))) next.schedulingGates = prev.schedulingGates;
  const changed = changedFields(next, prev);
  if (changed.length > 0) {
    errs.push(forbidden('spec', `${podUpdateForbiddenMessage}\n  changed: ${changed.map((f) => `spec.${f}`).join(', ')}`));
  }
  return errs;
}
