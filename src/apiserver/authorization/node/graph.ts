// The Node authorizer's graph (upstream plugin/pkg/auth/authorizer/node/graph.go, flattened): which
// secrets, configmaps, PVCs, PVs, service accounts, resource claims and volume attachments each node may
// reach through the pods bound to it. Kept current from watches of pods, PVs and VolumeAttachments.

import type { StoreEventHandler } from '../store-informer.js';
import { podReferences, type PodLike, type ReferenceType } from './pod-references.js';

export type VertexType = ReferenceType | 'pv' | 'volumeattachment';

interface PersistentVolumeLike {
  metadata: { name?: string };
  spec?: { claimRef?: { name?: string; namespace?: string } } & Record<string, unknown>;
}

interface VolumeAttachmentLike {
  metadata: { name?: string };
  spec?: { nodeName?: string };
}

type Obj = Record<string, unknown> | undefined;

/** Secrets a PV's source names (CSI publish/stage/expand secrets, in-tree secretRefs), with their namespaces. */
function pvSecrets(pv: PersistentVolumeLike): Array<{ namespace: string; name: string }> {
  const out: Array<{ namespace: string; name: string }> = [];
  for (const [key, source] of Object.entries(pv.spec ?? {})) {
    if (key === 'claimRef' || !source || typeof source !== 'object') continue;
    for (const [field, ref] of Object.entries(source as Record<string, unknown>)) {
      if (!/secretref$/i.test(field) || !ref || typeof ref !== 'object') continue;
      const r = ref as Obj;
      if (typeof r?.name === 'string' && r.name) out.push({ namespace: typeof r.namespace === 'string' ? r.namespace : '', name: r.name });
    }
    const s = source as Obj;
    if (typeof s?.secretName === 'string' && s.secretName) out.push({ namespace: typeof s.secretNamespace === 'string' ? s.secretNamespace : '', name: s.secretName });
  }
  return out;
}

const refKey = (type: string, namespace: string, name: string): string => `${type}\0${namespace}\0${name}`;

export class NodeGraph {
  /** pod namespace/name → its node and the reference keys it contributes. */
  private readonly pods = new Map<string, { node: string; keys: string[] }>();
  /** node → reference key → how many of the node's pods refer to it. */
  private readonly reachable = new Map<string, Map<string, number>>();
  /** pv name → the claim it is bound to, and the secrets it names. */
  private readonly pvs = new Map<string, { claim?: { namespace: string; name: string }; secrets: Array<{ namespace: string; name: string }> }>();
  /** secret namespace/name → PVs naming it. */
  private readonly pvsBySecret = new Map<string, Set<string>>();
  /** volumeattachment name → node. */
  private readonly attachments = new Map<string, string>();

  // ---- pods ----

  setPod(pod: PodLike): void {
    const id = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    this.deletePod(id);
    const node = pod.spec?.nodeName;
    if (!node) return;
    const ns = pod.metadata.namespace ?? '';
    const keys = podReferences(pod).map((r) => refKey(r.type, ns, r.name));
    let counts = this.reachable.get(node);
    if (!counts) this.reachable.set(node, (counts = new Map()));
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    this.pods.set(id, { node, keys });
  }

  deletePod(id: string): void {
    const entry = this.pods.get(id);
    if (!entry) return;
    this.pods.delete(id);
    const counts = this.reachable.get(entry.node);
    if (!counts) return;
    for (const k of entry.keys) {
      const n = (counts.get(k) ?? 0) - 1;
      if (n > 0) counts.set(k, n);
      else counts.delete(k);
    }
    if (counts.size === 0) this.reachable.delete(entry.node);
  }

  // ---- persistent volumes ----

  setPV(pv: PersistentVolumeLike): void {
    const name = pv.metadata.name ?? '';
    this.deletePV(name);
    const ref = pv.spec?.claimRef;
    const claim = ref?.name ? { namespace: ref.namespace ?? '', name: ref.name } : undefined;
    const secrets = pvSecrets(pv);
    this.pvs.set(name, { claim, secrets });
    for (const s of secrets) {
      const k = `${s.namespace}/${s.name}`;
      let set = this.pvsBySecret.get(k);
      if (!set) this.pvsBySecret.set(k, (set = new Set()));
      set.add(name);
    }
  }

  deletePV(name: string): void {
    const entry = this.pvs.get(name);
    if (!entry) return;
    this.pvs.delete(name);
    for (const s of entry.secrets) {
      const k = `${s.namespace}/${s.name}`;
      this.pvsBySecret.get(k)?.delete(name);
      if (this.pvsBySecret.get(k)?.size === 0) this.pvsBySecret.delete(k);
    }
  }

  // ---- volume attachments ----

  setVolumeAttachment(va: VolumeAttachmentLike): void {
    const name = va.metadata.name ?? '';
    if (va.spec?.nodeName) this.attachments.set(name, va.spec.nodeName);
    else this.attachments.delete(name);
  }

  deleteVolumeAttachment(name: string): void {
    this.attachments.delete(name);
  }

  // ---- queries ----

  private podsReach(node: string, type: ReferenceType, namespace: string, name: string): boolean {
    return (this.reachable.get(node)?.get(refKey(type, namespace, name)) ?? 0) > 0;
  }

  private pvReachable(node: string, pvName: string): boolean {
    const claim = this.pvs.get(pvName)?.claim;
    return !!claim && this.podsReach(node, 'pvc', claim.namespace, claim.name);
  }

  /** Upstream hasPathFrom: whether the object is reachable from the node (namespace "" for PVs and attachments). */
  hasPathFrom(node: string, type: VertexType, namespace: string, name: string): boolean {
    switch (type) {
      case 'pv':
        return this.pvReachable(node, name);
      case 'volumeattachment':
        return this.attachments.get(name) === node;
      case 'secret':
        if (this.podsReach(node, 'secret', namespace, name)) return true;
        for (const pv of this.pvsBySecret.get(`${namespace}/${name}`) ?? []) if (this.pvReachable(node, pv)) return true;
        return false;
      default:
        return this.podsReach(node, type, namespace, name);
    }
  }

  // ---- informer handlers ----

  podHandler(): StoreEventHandler<PodLike> {
    const id = (p: PodLike): string => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
    return {
      onReplace: (pods) => {
        for (const k of [...this.pods.keys()]) this.deletePod(k);
        for (const p of pods) this.setPod(p);
      },
      onAdd: (p) => this.setPod(p),
      onUpdate: (_o, p) => this.setPod(p),
      onDelete: (p) => this.deletePod(id(p)),
    };
  }

  pvHandler(): StoreEventHandler<PersistentVolumeLike> {
    return {
      onReplace: (pvs) => {
        for (const k of [...this.pvs.keys()]) this.deletePV(k);
        for (const pv of pvs) this.setPV(pv);
      },
      onAdd: (pv) => this.setPV(pv),
      onUpdate: (_o, pv) => this.setPV(pv),
      onDelete: (pv) => this.deletePV(pv.metadata.name ?? ''),
    };
  }

  volumeAttachmentHandler(): StoreEventHandler<VolumeAttachmentLike> {
    return {
      onReplace: (vas) => {
        this.attachments.clear();
        for (const va of vas) this.setVolumeAttachment(va);
      },
      onAdd: (va) => this.setVolumeAttachment(va),
      onUpdate: (_o, va) => this.setVolumeAttachment(va),
      onDelete: (va) => this.deleteVolumeAttachment(va.metadata.name ?? ''),
    };
  }
}
