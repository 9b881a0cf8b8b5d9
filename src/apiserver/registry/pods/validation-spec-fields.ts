// The smaller PodSpec fields upstream ValidatePodSpec checks: names that refer to other objects, hostname and
// subdomain, readiness and scheduling gates, host aliases, overhead, preemptionPolicy; containers' resizePolicy
// and restartPolicy (only init containers may set it, only to Always: sidecars).

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation/names.js';
import { isValidIP } from '../name-checks.js';
import { asObjectList, type JSONObject } from '../object-paths.js';
import { validateResourceRequirements } from './validation-container-fields.js';

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Fields holding a DNS-1123 subdomain (object names) or label (hostname, subdomain), checked when set. */
const subdomainFields = ['serviceAccountName', 'nodeName', 'priorityClassName'];
const labelFields = ['hostname', 'subdomain'];
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];

/** Names, gates, host aliases, overhead and preemption policy of the spec at `path`. */
export function validateSpecFields(spec: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asObjectList(spec.readinessGates).forEach((g, i) => {
    const type = typeof g.conditionType === 'string' ? g.conditionType : '';
    for (const msg of isQualifiedName(type)) errs.push(invalid(`${path}.readinessGates[${i}].conditionType`, type, msg));
  });
  const gates = new Set<string>();
  asObjectList(spec.schedulingGates).forEach((g, i) => {
    const name = typeof g.name === 'string' ? g.name : '';
    for (const msg of isQualifiedName(name)) errs.push(invalid(`${path}.schedulingGates[${i}]`, name, msg));
    if (gates.has(name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  for (const f of subdomainFields) {
    const v = spec[f];
    if (nonEmptyString(v)) for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(`${path}.${f}`, v, msg));
  }
  for (const f of labelFields) {
    const v = spec[f];
    if (nonEmptyString(v)) for (const msg of isDNS1123Label(v)) errs.push(invalid(`${path}.${f}`, v, msg));
  }
  asObjectList(spec.hostAliases).forEach((a, i) => {
    const ip = typeof a.ip === 'string' ? a.ip : '';
    for (const msg of isValidIP(ip)) errs.push(invalid(`${path}.hostAliases[${i}].ip`, ip, msg));
    (Array.isArray(a.hostnames) ? a.hostnames : []).forEach((h, j) => {
      for (const msg of isDNS1123Subdomain(String(h))) errs.push(invalid(`${path}.hostAliases[${i}].hostnames[${j}]`, h, msg));
    });
  });
  if (typeof spec.runtimeClassName === 'string') {
    for (const msg of isDNS1123Subdomain(spec.runtimeClassName)) errs.push(invalid(`${path}.runtimeClassName`, spec.runtimeClassName, msg));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    if (spec.preemptionPolicy === '') errs.push(required(`${path}.preemptionPolicy`));
    else if (!preemptionPolicies.includes(spec.preemptionPolicy as string)) errs.push(notSupported(`${path}.preemptionPolicy`, spec.preemptionPolicy, preemptionPolicies));
  }
  // Overhead is checked as a container's limits would be, so its errors read `overhead.limits[cpu]` as upstream's.
  if (spec.overhead !== undefined && spec.overhead !== null) errs.push(...validateResourceRequirements({ limits: spec.overhead }, `${path}.overhead`));
  return errs;
}

const resizeResources = ['cpu', 'memory'];
const resizeRestartPolicies = ['NotRequired', 'RestartContainer'];

/**
 * containers[i].resizePolicy at `path` (upstream validateResizePolicy); upstream reports the unknown and
 * empty entries at the list's own path, repeats at the entry's.
 */
export function validateResizePolicy(policies: unknown, path: string, podRestartPolicy: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asObjectList(policies).forEach((p, i) => {
    const name = typeof p.resourceName === 'string' ? p.resourceName : '';
    const policy = typeof p.restartPolicy === 'string' ? p.restartPolicy : '';
    if (seen.has(name)) errs.push(duplicate(`${path}[${i}]`, name));
    seen.add(name);
    if (name === '') errs.push(required(path));
    else if (!resizeResources.includes(name)) errs.push(notSupported(path, name, resizeResources));
    if (policy === '') errs.push(required(path));
    else if (!resizeRestartPolicies.includes(policy)) errs.push(notSupported(path, policy, resizeRestartPolicies));
    if (podRestartPolicy === 'Never' && policy !== 'NotRequired') errs.push(invalid(path, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  });
  return errs;
}

/** A regular container's restartPolicy: not settable. */
export function validateRegularContainerRestartPolicy(c: JSONObject, path: string): FieldError[] {
  return c.restartPolicy === undefined || c.restartPolicy === null ? [] : [forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers')];
}

const initOnlyForbidden = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * An init container's restartPolicy: only Always (a sidecar). Returns whether it is a sidecar, which may
 * have probes and lifecycle hooks; other init containers may not.
 */
export function validateInitContainerRestartPolicy(c: JSONObject, path: string): { sidecar: boolean; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const rp = c.restartPolicy;
  if (rp !== undefined && rp !== null && rp !== 'Always') errs.push(notSupported(`${path}.restartPolicy`, rp, ['Always']));
  const sidecar = rp === 'Always';
  if (!sidecar) {
    for (const f of initOnlyForbidden) {
      if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  }
  return { sidecar, errs };
}
