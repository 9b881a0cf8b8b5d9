// LimitRanger (upstream plugin/pkg/admission/limitranger): the LimitRange objects of a namespace give new
// pods' containers their default requests and limits (noted in the kubernetes.io/limit-ranger annotation),
// then bound containers, pods and PersistentVolumeClaims by min, max and maxLimitRequestRatio.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const limitRangerPluginName = 'LimitRanger';
export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;

function q(s: string | undefined): Quantity | undefined {
  if (s === undefined) return undefined;
  const r = parseQuantity(String(s));
  return r.quantity;
}

/** CPU compares in milli-units, everything else in units (upstream requestLimitEnforcedValues). */
function valueOf(resource: string, x: Quantity): bigint {
  return resource === 'cpu' ? x.milliValue() : x.value();
}

function minConstraint(limitType: string, resource: string, enforced: string, request: ResourceList, limit: ResourceList): string | undefined {
  const min = q(enforced)!;
  const req = q(request[resource]);
  const lim = q(limit[resource]);
  if (!req) return `minimum ${resource} usage per ${limitType} is ${min}.  No request is specified`;
  if (valueOf(resource, req) < valueOf(resource, min)) return `minimum ${resource} usage per ${limitType} is ${min}, but request is ${req}`;
  if (lim && valueOf(resource, lim) < valueOf(resource, min)) return `minimum ${resource} usage per ${limitType} is ${min}, but limit is ${lim}`;
  return undefined;
}

function maxConstraint(limitType: string, resource: string, enforced: string, request: ResourceList, limit: ResourceList): string | undefined {
  const max = q(enforced)!;
  const req = q(request[resource]);
  const lim = q(limit[resource]);
  if (!lim) return `maximum ${resource} usage per ${limitType} is ${max}.  No limit is specified`;
  if (valueOf(resource, lim) > valueOf(resource, max)) return `maximum ${resource} usage per ${limitType} is ${max}, but limit is ${lim}`;
  if (req && valueOf(resource, req) > valueOf(resource, max)) return `maximum ${resource} usage per ${limitType} is ${max}, but request is ${req}`;
  return undefined;
}

/** PersistentVolumeClaims: the max bounds what was requested (there is no limit). */
function maxRequestConstraint(limitType: string, resource: string, enforced: string, request: ResourceList): string | undefined {
  const max = q(enforced)!;
  const req = q(request[resource]);
  if (!req) return `maximum ${resource} usage per ${limitType} is ${max}.  No request is specified`;
  if (valueOf(resource, req) > valueOf(resource, max)) return `maximum ${resource} usage per ${limitType} is ${max}, but request is ${req}`;
  return undefined;
}

function ratioConstraint(limitType: string, resource: string, enforced: string, request: ResourceList, limit: ResourceList): string | undefined {
  const ratio = q(enforced)!;
  const req = q(request[resource]);
  const lim = q(limit[resource]);
  if (!req || req.isZero()) return `${resource} max limit to request ratio per ${limitType} is ${ratio}, but no request is specified or request is 0`;
  if (!lim) return `${resource} max limit to request ratio per ${limitType} is ${ratio}, but no limit is specified`;
  const observed = Number(lim.milliValue()) / Number(req.milliValue());
  const allowed = Number(ratio.milliValue()) / 1000;
  if (observed > allowed) return `${resource} max limit to request ratio per ${limitType} is ${ratio}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** Every constraint of one LimitRangeItem against one requests/limits pair. */
function checkItem(item: corev1.LimitRangeItem, request: ResourceList, limit: ResourceList): string[] {
  const errs: string[] = [];
  const push = (e: string | undefined) => e && errs.push(e);
  for (const [k, v] of Object.entries(item.min ?? {})) push(minConstraint(item.type, k, String(v), request, limit));
  for (const [k, v] of Object.entries(item.max ?? {})) push(maxConstraint(item.type, k, String(v), request, limit));
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) push(ratioConstraint(item.type, k, String(v), request, limit));
  return errs;
}

/** A pod's effective requests or limits: the sum over containers, raised to any init container's (upstream podRequests). */
function podTotal(pod: corev1.Pod, field: 'requests' | 'limits'): ResourceList {
  const sum = new Map<string, Quantity>();
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) {
      const x = q(String(v));
      if (x) sum.set(k, sum.has(k) ? sum.get(k)!.add(x) : x);
    }
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) {
      const x = q(String(v));
      if (x && (!sum.has(k) || x.cmp(sum.get(k)!) > 0)) sum.set(k, x);
    }
  }
  return Object.fromEntries([...sum].map(([k, v]) => [k, v.toString()]));
}

/** Fills missing requests/limits of one container from the defaults; returns the annotation fragments. */
function mergeContainer(c: corev1.Container, type: string, defaults: { requests: ResourceList; limits: ResourceList }): string[] {
  const notes: string[] = [];
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  const resources = (c.resources ??= {});
  for (const [k, v] of Object.entries(defaults.limits)) {
    if (resources.limits?.[k] === undefined) {
      (resources.limits ??= {})[k] = v;
      setLimits.push(k);
    }
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if (resources.requests?.[k] === undefined) {
      (resources.requests ??= {})[k] = v;
      setRequests.push(k);
    }
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${type} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${type} ${c.name}`);
  return notes;
}

