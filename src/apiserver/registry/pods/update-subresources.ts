// pods/ephemeralcontainers and pods/resize (upstream podEphemeralContainersStrategy, podResizeStrategy):
// subresources that change one part of a pod's otherwise immutable spec, with upstream's restrictions.

import { duplicate, forbidden, invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, asObjectList, cloneJSON, equalJSON, type JSONObject } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { podQOSClass } from './strategy.js';

/** Fields of an EphemeralContainer beyond what a debugging container may use (upstream's allow list, inverted). */
const forbiddenEphemeralFields = ['ports', 'resources', 'resizePolicy', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe', 'restartPolicy'];

function specOf(obj: APIObject): JSONObject {
  return asObject(obj.spec) ?? {};
}

/**
 * upstream ResetObjectMetaForStatus: these subresources keep the stored metadata (labels, annotations,
 * finalizers, owners); the resourceVersion precondition and the managedFields, which already record this
 * write, come from the request.
 */
function keepMetadata(obj: APIObject, old: APIObject): void {
  const rv = obj.metadata?.resourceVersion;
  const managedFields = obj.metadata?.managedFields;
  obj.metadata = { ...cloneJSON(old.metadata ?? {}), resourceVersion: rv };
  if (managedFields !== undefined) obj.metadata.managedFields = managedFields;
  else delete obj.metadata.managedFields;
}

/** The pod `old` with only spec.ephemeralContainers taken from `obj`. */
function keepEphemeralContainers(obj: APIObject, old: APIObject): void {
  keepMetadata(obj, old);
  const ephemeral = specOf(obj).ephemeralContainers;
  const spec = cloneJSON(specOf(old));
  if (ephemeral === undefined || (Array.isArray(ephemeral) && ephemeral.length === 0)) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = ephemeral;
  obj.spec = spec;
  obj.status = cloneJSON(old.status);
}

/** upstream ValidatePodEphemeralContainersUpdate: new ones well formed, existing ones neither removed nor changed. */
export function validateEphemeralContainersUpdate(obj: APIObject, old: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  const path = 'spec.ephemeralContainers';
  const taken = new Set([...asObjectList(spec.containers), ...asObjectList(spec.initContainers)].map((c) => c.name));
  asObjectList(spec.ephemeralContainers).forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (typeof c.name !== 'string' || c.name === '') errs.push(required(`${at}.name`));
    else if (taken.has(c.name)) errs.push(duplicate(`${at}.name`, c.name));
    taken.add(c.name);
    if (typeof c.image !== 'string' || c.image === '') errs.push(required(`${at}.image`));
    for (const f of forbiddenEphemeralFields) {
      if (c[f] !== undefined && !(typeof c[f] === 'object' && c[f] !== null && Object.keys(c[f] as object).length === 0)) {
        errs.push(forbidden(`${at}.${f}`, 'cannot be set for an Ephemeral Container'));
      }
    }
  });
  const byName = new Map(asObjectList(spec.ephemeralContainers).map((c) => [c.name, c]));
  for (const before of asObjectList(specOf(old).ephemeralContainers)) {
    const after = byName.get(before.name);
    if (!after) errs.push(forbidden(path, `existing ephemeral containers ${JSON.stringify(before.name)} may not be removed\n`));
    else if (!equalJSON(before, after)) errs.push(forbidden(path, `existing ephemeral containers ${JSON.stringify(before.name)} may not be changed\n`));
  }
  return errs;
}

/** The pod `old` with only containers' and init containers' resources and resizePolicy taken from `obj`. */
function keepResizeFields(obj: APIObject, old: APIObject): void {
  keepMetadata(obj, old);
  const spec = cloneJSON(specOf(old));
  const next = specOf(obj);
  for (const key of ['containers', 'initContainers']) {
    const wanted = asObjectList(next[key]);
    asObjectList(spec[key]).forEach((c) => {
      const from = wanted.find((w) => w.name === c.name);
      if (!from) return;
      for (const f of ['resources', 'resizePolicy']) {
        if (from[f] === undefined) delete c[f];
        else c[f] = cloneJSON(from[f]);
      }
    });
  }
  obj.spec = spec;
  obj.status = cloneJSON(old.status);
}

const mutableResources = new Set(['cpu', 'memory']);

function withoutCPUAndMemory(resources: unknown): JSONObject {
  const r = cloneJSON(asObject(resources) ?? {});
  for (const k of ['requests', 'limits']) {
    const list = asObject(r[k]);
    if (!list) continue;
    for (const name of Object.keys(list)) if (mutableResources.has(name)) delete list[name];
    if (Object.keys(list).length === 0) delete r[k];
  }
  return r;
}

/** upstream ValidatePodResize (the checks a pod without a kubelet can meet). */
export function validatePodResize(obj: APIObject, old: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return [forbidden('', 'static pods cannot be resized')];
  if ((asObject(specOf(old).os)?.name ?? '') === 'windows') return [forbidden('spec.os.name', 'windows pods cannot be resized')];
  const oldQOS = (asObject(old.status)?.qosClass as string | undefined) ?? podQOSClass(old.spec);
  if (podQOSClass(obj.spec) !== oldQOS) errs.push(invalid('spec', asObject(obj.status)?.qosClass ?? oldQOS, 'Pod QOS Class may not change as a result of resizing'));
  let otherResourcesChanged = false;
  for (const key of ['containers', 'initContainers']) {
    const before = asObjectList(specOf(old)[key]);
    asObjectList(specOf(obj)[key]).forEach((c, i) => {
      const prev = before[i];
      if (!prev) return;
      const at = `spec.${key}[${i}].resources`;
      for (const kind of ['requests', 'limits'] as const) {
        const had = Object.keys(asObject(asObject(prev.resources)?.[kind]) ?? {});
        const has = new Set(Object.keys(asObject(asObject(c.resources)?.[kind]) ?? {}));
        for (const name of had) {
          if (mutableResources.has(name) && !has.has(name)) errs.push(forbidden(`${at}.${kind}[${name}]`, `resource ${kind === 'requests' ? 'requests' : 'limits'} cannot be removed`));
        }
      }
      if (!equalJSON(withoutCPUAndMemory(c.resources), withoutCPUAndMemory(prev.resources))) otherResourcesChanged = true;
    });
  }
  if (otherResourcesChanged) errs.push(forbidden('spec', 'only cpu and memory resources are mutable'));
  return errs;
}

/** The pod strategy with its ephemeralcontainers and resize subresources. */
export function withPodUpdateSubresources(strategy: ResourceStrategy): ResourceStrategy {
  return {
    ...strategy,
    subresourceUpdates: { ...strategy.subresourceUpdates, ephemeralcontainers: keepEphemeralContainers, resize: keepResizeFields },
    validateSubresourceUpdates: {
      ...strategy.validateSubresourceUpdates,
      ephemeralcontainers: validateEphemeralContainersUpdate,
      resize: validatePodResize,
    },
  };
}
