// A hand-written LookupPatchMeta for unit tests of the engine (apimachinery cannot use src/api's generated
// tables): the fields of Pods, Deployments and PodDisruptionBudgets the tests touch, with upstream's tags.
import { noPatchMeta, opaquePatchMeta, parsePatchStrategies, type LookupPatchMeta, type PatchMetaLookup } from '../patch-meta.js';

/** A field: its tags, and what it holds (a struct, a list of structs or scalars, a map, or free-form JSON). */
interface Field {
  strategy?: string;
  key?: string;
  struct?: () => Struct;
  list?: (() => Struct) | 'scalar';
  map?: true;
  opaque?: true;
}
type Struct = { name: string; fields: Record<string, Field> };

const nonStruct = (kind: string): LookupPatchMeta => {
  const failure: PatchMetaLookup = { error: `merging an object in json but data type is not struct, instead is: ${kind}` };
  return { lookupPatchMetadataForStruct: () => failure, lookupPatchMetadataForSlice: () => failure, name: () => kind };
};

function schemaOf(struct: Struct): LookupPatchMeta {
  const lookup = (key: string, slice: boolean): PatchMetaLookup => {
    const field = Object.hasOwn(struct.fields, key) ? struct.fields[key]! : undefined;
    if (!field) return { error: `unable to find api field in struct ${struct.name} for the json field "${key}"` };
    const meta = field.strategy || field.key ? { patchStrategies: parsePatchStrategies(field.strategy), patchMergeKey: field.key ?? '' } : noPatchMeta;
    if (slice && !field.list) return { error: 'expected slice or array type, but got: struct' };
    if (field.opaque) return { schema: opaquePatchMeta, meta };
    if (slice) return { schema: field.list === 'scalar' ? nonStruct('string') : schemaOf(field.list!()), meta };
    if (field.struct) return { schema: schemaOf(field.struct()), meta };
    return { schema: nonStruct(field.map ? 'map' : field.list ? 'slice' : 'string'), meta };
  };
  return { lookupPatchMetadataForStruct: (k) => lookup(k, false), lookupPatchMetadataForSlice: (k) => lookup(k, true), name: () => 'struct' };
}

const scalar: Field = {};
const objectMeta = (): Struct => ({
  name: 'ObjectMeta',
  fields: { name: scalar, labels: { map: true }, annotations: { map: true }, finalizers: { strategy: 'merge', list: 'scalar' }, ownerReferences: { strategy: 'merge', key: 'uid', list: () => ({ name: 'OwnerReference', fields: { uid: scalar, name: scalar } }) } },
});
const container = (): Struct => ({
  name: 'Container',
  fields: {
    name: scalar,
    image: scalar,
    args: { list: 'scalar' },
    imagePullPolicy: scalar,
    env: { strategy: 'merge', key: 'name', list: () => ({ name: 'EnvVar', fields: { name: scalar, value: scalar } }) },
    ports: { strategy: 'merge', key: 'containerPort', list: () => ({ name: 'ContainerPort', fields: { containerPort: scalar, protocol: scalar, name: scalar } }) },
    volumeMounts: { strategy: 'merge', key: 'mountPath', list: () => ({ name: 'VolumeMount', fields: { name: scalar, mountPath: scalar } }) },
  },
});
const volume = (): Struct => ({
  name: 'Volume',
  fields: { name: scalar, emptyDir: { struct: () => ({ name: 'EmptyDirVolumeSource', fields: { medium: scalar } }) }, hostPath: { struct: () => ({ name: 'HostPathVolumeSource', fields: { path: scalar } }) } },
});
const podSpec = (): Struct => ({
  name: 'PodSpec',
  fields: {
    containers: { strategy: 'merge', key: 'name', list: container },
    initContainers: { strategy: 'merge', key: 'name', list: container },
    volumes: { strategy: 'merge,retainKeys', key: 'name', list: volume },
    tolerations: { list: () => ({ name: 'Toleration', fields: { key: scalar } }) },
    nodeSelector: { map: true },
    hostname: scalar,
    affinity: { struct: () => ({ name: 'Affinity', fields: { nodeAffinity: { opaque: true }, podAffinity: { opaque: true }, podAntiAffinity: { opaque: true } } }) },
  },
});
const typeMeta = { apiVersion: scalar, kind: scalar };

/** core/v1 Pod. */
export const testPodSchema = schemaOf({ name: 'Pod', fields: { ...typeMeta, metadata: { struct: objectMeta }, spec: { struct: podSpec } } });

/** apps/v1 Deployment. */
export const testDeploymentSchema = schemaOf({
  name: 'Deployment',
  fields: {
    ...typeMeta,
    metadata: { struct: objectMeta },
    spec: {
      struct: () => ({
        name: 'DeploymentSpec',
        fields: {
          replicas: scalar,
          paused: scalar,
          progressDeadlineSeconds: scalar,
          selector: { opaque: true },
          strategy: { strategy: 'retainKeys', struct: () => ({ name: 'DeploymentStrategy', fields: { type: scalar, rollingUpdate: { opaque: true } } }) },
          template: { struct: () => ({ name: 'PodTemplateSpec', fields: { metadata: { struct: objectMeta }, spec: { struct: podSpec } } }) },
        },
      }),
    },
  },
});

/** policy/v1 PodDisruptionBudget: its selector has patch strategy "replace". */
export const testPDBSchema = schemaOf({
  name: 'PodDisruptionBudget',
  fields: {
    ...typeMeta,
    metadata: { struct: objectMeta },
    spec: { struct: () => ({ name: 'PodDisruptionBudgetSpec', fields: { minAvailable: scalar, selector: { strategy: 'replace', opaque: true } } }) },
  },
});