export function newLimitRanger(opts: { reader: ObjectReader }): AdmissionPlugin {
  const limitRanges = async (namespace: string) => (await opts.reader.list({ group: '', resource: 'limitranges' }, namespace)) as corev1.LimitRange[];

  /** Upstream DefaultLimitRangerActions.SupportsAttributes; objects being deleted are left alone. */
  function applies(attrs: AdmissionAttributes): 'pod' | 'pvc' | undefined {
    if (attrs.subresource !== '' || attrs.resource.group !== '' || !attrs.object) return undefined;
    if (attrs.oldObject?.metadata?.deletionTimestamp) return undefined;
    if (attrs.resource.resource === 'pods') return attrs.operation === 'CREATE' ? 'pod' : undefined;
    if (attrs.resource.resource === 'persistentvolumeclaims') return 'pvc';
    return undefined;
  }

  return {
    name: limitRangerPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      if (applies(attrs) !== 'pod') return;
      const pod = attrs.object as corev1.Pod;
      const notes: string[] = [];
      for (const lr of await limitRanges(attrs.namespace)) {
        for (const item of lr.spec?.limits ?? []) {
          if (item.type !== 'Container') continue;
          const defaults = { requests: (item.defaultRequest ?? {}) as ResourceList, limits: (item.default ?? {}) as ResourceList };
          if (!Object.keys(defaults.requests).length && !Object.keys(defaults.limits).length) continue;
          for (const c of pod.spec?.containers ?? []) notes.push(...mergeContainer(c, 'container', defaults));
          for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeContainer(c, 'init container', defaults));
        }
      }
      if (notes.length) ((pod.metadata ??= {}).annotations ??= {})[limitRangerAnnotation] = `LimitRanger plugin set: ${notes.join('; ')}`;
    },
    async validate(attrs) {
      const kind = applies(attrs);
      if (!kind) return;
      const errs: string[] = [];
      for (const lr of await limitRanges(attrs.namespace)) {
        for (const item of lr.spec?.limits ?? []) {
          if (kind === 'pvc' && item.type === 'PersistentVolumeClaim') {
            const requests = ((attrs.object as corev1.PersistentVolumeClaim).spec?.resources?.requests ?? {}) as ResourceList;
            for (const [k, v] of Object.entries(item.min ?? {})) errs.push(minConstraint(item.type, k, String(v), requests, {}) ?? '');
            for (const [k, v] of Object.entries(item.max ?? {})) errs.push(maxRequestConstraint(item.type, k, String(v), requests) ?? '');
          } else if (kind === 'pod' && item.type === 'Container') {
            const pod = attrs.object as corev1.Pod;
            for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
              errs.push(...checkItem(item, (c.resources?.requests ?? {}) as ResourceList, (c.resources?.limits ?? {}) as ResourceList));
            }
          } else if (kind === 'pod' && item.type === 'Pod') {
            const pod = attrs.object as corev1.Pod;
            errs.push(...checkItem(item, podTotal(pod, 'requests'), podTotal(pod, 'limits')));
          }
        }
      }
      // Upstream aggregates: one message as is, several as "[a, b]".
      errs.splice(0, errs.length, ...errs.filter(Boolean));
      if (errs.length) throw newAdmissionForbidden(attrs, errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    },
  };
}
