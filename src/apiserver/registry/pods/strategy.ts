// Pods (upstream pkg/registry/core/pod/strategy.go): defaults, Pending status with a QoS class on create,
// an immutable spec apart from images and a few fields, and the field selectors kubectl and the kubelet use.

import type { FieldError } from '../../../apimachinery/field-error.js';
import { asObject, asObjectList, boolField, readPath, stringField, type JSONObject } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { defaultPodSpec } from './defaults.js';
import { validatePodSpec, validatePodSpecUpdate } from './validation.js';

/** The pod's QoS class (upstream qos.GetPodQOS), from the containers' cpu and memory requests and limits. */
export function podQOSClass(spec: unknown): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const s = asObject(spec) ?? {};
  const containers = [...asObjectList(s.containers), ...asObjectList(s.initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const resources = asObject(c.resources) ?? {};
    const requests = asObject(resources.requests) ?? {};
    const limits = asObject(resources.limits) ?? {};
    for (const name of ['cpu', 'memory']) {
      if (requests[name] !== undefined || limits[name] !== undefined) any = true;
      if (limits[name] === undefined || (requests[name] !== undefined && String(requests[name]) !== String(limits[name]))) {
        guaranteed = false;
      }
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function prepareSpec(obj: APIObject): void {
  const spec = asObject(obj.spec);
  if (!spec) return;
  defaultPodSpec(spec);
  // Old clients may send a negative grace period; upstream stores 1 instead.
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
}

function firstPodIP(obj: APIObject): string {
  const ips = asObjectList(readPath(obj, 'status.podIPs'));
  const ip = ips[0]?.ip;
  return typeof ip === 'string' ? ip : '';
}

export const podStrategy: ResourceStrategy = {
  hasStatusSubresource: true,
  hasGeneration: true,
  selectableFields: {
    'spec.nodeName': stringField('spec.nodeName'),
    'spec.restartPolicy': stringField('spec.restartPolicy'),
    'spec.schedulerName': stringField('spec.schedulerName'),
    'spec.serviceAccountName': stringField('spec.serviceAccountName'),
    'spec.hostNetwork': boolField('spec.hostNetwork'),
    'status.phase': stringField('status.phase'),
    'status.podIP': firstPodIP,
    'status.nominatedNodeName': stringField('status.nominatedNodeName'),
  },
  prepareForCreate(obj) {
    prepareSpec(obj);
    const spec = asObject(obj.spec) ?? {};
    // Stands in for the Priority admission plugin until admission exists: pods without a class get 0.
    if (spec.priorityClassName === undefined && spec.priority === undefined) {
      spec.priority = 0;
      spec.preemptionPolicy ??= 'PreemptLowerPriority';
    }
    const status: JSONObject = { phase: 'Pending', qosClass: podQOSClass(spec) };
    obj.status = status;
  },
  prepareForUpdate(obj, old) {
    prepareSpec(obj);
    keepStatus(obj, old);
  },
  validate(obj): FieldError[] {
    return validatePodSpec(obj.spec, 'spec');
  },
  checkGracefulDelete(obj, options) {
    // Pods nobody runs (unscheduled) or that are done need no kubelet to confirm: delete at once.
    if (!readPath(obj, 'spec.nodeName')) return 0;
    const phase = readPath(obj, 'status.phase');
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const spec = readPath(obj, 'spec.terminationGracePeriodSeconds');
    const period = options.gracePeriodSeconds ?? (typeof spec === 'number' ? spec : 30);
    // A negative period from old clients means "as soon as possible", which upstream stores as 1.
    return period < 0 ? 1 : period;
  },
  validateUpdate(obj, old): FieldError[] {
    return [...validatePodSpec(obj.spec, 'spec'), ...validatePodSpecUpdate(obj.spec, old.spec)];
  },
};
