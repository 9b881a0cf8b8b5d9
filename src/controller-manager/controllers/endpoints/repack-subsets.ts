// Endpoints subsets in canonical form (upstream pkg/api/v1/endpoints RepackSubsets): addresses that offer
// the same set of ports share one subset; an address ready for a port wins over not-ready; everything sorted.
import type * as corev1 from '../../../api/generated/core/v1.js';

type Subset = corev1.EndpointSubset;
type Address = corev1.EndpointAddress;
type Port = corev1.EndpointPort;

const addressKey = (a: Address) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: Port) => `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`;

/** upstream LessEndpointAddress: by IP, then by the target's uid. */
export function compareAddresses(a: Address, b: Address): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function comparePorts(a: Port, b: Port): number {
  const ka = portKey(a);
  const kb = portKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Merges subsets by shared port sets and sorts addresses, ports and subsets. Input is not modified. */
export function repackSubsets(subsets: readonly Subset[]): Subset[] {
  // port → (address → ready); ports: undefined stands for "no ports" (headless without ports).
  const byPort = new Map<string, { port: Port | undefined; addresses: Map<string, { address: Address; ready: boolean }> }>();
  const note = (port: Port | undefined, address: Address, ready: boolean) => {
    const pk = port ? portKey(port) : '';
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addresses: new Map() }));
    const ak = addressKey(address);
    const seen = entry.addresses.get(ak);
    if (!seen || (ready && !seen.ready)) entry.addresses.set(ak, { address, ready: ready || (seen?.ready ?? false) });
  };
  for (const s of subsets) {
    const ports: Array<Port | undefined> = s.ports?.length ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(port, a, true);
      for (const a of s.notReadyAddresses ?? []) note(port, a, false);
    }
  }
  // Address sets (with readiness) → the ports they offer.
  const groups = new Map<string, { addresses: Array<{ address: Address; ready: boolean }>; ports: Port[] }>();
  for (const { port, addresses } of byPort.values()) {
    const members = [...addresses.values()];
    const key = members.map((m) => `${addressKey(m.address)}:${m.ready}`).sort().join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { addresses: members, ports: [] }));
    if (port) group.ports.push(port);
  }
  const out: Subset[] = [];
  for (const g of groups.values()) {
    const subset: Subset = {};
    const ready = g.addresses.filter((m) => m.ready).map((m) => m.address).sort(compareAddresses);
    const notReady = g.addresses.filter((m) => !m.ready).map((m) => m.address).sort(compareAddresses);
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (g.ports.length) subset.ports = g.ports.sort(comparePorts);
    out.push(subset);
  }
  const subsetKey = (s: Subset) => `${(s.ports ?? []).map(portKey).join(',')}|${[...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].map(addressKey).join(',')}`;
  return out.sort((a, b) => (subsetKey(a) < subsetKey(b) ? -1 : subsetKey(a) > subsetKey(b) ? 1 : 0));
}

/** upstream's Endpoints capacity: above it, addresses are truncated and the over-capacity annotation set. */
export const maxEndpointsCapacity = 1000;

/**
 * upstream truncateEndpoints: keeps at most maxEndpointsCapacity addresses, ready ones first, each subset
 * keeping its share (rounded up). Returns whether anything was cut; `subsets` are replaced in place.
 */
export function truncateSubsets(subsets: Subset[], max = maxEndpointsCapacity): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= max) return false;
  const truncateReady = totalReady > max;
  const budget = truncateReady ? max : max - totalReady;
  const population = truncateReady ? totalReady : totalNotReady;
  let left = budget;
  for (let i = 0; i < subsets.length; i++) {
    const s = { ...subsets[i] };
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const share = Math.min(Math.ceil((inSubset / population) * budget), left);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, share);
      s.notReadyAddresses = [];
      left -= s.addresses.length;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, share);
      left -= s.notReadyAddresses.length;
    }
    if (!s.addresses?.length) delete s.addresses;
    if (!s.notReadyAddresses?.length) delete s.notReadyAddresses;
    subsets[i] = s;
  }
  return true;
}
