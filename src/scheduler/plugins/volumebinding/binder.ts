// The volume binder (upstream volumebinding/binder.go, reduced to what k8ts has): sorts a pod's claims into
// bound / delayed (WaitForFirstConsumer) / immediate, checks bound PVs' node affinity, and for delayed claims
// finds the smallest matching Available PV on a node, else checks that the class can provision there.
import type { NodeSelector, PersistentVolume, PersistentVolumeClaim, Pod, TopologySelectorTerm } from '../../../api/generated/core/v1.js';
import type { Node } from '../../../api/generated/core/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import { CompiledNodeSelector } from '../../framework/node-selector.js';
import { claimClass, notFoundMessage, podClaimNames, type VolumeListers } from './listers.js';

export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ErrReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ErrUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';

export const noProvisioner = 'kubernetes.io/no-provisioner';

export interface PodVolumeClaims {
  bound: PersistentVolumeClaim[];
  /** Unbound claims of WaitForFirstConsumer classes: bound by the scheduler. */
  delayed: PersistentVolumeClaim[];
  /** Unbound claims of Immediate classes: the PV controller's job; the pod waits. */
  immediate: PersistentVolumeClaim[];
}

/** A claim to PV pairing chosen on a node. */
export interface StaticBinding {
  pvc: PersistentVolumeClaim;
  pv: PersistentVolume;
}

export interface PodVolumes {
  staticBindings: StaticBinding[];
  /** Claims a provisioner will create a volume for once the node is selected. */
  dynamicProvisions: PersistentVolumeClaim[];
}

