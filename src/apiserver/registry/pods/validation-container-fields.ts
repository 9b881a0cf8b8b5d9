// Per-container checks of a PodSpec beyond names and ports (upstream validateEnv, ValidateResourceRequirements,
// validateProbe/validateHandler, validateVolumeMounts) and the pod's volume list (validateVolumes).

import { duplicate, forbidden, invalid, notFound, required, type FieldError } from '../../../apimachinery/field-error.js';
import { parseQuantityValue } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../name-checks.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';

const envVarNameMessage = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/** upstream IsRelaxedEnvVarName (the default since RelaxedEnvironmentVariableValidation went on). */
function isRelaxedEnvVarName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 32 || c > 126 || c === 61) return false;
  }
  return true;
}

const envSources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

/** env[*]: names set and printable, `valueFrom` naming exactly one source and not given with `value`. */
export function validateEnv(env: JSONObject[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const p = `${path}[${i}]`;
    if (typeof ev.name !== 'string' || ev.name === '') errs.push(required(`${p}.name`));
    else if (!isRelaxedEnvVarName(ev.name)) errs.push(invalid(`${p}.name`, ev.name, envVarNameMessage));
    const from = asObject(ev.valueFrom);
    if (!from) return;
    const sources = envSources.filter((s) => from[s] !== undefined && from[s] !== null).length;
    if (sources === 0) {
      errs.push(invalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    } else if (sources > 1) {
      errs.push(invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
    } else if (typeof ev.value === 'string' && ev.value !== '') {
      errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

function quantities(list: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(asObject(list) ?? {})) {
    const q = parseQuantityValue(value)?.quantity;
    if (q) out.set(name, q);
  }
  return out;
}

/** resources: no negative quantities, and no request above its limit (upstream ValidateResourceRequirements). */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  const r = asObject(resources);
  if (!r) return [];
  const errs: FieldError[] = [];
  const limits = quantities(r.limits);
  const requests = quantities(r.requests);
  for (const [name, q] of limits) {
    if (q.sign() < 0) errs.push(invalid(`${path}.limits[${name}]`, q.toString(), 'must be greater than or equal to 0'));
  }
  for (const [name, q] of requests) {
    if (q.sign() < 0) errs.push(invalid(`${path}.requests[${name}]`, q.toString(), 'must be greater than or equal to 0'));
    const limit = limits.get(name);
    if (limit && q.cmp(limit) > 0) {
      errs.push(invalid(`${path}.requests`, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
    }
  }
  return errs;
}

/** A probe's or lifecycle hook's handler kinds, in upstream's order of checking. */
const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

/** upstream ValidatePortNumOrName: a number in 1–65535 or an IANA service name. */
function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg));
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  return [];
}

/**
 * Exactly one handler: none → Required "must specify a handler type"; a second one → Forbidden. The first
 * handler's port is checked.
 */
function validateHandler(handler: JSONObject, kinds: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let found = 0;
  for (const kind of kinds) {
    const action = asObject(handler[kind]);
    if (handler[kind] === undefined || handler[kind] === null) continue;
    if (found > 0) errs.push(forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
    else if (action && (kind === 'httpGet' || kind === 'tcpSocket' || kind === 'grpc')) errs.push(...validatePortNumOrName(action.port, `${path}.${kind}.port`));
    found++;
  }
  if (found === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

const probeCounters = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];

/** A probe: one handler, non-negative counters; liveness and startup probes must succeed once (upstream). */
function validateProbe(probe: JSONObject, path: string, mustSucceedOnce: boolean): FieldError[] {
  const errs = validateHandler(probe, probeHandlers, path);
  for (const f of probeCounters) {
    const v = probe[f];
    if (typeof v === 'number' && v < 0) errs.push(invalid(`${path}.${f}`, v, 'must be greater than or equal to 0'));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (mustSucceedOnce && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    errs.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

/** Probes and lifecycle hooks of one container (ephemeral containers may have neither; checked by the caller). */
export function validateProbesAndLifecycle(c: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const liveness = asObject(c.livenessProbe);
  if (liveness) errs.push(...validateProbe(liveness, `${path}.livenessProbe`, true));
  const readiness = asObject(c.readinessProbe);
  if (readiness) errs.push(...validateProbe(readiness, `${path}.readinessProbe`, false));
  const startup = asObject(c.startupProbe);
  if (startup) errs.push(...validateProbe(startup, `${path}.startupProbe`, true));
  const lifecycle = asObject(c.lifecycle);
  for (const hook of ['postStart', 'preStop']) {
    const h = asObject(lifecycle?.[hook]);
    if (h) errs.push(...validateHandler(h, lifecycleHandlers, `${path}.lifecycle.${hook}`));
  }
  return errs;
}

/** volumeMounts: each names a volume of the pod; mount paths set and unique within the container. */
export function validateVolumeMounts(mounts: JSONObject[], volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (typeof m.name !== 'string' || m.name === '') errs.push(required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${p}.name`, m.name));
    if (typeof m.mountPath !== 'string' || m.mountPath === '') errs.push(required(`${p}.mountPath`));
    else {
      if (paths.has(m.mountPath)) errs.push(invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
    if (typeof m.subPath === 'string' && m.subPath !== '') errs.push(...validateLocalDescendingPath(m.subPath, `${p}.subPath`));
  });
  return errs;
}

/** upstream validateLocalDescendingPath: relative, and no '..' element. */
function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..')) errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

/** volumes: names set, DNS-1123 labels and unique. Returns the names for the mounts to refer to. */
export function validateVolumes(volumes: JSONObject[], path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = `${path}[${i}].name`;
    if (typeof v.name !== 'string' || v.name === '') {
      errs.push(required(p));
      return;
    }
    for (const msg of isDNS1123Label(v.name)) errs.push(invalid(p, v.name, msg));
    if (names.has(v.name)) errs.push(duplicate(p, v.name));
    names.add(v.name);
  });
  return { errs, names };
}
