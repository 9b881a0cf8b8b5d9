// Which PersistentVolume a claim binds to (upstream pkg/controller/volume/persistentvolume findMatchingVolume
// and the access-mode index): a volume pre-bound to the claim wins; otherwise the smallest Available volume
// of the claim's class whose access modes include the claim's, whose capacity covers the request, whose
// volumeMode equals the claim's, whose labels match the claim's selector, and — for claims that wait for
// their first consumer — whose node affinity admits the selected node.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import { nodeSelectorMatches } from '../../node-selector.js';

export const annBindCompleted = 'pv.kubernetes.io/bind-completed';
export const annBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const annSelectedNode = 'volume.kubernetes.io/selected-node';
export const annStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const annBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
export const annDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by';
const annBetaClass = 'volume.beta.kubernetes.io/storage-class';

/** The claim's class: spec.storageClassName, else the beta annotation, else "" (upstream GetPersistentVolumeClaimClass). */
export function claimClass(claim: corev1.PersistentVolumeClaim): string {
  return claim.metadata?.annotations?.[annBetaClass] ?? claim.spec?.storageClassName ?? '';
}

/** The volume's class: the beta annotation, else spec.storageClassName, else "" (upstream GetPersistentVolumeClass). */
export function volumeClass(pv: corev1.PersistentVolume): string {
  return pv.metadata?.annotations?.[annBetaClass] ?? pv.spec?.storageClassName ?? '';
}

/** Whether `pv.spec.claimRef` names this claim (its uid too, when the reference carries one). */
export function isVolumeBoundToClaim(pv: corev1.PersistentVolume, claim: corev1.PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

function storage(q: Record<string, string> | undefined): Quantity | undefined {
  const text = q?.storage;
  if (text === undefined) return undefined;
  const r = parseQuantity(String(text));
  return 'quantity' in r ? r.quantity : undefined;
}

const volumeModeOf = (m: string | undefined): string => m || 'Filesystem';

export interface MatchOptions {
  /** The claim waits for its first consumer (its class is WaitForFirstConsumer). */
  delayBinding: boolean;
  /** The node the scheduler selected (the claim's selected-node annotation), when known. */
  node?: corev1.Node;
}

/**
 * The volume `claim` should bind to, or undefined. Volumes pre-bound to the claim are returned whatever
 * their phase (they still must fit the claim's volumeMode and the selected node); volumes with another
 * claimRef, or not Available, or being deleted, are never chosen.
 */
export function findMatchingVolume(claim: corev1.PersistentVolumeClaim, volumes: readonly corev1.PersistentVolume[], opts: MatchOptions): corev1.PersistentVolume | undefined {
  const requested = storage(claim.spec?.resources?.requests);
  const modes = claim.spec?.accessModes ?? [];
  const claimMode = volumeModeOf(claim.spec?.volumeMode);
  const selector = claim.spec?.selector ? labelSelectorAsSelector(claim.spec.selector as Parameters<typeof labelSelectorAsSelector>[0]) : undefined;
  const cls = claimClass(claim);
  const fitsNode = (pv: corev1.PersistentVolume): boolean => {
    const required = pv.spec?.nodeAffinity?.required;
    return !opts.node || !required || nodeSelectorMatches(required, opts.node);
  };
  let best: { pv: corev1.PersistentVolume; size: Quantity } | undefined;
  for (const pv of volumes) {
    if (volumeModeOf(pv.spec?.volumeMode) !== claimMode) continue;
    if (isVolumeBoundToClaim(pv, claim)) {
      if (!fitsNode(pv)) continue;
      return pv;
    }
    if (pv.metadata?.deletionTimestamp || pv.spec?.claimRef) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    if (volumeClass(pv) !== cls) continue;
    if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
    if (opts.delayBinding && !opts.node) continue;
    if (!fitsNode(pv)) continue;
    const size = storage(pv.spec?.capacity);
    if (!size || (requested && size.cmp(requested) < 0)) continue;
    if (!best || best.size.cmp(size) > 0) best = { pv, size };
  }
  return best?.pv;
}
