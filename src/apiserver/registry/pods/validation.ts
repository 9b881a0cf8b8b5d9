// upstream ValidatePodSpec: containers present, names unique DNS labels across all container lists, images,
// ports, env, resources, probes, sidecars, volumes, security contexts, DNS config, tolerations, affinity,
// topology spread, host ports, sysctls, OS, names and gates (topic files beside this one); the pod update rule.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateLabels } from '../../../apimachinery/validation/object-meta.js';
import { isDNS1123Label, isValidPortName, isValidPortNum, supportedPortProtocols } from '../name-checks.js';
import { asObject, asObjectList, cloneJSON, equalJSON, type JSONObject } from '../object-paths.js';
import { validateEnv, validateProbesAndLifecycle, validateResourceRequirements, validateVolumeMounts, validateVolumes } from './validation-container-fields.js';
import { validateAffinity } from './validation-affinity.js';
import { validatePodDNSConfig, validateTolerations } from './validation-dns-tolerations.js';
import { checkHostPortConflicts, checkInitContainerHostPortConflicts, validateHostNetworkPorts, validateHostUsers } from './validation-host-ports.js';
import { validateContainerSecurityContext, validatePodSecurityContext } from './validation-security-context.js';
import {
  validateInitContainerRestartPolicy,
  validateRegularContainerRestartPolicy,
  validateResizePolicy,
  validateSpecFields,
} from './validation-spec-fields.js';
import { validateOS, validateSysctls } from './validation-sysctls-os.js';
import { validateTopologySpreadConstraints } from './validation-topology-spread.js';

export const supportedRestartPolicies = ['Always', 'OnFailure', 'Never'];
const supportedDNSPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
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

/** What the containers of one list may refer to: the pod's volumes, and names already taken by earlier lists. */
interface ContainerContext {
  volumes: ReadonlySet<string>;
  seen: Set<string>;
  /** spec.hostUsers (default true): Unmasked procMount needs a user namespace. */
  hostUsers: boolean;
  /** spec.restartPolicy, which limits containers' resizePolicy. */
  restartPolicy: unknown;
  /** A Pod's spec, not a template's: images must also be trimmed (upstream validateContainersOnlyForPod). */
  resourceIsPod: boolean;
}

type ContainerKind = 'regular' | 'init' | 'ephemeral';

/** Fields an ephemeral container may not set (upstream allowedEphemeralContainerFields, the complement). */
const ephemeralForbidden = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

