// Resource amounts as the scheduler counts them (upstream framework.Resource): integer milli-CPU, bytes and
// counts, so filters and scores compare plain numbers. Also the pod request rules of upstream's
// resourcehelper.PodRequests: containers summed, init containers as a peak, sidecars added, overhead added.
import type { Container, Pod } from '../../api/generated/core/v1.js';
import { parseQuantity } from '../../apimachinery/quantity/parse.js';

export const ResourceCPU = 'cpu';
export const ResourceMemory = 'memory';
export const ResourceEphemeralStorage = 'ephemeral-storage';
export const ResourcePods = 'pods';

/** Requests assumed for a container that states none, for spreading scores (upstream DefaultMilliCPURequest…). */
export const DefaultMilliCPURequest = 100;
export const DefaultMemoryRequest = 200 * 1024 * 1024;

/** Amounts of every resource a pod requests or a node offers. Mutable: NodeInfo adds and subtracts in place. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  /** Node allocatable "pods"; unused for pod requests. */
  allowedPodNumber = 0;
  /** Extended resources, hugepages, attachable volumes: name → integer amount. */
  scalarResources: Map<string, number> | undefined = undefined;

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    if (this.scalarResources) r.scalarResources = new Map(this.scalarResources);
    return r;
  }

  /** Adds (sign 1) or subtracts (sign -1) `r`. */
  add(r: Resource, sign = 1): void {
    this.milliCPU += sign * r.milliCPU;
    this.memory += sign * r.memory;
    this.ephemeralStorage += sign * r.ephemeralStorage;
    if (r.scalarResources) {
      for (const [name, v] of r.scalarResources) this.setScalar(name, this.scalar(name) + sign * v);
    }
  }

  scalar(name: string): number {
    return this.scalarResources?.get(name) ?? 0;
  }

  setScalar(name: string, v: number): void {
    (this.scalarResources ??= new Map()).set(name, v);
  }

  /** The amount of `name` (cpu in milli-units), 0 when absent. */
  get(name: string): number {
    switch (name) {
      case ResourceCPU:
        return this.milliCPU;
      case ResourceMemory:
        return this.memory;
      case ResourceEphemeralStorage:
        return this.ephemeralStorage;
      case ResourcePods:
        return this.allowedPodNumber;
      default:
        return this.scalar(name);
    }
  }

  /** Sets one resource from its API name, cpu as milli-units and everything else as whole units. */
  set(name: string, v: number): void {
    switch (name) {
      case ResourceCPU:
        this.milliCPU = v;
        break;
      case ResourceMemory:
        this.memory = v;
        break;
      case ResourceEphemeralStorage:
        this.ephemeralStorage = v;
        break;
      case ResourcePods:
        this.allowedPodNumber = v;
        break;
      default:
        this.setScalar(name, v);
    }
  }

  /** True when nothing is requested. */
  isZero(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    if (this.scalarResources) for (const v of this.scalarResources.values()) if (v !== 0) return false;
    return true;
  }
}

/**
 * The integer amount of a quantity as the scheduler counts `name`: milli-units for cpu, whole units
 * (rounded up, as Quantity.Value does) otherwise. An unparsable quantity counts as 0 (the apiserver
 * validates them; a bad one cannot reach us).
 */
export function quantityAmount(name: string, q: string | number | undefined): number {
  if (q === undefined) return 0;
  const text = String(q);
  const key = name === ResourceCPU ? `m${text}` : text;
  const hit = amountCache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseQuantity(text);
  const amount = parsed.quantity ? Number(name === ResourceCPU ? parsed.quantity.milliValue() : parsed.quantity.value()) : 0;
  // Pods of one workload repeat the same few request strings; the cache is bounded and starts over when full.
  if (amountCache.size >= amountCacheLimit) amountCache.clear();
  amountCache.set(key, amount);
  return amount;
}

/** quantityAmount's memo: quantity text (prefixed with 'm' when counted in milli-units) → amount. */
const amountCache = new Map<string, number>();
const amountCacheLimit = 4096;

/** A ResourceList (name → quantity) as a Resource. */
export function resourceFromList(list: Readonly<Record<string, string | number>> | undefined): Resource {
  const r = new Resource();
  if (!list) return r;
  for (const name of Object.keys(list)) r.set(name, quantityAmount(name, list[name]));
  return r;
}

/** Per-container requests, with `defaults` filled in for resources the container leaves out. */
function containerRequests(c: Container, defaults: Readonly<Record<string, number>> | undefined): Resource {
  const requests = c.resources?.requests;
  const r = resourceFromList(requests);
  if (defaults) {
    for (const name of Object.keys(defaults)) {
      if (requests === undefined || !(name in requests)) r.set(name, defaults[name]);
    }
  }
  return r;
}

function maxInto(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalarResources) for (const [name, v] of r.scalarResources) into.setScalar(name, Math.max(into.scalar(name), v));
}

export interface PodRequestsOptions {
  /** Amounts assumed for containers that do not state a request for a resource (cpu in milli-units). */
  nonMissingContainerRequests?: Readonly<Record<string, number>>;
  /** Leave spec.overhead out. */
  excludeOverhead?: boolean;
}

/**
 * What a pod requests, as upstream's resourcehelper.PodRequests: the sum of regular containers and
 * restartable init containers (sidecars); then the peak over init containers, where a regular init
 * container runs beside every sidecar started before it; the larger of the two; plus spec.overhead.
 * Pod-level requests (spec.resources.requests), where set, replace the container aggregate for that resource.
 */
export function podRequests(pod: Pod, opts: PodRequestsOptions = {}): Resource {
  const spec = pod.spec;
  const reqs = new Resource();
  if (!spec) return reqs;
  const defaults = opts.nonMissingContainerRequests;
  for (const c of spec.containers ?? []) reqs.add(containerRequests(c, defaults));
  if (spec.initContainers && spec.initContainers.length > 0) {
    const sidecars = new Resource();
    const initPeak = new Resource();
    for (const c of spec.initContainers) {
      let r = containerRequests(c, defaults);
      if (c.restartPolicy === 'Always') {
        reqs.add(r);
        sidecars.add(r);
        r = sidecars.clone();
      } else {
        r.add(sidecars);
      }
      maxInto(initPeak, r);
    }
    maxInto(reqs, initPeak);
  }
  const podLevel = spec.resources?.requests;
  if (podLevel) {
    for (const name of [ResourceCPU, ResourceMemory]) {
      if (name in podLevel) reqs.set(name, quantityAmount(name, podLevel[name]));
    }
  }
  if (!opts.excludeOverhead && spec.overhead) reqs.add(resourceFromList(spec.overhead));
  return reqs;
}

/** The requests used for spreading scores: cpu and memory with upstream's defaults for unset requests. */
export const nonZeroDefaults: Readonly<Record<string, number>> = {
  [ResourceCPU]: DefaultMilliCPURequest,
  [ResourceMemory]: DefaultMemoryRequest,
};

/** Scalar resources: extended (domain/name outside kubernetes.io), hugepages-*, attachable-volumes-*. */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}
