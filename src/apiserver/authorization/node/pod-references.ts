// What a pod refers to that its node may read (upstream's pod visitors used by the Node authorizer's
// graph): secrets, configmaps, PVCs, the service account and resource claims.

/** A pod as far as the references go (structural: only the fields read here). */
export interface PodLike {
  metadata: { name?: string; namespace?: string };
  spec?: {
    nodeName?: string;
    serviceAccountName?: string;
    imagePullSecrets?: Array<{ name?: string }>;
    volumes?: Array<Record<string, unknown> & { name?: string }>;
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    ephemeralContainers?: ContainerLike[];
    resourceClaims?: Array<{ name?: string; resourceClaimName?: string }>;
  };
  status?: { resourceClaimStatuses?: Array<{ name?: string; resourceClaimName?: string }> };
}

interface ContainerLike {
  env?: Array<{ valueFrom?: { secretKeyRef?: { name?: string }; configMapKeyRef?: { name?: string } } }>;
  envFrom?: Array<{ secretRef?: { name?: string }; configMapRef?: { name?: string } }>;
}

export type ReferenceType = 'secret' | 'configmap' | 'pvc' | 'serviceaccount' | 'resourceclaim';

export interface PodReference {
  type: ReferenceType;
  name: string;
}

type Obj = Record<string, unknown> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Secret names a volume source names through the usual `secretRef`/`secretName` fields of in-tree plugins. */
function volumeSecretNames(source: Obj): string[] {
  if (!source) return [];
  const out: string[] = [];
  const ref = source.secretRef as Obj;
  if (str(ref?.name)) out.push(ref!.name as string);
  if (str(source.secretName)) out.push(source.secretName as string);
  const csiRef = source.nodePublishSecretRef as Obj;
  if (str(csiRef?.name)) out.push(csiRef!.name as string);
  return out;
}

/** Every object the pod refers to, each (type, name) once, all in the pod's namespace. */
export function podReferences(pod: PodLike): PodReference[] {
  const seen = new Set<string>();
  const out: PodReference[] = [];
  const add = (type: ReferenceType, name: string | undefined): void => {
    if (!name) return;
    const k = `${type}\0${name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ type, name });
  };
  const spec = pod.spec ?? {};
  add('serviceaccount', spec.serviceAccountName || 'default');
  for (const s of spec.imagePullSecrets ?? []) add('secret', s.name);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('secret', e.valueFrom?.secretKeyRef?.name);
      add('configmap', e.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add('secret', e.secretRef?.name);
      add('configmap', e.configMapRef?.name);
    }
  }
  for (const v of spec.volumes ?? []) {
    const secret = v.secret as Obj;
    add('secret', str(secret?.secretName));
    const cm = v.configMap as Obj;
    add('configmap', str(cm?.name));
    const projected = v.projected as Obj;
    for (const src of (projected?.sources as Obj[] | undefined) ?? []) {
      add('secret', str((src?.secret as Obj)?.name));
      add('configmap', str((src?.configMap as Obj)?.name));
    }
    add('pvc', str((v.persistentVolumeClaim as Obj)?.claimName));
    // A generic ephemeral volume's claim is named <pod>-<volume>.
    if (v.ephemeral && pod.metadata.name && v.name) add('pvc', `${pod.metadata.name}-${v.name}`);
    for (const [key, source] of Object.entries(v)) {
      if (key === 'secret' || key === 'configMap' || key === 'projected' || key === 'name') continue;
      if (source && typeof source === 'object') for (const n of volumeSecretNames(source as Obj)) add('secret', n);
    }
  }
  for (const c of spec.resourceClaims ?? []) add('resourceclaim', c.resourceClaimName);
  for (const c of pod.status?.resourceClaimStatuses ?? []) add('resourceclaim', c.resourceClaimName);
  return out;
}
