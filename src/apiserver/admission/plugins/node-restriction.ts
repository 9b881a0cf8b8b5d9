// NodeRestriction (upstream plugin/pkg/admission/noderestriction): a kubelet (user system:node:<name> in
// group system:nodes) may write only its own Node (no taint changes, no labels it could use to attract
// workloads), mirror pods bound to itself, the status of its own pods, evictions of its own pods, its own
// Lease, and tokens for pods on itself.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { systemNodes, type UserInfo } from '../../authentication/interface.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { mirrorPodAnnotation } from './service-account.js';

export const nodeRestrictionPluginName = 'NodeRestriction';
const nodeUserPrefix = 'system:node:';

/** The node a user is (upstream nodeidentifier): `{ isNode: false }` for anyone else. */
export function nodeIdentity(user: UserInfo): { isNode: boolean; nodeName: string } {
  if (!user.groups.includes(systemNodes) || !user.name.startsWith(nodeUserPrefix)) return { isNode: false, nodeName: '' };
  return { isNode: true, nodeName: user.name.slice(nodeUserPrefix.length) };
}

/** Label keys a kubelet may set on its own Node (upstream kubeletapis.IsKubeletLabel). */
const kubeletLabels = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
]);
const kubeletLabelNamespaces = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const inDomain = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

/** Labels a node may not set or change: node-restriction.kubernetes.io/*, and kubernetes.io/k8s.io ones not reserved for kubelets. */
function forbiddenLabels(keys: Iterable<string>): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const i = key.indexOf('/');
    const ns = i < 0 ? '' : key.slice(0, i);
    if (inDomain(ns, 'node-restriction.kubernetes.io')) out.push(key);
    else if ((inDomain(ns, 'kubernetes.io') || inDomain(ns, 'k8s.io')) && !kubeletLabels.has(key) && !kubeletLabelNamespaces.some((d) => inDomain(ns, d))) out.push(key);
  }
  return out.sort();
}

/** Keys added, removed or changed between two label maps. */
function modifiedLabels(next: Record<string, string> | undefined, old: Record<string, string> | undefined): Set<string> {
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(next ?? {})) if (old?.[k] !== v) keys.add(k);
  for (const k of Object.keys(old ?? {})) if (!(k in (next ?? {}))) keys.add(k);
  return keys;
}