function validateContainers(containers: JSONObject[], path: string, ctx: ContainerContext, kind: ContainerKind): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = c.name;
    if (typeof name !== 'string' || name === '') errs.push(required(`${p}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (ctx.seen.has(name)) errs.push(duplicate(`${p}.name`, name));
      ctx.seen.add(name);
    }
    // An image is required everywhere. A Pod's (and every ephemeral container's) image must also be trimmed;
    // a template's may keep surrounding spaces, but a blank one is refused as Required here (upstream accepts it).
    const image = typeof c.image === 'string' ? c.image : '';
    if (image !== '' && image.trim() !== image && (ctx.resourceIsPod || kind === 'ephemeral')) {
      errs.push(invalid(`${p}.image`, image, 'must not have leading or trailing whitespace'));
    } else if (image.trim() === '') errs.push(required(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !supportedPullPolicies.includes(c.imagePullPolicy as string)) {
      errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, supportedPullPolicies));
    }
    if (kind === 'ephemeral') {
      for (const f of ephemeralForbidden) if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    } else {
      // Probes and hooks belong to regular containers and sidecars (init containers with restartPolicy Always).
      const init = kind === 'init' ? validateInitContainerRestartPolicy(c, p) : undefined;
      if (init) errs.push(...init.errs);
      else errs.push(...validateRegularContainerRestartPolicy(c, p));
      if (!init || init.sidecar) errs.push(...validateProbesAndLifecycle(c, p));
      errs.push(...validatePorts(asObjectList(c.ports), `${p}.ports`));
      errs.push(...validateResourceRequirements(c.resources, `${p}.resources`));
      errs.push(...validateResizePolicy(c.resizePolicy, `${p}.resizePolicy`, ctx.restartPolicy));
    }
    errs.push(...validateEnv(asObjectList(c.env), `${p}.env`));
    errs.push(...validateVolumeMounts(asObjectList(c.volumeMounts), ctx.volumes, `${p}.volumeMounts`));
    errs.push(...validateContainerSecurityContext(c.securityContext, `${p}.securityContext`, ctx.hostUsers));
  });
  return errs;
}

export interface PodSpecValidationOptions {
  /**
   * The spec is a Pod's, not a template's (upstream ResourceIsPod): with hostNetwork, a template may leave
   * hostPort 0, and only a Pod's images must be trimmed. Defaults to `path === 'spec'`, which only a Pod's spec has.
   */
  resourceIsPod?: boolean;
}

/** Validates a PodSpec found at `path` (`spec`, or `spec.template.spec` in workloads). */
export function validatePodSpec(spec: unknown, path: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  const s = asObject(spec);
  if (!s) return [required(path)];
  const { errs, names: volumes } = validateVolumes(asObjectList(s.volumes), `${path}.volumes`);
  const containers = asObjectList(s.containers);
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const resourceIsPod = opts.resourceIsPod ?? path === 'spec';
  const ctx: ContainerContext = { volumes, seen: new Set<string>(), hostUsers: s.hostUsers !== false, restartPolicy: s.restartPolicy, resourceIsPod };
  const initContainers = asObjectList(s.initContainers);
  errs.push(...validateContainers(containers, `${path}.containers`, ctx, 'regular'));
  errs.push(...checkHostPortConflicts(containers, `${path}.containers`));
  errs.push(...validateContainers(initContainers, `${path}.initContainers`, ctx, 'init'));
  errs.push(...checkInitContainerHostPortConflicts(initContainers, `${path}.initContainers`));
  errs.push(...validateContainers(asObjectList(s.ephemeralContainers), `${path}.ephemeralContainers`, ctx, 'ephemeral'));
  errs.push(...validateHostNetworkPorts(s, path, { resourceIsPod }));
  if (s.restartPolicy !== undefined && !supportedRestartPolicies.includes(s.restartPolicy as string)) {
    errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, supportedRestartPolicies));
  }
  if (s.dnsPolicy !== undefined && !supportedDNSPolicies.includes(s.dnsPolicy as string)) {
    errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, supportedDNSPolicies));
  }
  if (s.activeDeadlineSeconds !== undefined && !(typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds > 0)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validatePodDNSConfig(s, `${path}.dnsConfig`));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  errs.push(...validatePodSecurityContext(s, `${path}.securityContext`));
  errs.push(...validateSysctls(s, `${path}.securityContext.sysctls`));
  errs.push(...validateAffinity(s.affinity, `${path}.affinity`));
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  errs.push(...validateHostUsers(s, path));
  errs.push(...validateSpecFields(s, path));
  errs.push(...validateOS(s, path));
  const nodeSelector = asObject(s.nodeSelector);
  if (nodeSelector) errs.push(...validateLabels(nodeSelector as Record<string, string>, `${path}.nodeSelector`));
  if (typeof s.terminationGracePeriodSeconds === 'number' && s.terminationGracePeriodSeconds < 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
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
  // Scheduling gates may only be removed (upstream validateOnlyDeletedSchedulingGates).
  const oldGates = new Set(asObjectList(prev.schedulingGates).map((g) => g.name));
  asObjectList(next.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g.name)) errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${String(g.name)}'`));
  });
  next.schedulingGates = prev.schedulingGates;
  const changed = changedFields(next, prev);
  if (changed.length > 0) {
    errs.push(forbidden('spec', `${podUpdateForbiddenMessage}\n  changed: ${changed.map((f) => `spec.${f}`).join(', ')}`));
  }
  return errs;
}
