// Planning EndpointSlice writes (the core of upstream's endpointslice reconciler, shared with the mirroring
// controller): given the endpoints a Service should have, grouped by address type and port set, and the
// slices that exist, decide which slices to create, update and delete, touching as few as possible.
import type * as discoveryv1 from '../../../api/generated/discovery/v1.js';
import type { Typed } from '../../../client/typed.js';

export type EndpointSlice = Typed<discoveryv1.EndpointSlice>;
export type Endpoint = discoveryv1.Endpoint;
export type EndpointPort = discoveryv1.EndpointPort;

/** upstream --max-endpoints-per-slice default. */
export const defaultMaxEndpointsPerSlice = 100;

/** The endpoints of one address type and port set. */
export interface DesiredGroup {
  addressType: string;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export interface PlanOptions {
  desired: DesiredGroup[];
  /** The slices this controller manages for the Service (not being deleted). */
  existing: EndpointSlice[];
  maxEndpointsPerSlice: number;
  /** Address type of the placeholder slice kept when there are no endpoints at all; undefined: no placeholder. */
  placeholderAddressType: string | undefined;
  /** A new slice's metadata (labels, annotations, owner, generateName), without endpoints. */
  newSlice(addressType: string, ports: EndpointPort[]): EndpointSlice;
  /** An existing slice with current labels and annotations; `changed` when they differ from before. */
  refreshMeta(slice: EndpointSlice): { slice: EndpointSlice; changed: boolean };
}

/** The identity of an endpoint across syncs: its target (pod uid), else its addresses. */
export function endpointKey(ep: Endpoint): string {
  return ep.targetRef?.uid ? `uid:${ep.targetRef.uid}` : `ip:${[...ep.addresses].sort().join(',')}`;
}

/** A stable key of a port set (order-insensitive). */
export function portsKey(ports: readonly EndpointPort[] | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ''}/${p.port ?? ''}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, jsonOrder) === JSON.stringify(b, jsonOrder);
}

/** Object keys sorted and targetRef resourceVersion dropped, so equal data compares equal. */
function jsonOrder(this: unknown, key: string, value: unknown): unknown {
  if (key === 'resourceVersion') return undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]));
  }
  return value;
}

const isPlaceholder = (s: EndpointSlice) => !s.endpoints?.length && !s.ports?.length;

/** Computes the writes; input slices are not modified. */
export function planSlices(opts: PlanOptions): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const max = Math.max(1, opts.maxEndpointsPerSlice);
  const groupKey = (addressType: string, ports: readonly EndpointPort[] | undefined) => `${addressType}|${portsKey(ports)}`;
  const existingByGroup = new Map<string, EndpointSlice[]>();
  for (const s of opts.existing) {
    const k = groupKey(s.addressType, s.ports);
    existingByGroup.set(k, [...(existingByGroup.get(k) ?? []), s]);
  }
  const unchangedKept: EndpointSlice[] = [];
  for (const group of opts.desired) {
    if (group.endpoints.length === 0) continue;
    const key = groupKey(group.addressType, group.ports);
    const slices = existingByGroup.get(key) ?? [];
    existingByGroup.delete(key);
    const remaining = new Map(group.endpoints.map((ep) => [endpointKey(ep), ep]));
    const updating: EndpointSlice[] = [];
    const unchanged: EndpointSlice[] = [];
    for (const slice of slices) {
      let changed = false;
      const kept: Endpoint[] = [];
      for (const ep of slice.endpoints ?? []) {
        const want = remaining.get(endpointKey(ep));
        if (!want) {
          changed = true;
          continue;
        }
        if (!sameJSON(ep, want)) changed = true;
        kept.push(want);
        remaining.delete(endpointKey(ep));
      }
      if (kept.length === 0) {
        plan.delete.push(slice);
        continue;
      }
      const meta = opts.refreshMeta(slice);
      if (changed || meta.changed) updating.push({ ...meta.slice, endpoints: kept });
      else unchanged.push(slice);
    }
    // What is left goes into slices being written anyway, then into new slices of at most `max`.
    const left = [...remaining.values()];
    for (const slice of updating) {
      while (left.length && slice.endpoints!.length < max) slice.endpoints!.push(left.shift()!);
    }
    const chunks: Endpoint[][] = [];
    for (let i = 0; i < left.length; i += max) chunks.push(left.slice(i, i + max));
    // The last small chunk fits into an unchanged slice with room: one update instead of a create.
    const last = chunks.at(-1);
    const roomy = last ? unchanged.find((s) => (s.endpoints?.length ?? 0) + last.length <= max) : undefined;
    if (last && roomy) {
      chunks.pop();
      unchanged.splice(unchanged.indexOf(roomy), 1);
      updating.push({ ...opts.refreshMeta(roomy).slice, endpoints: [...(roomy.endpoints ?? []), ...last] });
    }
    for (const chunk of chunks) plan.create.push({ ...opts.newSlice(group.addressType, group.ports), endpoints: chunk });
    plan.update.push(...updating);
    unchangedKept.push(...unchanged);
  }
  for (const slices of existingByGroup.values()) plan.delete.push(...slices);

  // No endpoints at all: keep (or create) one placeholder slice without endpoints or ports.
  if (opts.placeholderAddressType !== undefined && plan.create.length + plan.update.length + unchangedKept.length === 0) {
    const placeholder = plan.delete.find((s) => isPlaceholder(s) && s.addressType === opts.placeholderAddressType);
    if (placeholder) {
      plan.delete.splice(plan.delete.indexOf(placeholder), 1);
      const meta = opts.refreshMeta(placeholder);
      if (meta.changed) plan.update.push(meta.slice);
    } else {
      plan.create.push({ ...opts.newSlice(opts.placeholderAddressType, []), endpoints: [] });
    }
  }

  // Creates reuse slices about to be deleted (same address type): an update instead of a create + delete.
  for (let i = 0; i < plan.create.length; i++) {
    const c = plan.create[i];
    const j = plan.delete.findIndex((d) => d.addressType === c.addressType);
    if (j < 0) continue;
    const [reused] = plan.delete.splice(j, 1);
    plan.update.push({ ...opts.refreshMeta(reused).slice, ports: c.ports, endpoints: c.endpoints });
    plan.create.splice(i--, 1);
  }
  return plan;
}