export const claimKey = (pvc: PersistentVolumeClaim): string => `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;

/** The pod's claims sorted by binding state, or an error message (a missing or terminating claim, a missing class). */
export function podVolumeClaims(pod: Pod, listers: VolumeListers): PodVolumeClaims | { error: string; notFound: boolean } {
  const out: PodVolumeClaims = { bound: [], delayed: [], immediate: [] };
  const ns = pod.metadata?.namespace ?? '';
  for (const name of podClaimNames(pod)) {
    const pvc = listers.pvc(ns, name);
    if (!pvc) return { error: notFoundMessage('persistentvolumeclaim', name), notFound: true };
    if (pvc.metadata?.deletionTimestamp) return { error: `persistentvolumeclaim ${JSON.stringify(name)} is being deleted`, notFound: true };
    if (pvc.spec?.volumeName) {
      out.bound.push(pvc);
      continue;
    }
    const className = claimClass(pvc);
    const sc = className ? listers.storageClass(className) : undefined;
    if (className && !sc) return { error: notFoundMessage('storageclass.storage.k8s.io', className), notFound: true };
    (sc?.volumeBindingMode === 'WaitForFirstConsumer' ? out.delayed : out.immediate).push(pvc);
  }
  return out;
}

/** PV node affinity (spec.nodeAffinity.required) against the node; no affinity matches every node. */
export function pvMatchesNode(pv: PersistentVolume, node: Node): boolean {
  const required: NodeSelector | undefined = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  return new CompiledNodeSelector(required).match(node);
}

/** Upstream MatchTopologySelectorTerms: no terms match everything; otherwise any term whose expressions all hold. */
export function matchTopologySelectorTerms(terms: readonly TopologySelectorTerm[] | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((r) => labels?.[r.key] !== undefined && r.values.includes(labels[r.key])));
}

function storageOf(x: Record<string, string> | undefined): bigint {
  const q = x?.storage;
  if (q === undefined) return 0n;
  const r = parseQuantity(String(q));
  return 'quantity' in r && r.quantity ? r.quantity.value() : 0n;
}

/** Whether `pv` can satisfy `pvc` (class, not claimed by another, modes, size, selector), ignoring nodes. */
export function pvSatisfiesClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (pv.metadata?.deletionTimestamp) return false;
  if ((pv.spec?.storageClassName ?? '') !== claimClass(pvc)) return false;
  const ref = pv.spec?.claimRef;
  if (ref && (ref.namespace !== pvc.metadata?.namespace || ref.name !== pvc.metadata?.name || (ref.uid && ref.uid !== pvc.metadata?.uid))) return false;
  if (!ref && pv.status?.phase && pv.status.phase !== 'Available' && pv.status.phase !== 'Pending') return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  if (storageOf(pv.spec?.capacity) < storageOf(pvc.spec?.resources?.requests)) return false;
  if (pvc.spec?.selector) {
    try {
      if (!labelSelectorAsSelector(pvc.spec.selector).matches(pv.metadata?.labels)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export interface FindResult {
  podVolumes: PodVolumes;
  /** Upstream's reasons, in its order. */
  reasons: string[];
}

/**
 * The PVs that could serve each delayed claim regardless of node (class, modes, size, selector), smallest
 * first — computed once per cycle so that Filter only checks node affinity.
 */
export function candidateVolumes(claims: readonly PersistentVolumeClaim[], pvs: readonly PersistentVolume[]): Map<string, PersistentVolume[]> {
  const out = new Map<string, PersistentVolume[]>();
  for (const pvc of claims) {
    const matching = pvs.filter((pv) => pvSatisfiesClaim(pv, pvc));
    // A PV pre-bound to the claim comes first; then the smallest.
    matching.sort((a, b) => Number(!!b.spec?.claimRef) - Number(!!a.spec?.claimRef) || compareBig(storageOf(a.spec?.capacity), storageOf(b.spec?.capacity)));
    out.set(claimKey(pvc), matching);
  }
  return out;
}

const compareBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export interface FindOptions {
  listers: VolumeListers;
  /** candidateVolumes of the pod's delayed claims. */
  candidates: ReadonlyMap<string, readonly PersistentVolume[]>;
  /** PVs set aside for pods already assumed (PV name → claim key): not offered to other claims. */
  assumed: ReadonlyMap<string, string>;
}

/** Upstream FindPodVolumes for one node. */
export function findPodVolumes(claims: PodVolumeClaims, node: Node, o: FindOptions): FindResult {
  const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  let boundSatisfied = true;
  let boundPVsFound = true;
  for (const pvc of claims.bound) {
    const pv = o.listers.pv(pvc.spec?.volumeName ?? '');
    if (!pv) {
      boundPVsFound = false;
      continue;
    }
    if (!pvMatchesNode(pv, node)) boundSatisfied = false;
  }
  let unboundSatisfied = true;
  if (claims.delayed.length > 0) {
    const chosen = new Set<string>();
    const toProvision: PersistentVolumeClaim[] = [];
    for (const pvc of claims.delayed) {
      let best: PersistentVolume | undefined;
      // Candidates come pre-bound first, then smallest first: the first that fits the node wins.
      for (const pv of o.candidates.get(claimKey(pvc)) ?? []) {
        const name = pv.metadata?.name ?? '';
        const assumedFor = o.assumed.get(name);
        if (chosen.has(name) || (assumedFor !== undefined && assumedFor !== claimKey(pvc))) continue;
        if (!pvMatchesNode(pv, node)) continue;
        best = pv;
        break;
      }
      if (best) {
        chosen.add(best.metadata?.name ?? '');
        podVolumes.staticBindings.push({ pvc, pv: best });
      } else {
        toProvision.push(pvc);
      }
    }
    for (const pvc of toProvision) {
      const sc = o.listers.storageClass(claimClass(pvc));
      if (!sc || !sc.provisioner || sc.provisioner === noProvisioner || !matchTopologySelectorTerms(sc.allowedTopologies, node.metadata?.labels)) {
        unboundSatisfied = false;
        break;
      }
      podVolumes.dynamicProvisions.push(pvc);
    }
  }
  const reasons: string[] = [];
  if (!boundSatisfied) reasons.push(ErrReasonNodeConflict);
  if (!unboundSatisfied) reasons.push(ErrReasonBindConflict);
  if (!boundPVsFound) reasons.push(ErrReasonPVNotExist);
  return { podVolumes, reasons };
}