export function newNodeRestriction(opts: { reader: ObjectReader }): AdmissionPlugin {
  const forbid = (attrs: AdmissionAttributes, msg: string) => newAdmissionForbidden(attrs, msg);

  async function admitPodCreate(attrs: AdmissionAttributes, nodeName: string): Promise<void> {
    const pod = attrs.object as corev1.Pod;
    if (pod.metadata?.annotations?.[mirrorPodAnnotation] === undefined) {
      throw forbid(attrs, `pod does not have "${mirrorPodAnnotation}" annotation, node "${nodeName}" can only create mirror pods`);
    }
    if (pod.spec?.nodeName !== nodeName) throw forbid(attrs, `node "${nodeName}" can only create pods with spec.nodeName set to itself`);
    const owners = pod.metadata?.ownerReferences ?? [];
    if (owners.length > 1) throw forbid(attrs, `node "${nodeName}" can only create pods with a single owner reference set to itself`);
    if (owners.length === 1) {
      const o = owners[0];
      if (!o.controller) throw forbid(attrs, `node "${nodeName}" can only create pods with a controller owner reference set to itself`);
      if (o.apiVersion !== 'v1' || o.kind !== 'Node' || o.name !== nodeName) throw forbid(attrs, `node "${nodeName}" can only create pods with an owner reference set to itself`);
    }
    const spec = pod.spec;
    if (spec?.serviceAccountName) throw forbid(attrs, `node "${nodeName}" can not create pods that reference service accounts`);
    for (const v of spec?.volumes ?? []) {
      if (v.secret || v.projected?.sources?.some((s) => s.secret)) throw forbid(attrs, `node "${nodeName}" can not create pods that reference secrets`);
      if (v.configMap || v.projected?.sources?.some((s) => s.configMap)) throw forbid(attrs, `node "${nodeName}" can not create pods that reference configmaps`);
      if (v.persistentVolumeClaim || v.ephemeral) throw forbid(attrs, `node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
      if (v.projected?.sources?.some((s) => s.clusterTrustBundle)) throw forbid(attrs, `node "${nodeName}" can not create pods that use clustertrustbundles`);
    }
    const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
    for (const c of containers) {
      if (c.env?.some((e) => e.valueFrom?.secretKeyRef) || c.envFrom?.some((e) => e.secretRef)) throw forbid(attrs, `node "${nodeName}" can not create pods that reference secrets`);
      if (c.env?.some((e) => e.valueFrom?.configMapKeyRef) || c.envFrom?.some((e) => e.configMapRef)) throw forbid(attrs, `node "${nodeName}" can not create pods that reference configmaps`);
    }
    if (spec?.resourceClaims?.length) throw forbid(attrs, `node "${nodeName}" can not create pods that reference resourceclaims`);
  }

  async function admitPod(attrs: AdmissionAttributes, nodeName: string): Promise<void> {
    switch (attrs.subresource) {
      case '':
        if (attrs.operation === 'CREATE') return admitPodCreate(attrs, nodeName);
        if (attrs.operation === 'DELETE') {
          const existing = attrs.oldObject as corev1.Pod | undefined;
          if (existing && existing.spec?.nodeName !== nodeName) throw forbid(attrs, `node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
          return;
        }
        throw forbid(attrs, `unexpected operation ${attrs.operation}, node "${nodeName}" can only create and delete mirror pods`);
      case 'status': {
        const old = attrs.oldObject as corev1.Pod | undefined;
        if (old?.spec?.nodeName !== nodeName) throw forbid(attrs, `node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
        const next = attrs.object as corev1.Pod | undefined;
        if (modifiedLabels(next?.metadata?.labels, old?.metadata?.labels).size) throw forbid(attrs, `node "${nodeName}" cannot update labels through pod status`);
        return;
      }
      case 'eviction': {
        const pod = (await opts.reader.get({ group: '', resource: 'pods' }, attrs.namespace, attrs.name)) as corev1.Pod | undefined;
        if (pod && pod.spec?.nodeName !== nodeName) throw forbid(attrs, `node ${nodeName} can only evict pods with spec.nodeName set to itself`);
        return;
      }
      default:
        throw forbid(attrs, `unexpected pod subresource "${attrs.subresource}", only 'status' and 'eviction' are allowed`);
    }
  }

  function admitNode(attrs: AdmissionAttributes, nodeName: string): void {
    if (attrs.name !== nodeName) throw forbid(attrs, `node "${nodeName}" is not allowed to modify node "${attrs.name}"`);
    const node = attrs.object as corev1.Node | undefined;
    const old = attrs.oldObject as corev1.Node | undefined;
    if (attrs.operation === 'CREATE' && node) {
      const bad = forbiddenLabels(Object.keys(node.metadata?.labels ?? {}));
      if (bad.length) throw forbid(attrs, `node "${nodeName}" is not allowed to set the following labels: ${bad.join(', ')}`);
    }
    if (attrs.operation === 'UPDATE' && node && old) {
      if (JSON.stringify(node.spec?.taints ?? []) !== JSON.stringify(old.spec?.taints ?? [])) throw forbid(attrs, `node "${nodeName}" is not allowed to modify taints`);
      const bad = forbiddenLabels(modifiedLabels(node.metadata?.labels, old.metadata?.labels));
      if (bad.length) throw forbid(attrs, `is not allowed to modify labels: ${bad.join(', ')}`);
    }
  }

  function admitLease(attrs: AdmissionAttributes, nodeName: string): void {
    if (attrs.namespace !== 'kube-node-lease') throw forbid(attrs, 'can only access leases in the "kube-node-lease" namespace');
    if (attrs.name !== nodeName) throw forbid(attrs, 'can only access node lease with the same name as the requesting node');
  }

  async function admitServiceAccountToken(attrs: AdmissionAttributes, nodeName: string): Promise<void> {
    const ref = (attrs.object as { spec?: { boundObjectRef?: { kind?: string; name?: string; uid?: string } } } | undefined)?.spec?.boundObjectRef;
    if (!ref || ref.kind !== 'Pod') throw forbid(attrs, 'node requested token not bound to a pod');
    const pod = (await opts.reader.get({ group: '', resource: 'pods' }, attrs.namespace, ref.name ?? '')) as corev1.Pod | undefined;
    if (!pod) throw forbid(attrs, `node requested token bound to a pod that does not exist`);
    if (ref.uid && ref.uid !== pod.metadata?.uid) throw forbid(attrs, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    if (pod.spec?.nodeName !== nodeName) throw forbid(attrs, 'node requested token bound to a pod scheduled on a different node');
  }

  return {
    name: nodeRestrictionPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE' || op === 'DELETE',
    async validate(attrs) {
      const { isNode, nodeName } = nodeIdentity(attrs.user);
      if (!isNode) return;
      if (!nodeName) throw forbid(attrs, `could not determine node from user "${attrs.user.name}"`);
      const { group, resource } = attrs.resource;
      if (group === '' && resource === 'pods') return admitPod(attrs, nodeName);
      if (group === '' && resource === 'nodes') return admitNode(attrs, nodeName);
      if (group === 'coordination.k8s.io' && resource === 'leases') return admitLease(attrs, nodeName);
      if (group === '' && resource === 'serviceaccounts' && attrs.subresource === 'token') return admitServiceAccountToken(attrs, nodeName);
      if (group === 'storage.k8s.io' && resource === 'csinodes' && attrs.name !== nodeName) {
        throw forbid(attrs, `node "${nodeName}" is not allowed to modify object "${attrs.name}"`);
      }
    },
  };
}
