// fast-check generators for strategic merge patch tests: Deployment-like objects from small value pools (so
// merge keys collide often) and raw patches mixing every directive, well-formed or not.
import fc from 'fast-check';
import type { JSONObject, JSONValue } from '../../json-value.js';

const containerNames = ['a', 'b', 'c', 'd'];
const volumeNames = ['v1', 'v2', 'v3'];
const envNames = ['E1', 'E2', 'E3'];
const mountPaths = ['/m1', '/m2', '/m3'];
const finalizers = ['f1', 'f2', 'f3', 'f4'];
const ports = [53, 80, 443];

const optionalFields = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.record(fields, { requiredKeys: [] }) as unknown as fc.Arbitrary<JSONObject>;

const env = fc.uniqueArray(fc.record({ name: fc.constantFrom(...envNames), value: fc.constantFrom('1', '2', 'x') }), {
  selector: (e) => e.name,
  maxLength: 3,
});
const portList = fc.uniqueArray(
  fc.record({ containerPort: fc.constantFrom(...ports), protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: ['containerPort'] }),
  { selector: (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`, maxLength: 3 },
);
const mounts = fc.uniqueArray(fc.record({ name: fc.constantFrom(...volumeNames), mountPath: fc.constantFrom(...mountPaths) }), {
  selector: (m) => m.mountPath,
  maxLength: 2,
});

const container = (name: string) =>
  optionalFields({
    image: fc.constantFrom('nginx', 'busybox', 'redis:7'),
    args: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }),
    env,
    ports: portList,
    volumeMounts: mounts,
    resources: optionalFields({ limits: optionalFields({ cpu: fc.constantFrom('1', '500m'), memory: fc.constantFrom('1Gi') }) }),
  }).map((c) => ({ name, ...c }) as JSONObject);

const containers = fc
  .uniqueArray(fc.constantFrom(...containerNames), { minLength: 1, maxLength: 4 })
  .chain((names) => fc.tuple(...names.map(container)));

const volumeSource = fc.oneof(
  fc.record({ emptyDir: optionalFields({ medium: fc.constantFrom('Memory'), sizeLimit: fc.constantFrom('1Gi') }) }),
  fc.record({ hostPath: fc.record({ path: fc.constantFrom('/tmp', '/var') }) }),
  fc.record({ configMap: fc.record({ name: fc.constantFrom('cm1', 'cm2') }) }),
);
const volumes = fc
  .uniqueArray(fc.constantFrom(...volumeNames), { minLength: 1, maxLength: 3 })
  .chain((names) => fc.tuple(...names.map((name) => volumeSource.map((s) => ({ name, ...s }) as JSONObject))));

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'team'), fc.constantFrom('web', 'x', 'y'), { maxKeys: 3 });
const toleration = fc.record({ key: fc.constantFrom('k1', 'k2'), operator: fc.constantFrom('Exists'), effect: fc.constantFrom('NoSchedule') });
const strategy = fc.oneof(
  fc.constant({ type: 'Recreate' }),
  fc.record({ type: fc.constant('RollingUpdate'), rollingUpdate: optionalFields({ maxSurge: fc.constantFrom(1, '25%'), maxUnavailable: fc.constantFrom(0, '50%') }) }),
);

/** A Deployment with random containers, env, ports, mounts, volumes, finalizers, tolerations and strategy. */
export const deployment: fc.Arbitrary<JSONObject> = fc
  .record({
    labels: fc.option(labels, { nil: undefined }),
    finalizers: fc.option(fc.uniqueArray(fc.constantFrom(...finalizers), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    strategy: fc.option(strategy, { nil: undefined }),
    containers,
    initContainers: fc.option(containers, { nil: undefined }),
    volumes: fc.option(volumes, { nil: undefined }),
    tolerations: fc.option(fc.array(toleration, { maxLength: 2 }), { nil: undefined }),
    nodeSelector: fc.option(labels, { nil: undefined }),
  })
  .map((d) => {
    const podSpec: JSONObject = { containers: d.containers };
    if (d.initContainers) podSpec.initContainers = d.initContainers;
    if (d.volumes) podSpec.volumes = d.volumes;
    if (d.tolerations) podSpec.tolerations = d.tolerations;
    if (d.nodeSelector) podSpec.nodeSelector = d.nodeSelector;
    const metadata: JSONObject = { name: 'web' };
    if (d.labels) metadata.labels = d.labels;
    if (d.finalizers) metadata.finalizers = d.finalizers;
    const spec: JSONObject = { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } };
    if (d.replicas !== undefined) spec.replicas = d.replicas;
    if (d.strategy) spec.strategy = d.strategy;
    // Plain JSON: fast-check builds records without a prototype, which deep equality would notice.
    return JSON.parse(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec })) as JSONObject;
  });

/** Occasionally a malformed variant of a value, to reach the error paths. */
const sometimes = <T>(good: fc.Arbitrary<T>, ...bad: JSONValue[]): fc.Arbitrary<T | JSONValue> =>
  fc.oneof({ weight: 20, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom(...bad) });

const keyOrder = (key: string, pool: string[]) => fc.shuffledSubarray(pool).map((xs) => xs.map((x) => ({ [key]: x }) as JSONValue));

/**
 * A `$setElementOrder` list for patch `items`: usually consistent with them (their keys in patch order, other
 * keys of `pool` before or after), sometimes a random order that may contradict the patch.
 */
function elementOrder(items: readonly JSONValue[], pool: string[], key: string): fc.Arbitrary<JSONValue[]> {
  const named = items.filter((i): i is JSONObject => typeof i === 'object' && i !== null && !Array.isArray(i) && !('$patch' in i) && key in i);
  const names = [...new Set(named.map((i) => i[key] as string))];
  const consistent = fc
    .tuple(fc.shuffledSubarray(pool.filter((n) => !names.includes(n))), fc.boolean())
    .map(([extra, before]) => (before ? [...extra, ...names] : [...names, ...extra]).map((n) => ({ [key]: n }) as JSONValue));
  return fc.oneof({ weight: 8, arbitrary: consistent }, { weight: 1, arbitrary: keyOrder(key, pool) });
}

/** Like listWithOrder for a primitive list: values added (sometimes a list of lists) and the order of all. */
function primitiveListWithOrder(field: string, pool: string[]): fc.Arbitrary<JSONObject> {
  return fc.tuple(fc.subarray(pool, { maxLength: 2 }), fc.shuffledSubarray(pool), fc.constantFrom('items', 'order', 'both', 'both', 'both')).chain(([items, others, which]) => {
    const order = [...items, ...others.filter((o) => !items.includes(o))];
    const out: JSONObject = {};
    if (which !== 'order') out[field] = items;
    if (which !== 'items') out[`$setElementOrder/${field}`] = order;
    return sometimes(fc.constant(out), { [field]: [['f1']] }) as fc.Arbitrary<JSONObject>;
  });
}

/** `{<field>: items, $setElementOrder/<field>: order}` with either part possibly absent. */
function listWithOrder(field: string, item: fc.Arbitrary<JSONValue>, maxLength: number, pool: string[], key: string): fc.Arbitrary<JSONObject> {
  return fc.array(item, { maxLength }).chain((items) =>
    fc.tuple(fc.boolean(), fc.option(elementOrder(items, pool, key), { nil: undefined })).map(([withItems, order]) => {
      const out: JSONObject = {};
      if (withItems || order === undefined) out[field] = items;
      if (order !== undefined) out[`$setElementOrder/${field}`] = order;
      return out;
    }),
  );
}

const containerPatchItem = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...containerNames).chain(container) },
  { weight: 2, arbitrary: fc.record({ name: fc.constantFrom(...containerNames), $patch: fc.constant('delete') }) },
  { weight: 1, arbitrary: fc.constant({ $patch: 'replace' }) },
  { weight: 1, arbitrary: fc.oneof(fc.record({ name: fc.constantFrom(...containerNames), $patch: fc.constantFrom('merge', 'bogus') }), fc.record({ image: fc.constant('no-name') })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...containerNames),
        listWithOrder('env', fc.oneof(fc.record({ name: fc.constantFrom(...envNames), value: fc.constantFrom('9') }), fc.record({ name: fc.constantFrom(...envNames), $patch: fc.constant('delete') })), 3, envNames, 'name'),
      )
      .map(([name, env]) => ({ name, ...env }) as JSONObject),
  },
);

const volumePatchItem: fc.Arbitrary<JSONValue> = fc.oneof(
  volumeSource.chain((s) => fc.constantFrom(...volumeNames).map((name) => ({ name, ...s }) as JSONObject)).chain((v) =>
    fc
      .option(fc.oneof({ weight: 6, arbitrary: fc.constant(Object.keys(v)) }, { weight: 1, arbitrary: fc.subarray(['name', 'emptyDir', 'hostPath', 'configMap']) }), { nil: undefined })
      .map((keep): JSONValue => (keep ? { ...v, $retainKeys: keep } : v)),
  ),
  fc.record({ name: fc.constantFrom(...volumeNames), $patch: fc.constant('delete') }).map((v): JSONValue => v),
  fc.constantFrom(...volumeNames).map((name): JSONValue => ({ name, emptyDir: null, hostPath: { path: '/srv' }, $retainKeys: ['hostPath', 'name'] })),
);

/** A raw strategic merge patch for `deployment` objects: every directive kubectl emits, plus malformed ones. */
export const deploymentPatch: fc.Arbitrary<JSONObject> = fc
  .record(
    {
      metadata: fc
        .tuple(
          optionalFields({
            labels: fc.dictionary(fc.constantFrom('app', 'tier', 'new'), fc.constantFrom('z', null as unknown as string), { maxKeys: 2 }),
            '$deleteFromPrimitiveList/finalizers': sometimes(fc.subarray(finalizers, { minLength: 1 }), 'f1'),
          }),
          fc.option(primitiveListWithOrder('finalizers', finalizers), { nil: undefined }),
        )
        .map(([rest, fin]) => ({ ...rest, ...fin }) as JSONObject),
      spec: optionalFields({
        replicas: fc.constantFrom(3, null),
        strategy: fc.oneof(
          { weight: 4, arbitrary: strategy },
          { weight: 4, arbitrary: fc.constant({ $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null }) },
          { weight: 2, arbitrary: fc.constant({ $retainKeys: ['rollingUpdate', 'type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }) },
          { weight: 1, arbitrary: fc.constantFrom({ $retainKeys: 'type', type: 'Recreate' }, { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } }) },
          { weight: 1, arbitrary: fc.constant({ $patch: 'delete' }) },
        ),
        template: fc.record({
          metadata: optionalFields({ labels: fc.oneof(labels, fc.constant({ $patch: 'replace', app: 'web' })) }),
          spec: fc
            .tuple(
              optionalFields({
                tolerations: fc.array(toleration, { maxLength: 1 }),
                nodeSelector: fc.oneof(labels, fc.constant({ $patch: 'replace', disk: 'ssd' }), fc.constant({ app: null })),
                '$setElementOrder/initContainers': sometimes(keyOrder('name', containerNames), [{ image: 'x' }], 'a'),
              }),
              fc.option(listWithOrder('containers', containerPatchItem, 3, containerNames, 'name'), { nil: undefined }),
              fc.option(fc.array(containerPatchItem, { maxLength: 2 }), { nil: undefined }),
              fc.option(listWithOrder('volumes', volumePatchItem, 2, volumeNames, 'name'), { nil: undefined }),
            )
            .map(([rest, cs, init, vs]) => ({ ...rest, ...cs, ...(init ? { initContainers: init } : {}), ...vs }) as JSONObject),
        }),
      }),
    },
    { requiredKeys: [] },
  )
  .map((p) => JSON.parse(JSON.stringify(p)) as JSONObject)
  .chain((p): fc.Arbitrary<JSONObject> =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(p) },
      // A directive key with the wrong prefix, which upstream rejects with a 400.
      { weight: 1, arbitrary: fc.constant<JSONObject>({ ...p, metadata: { '$deleteFromPrimitiveListX/finalizers': ['f1'] } }) },
      { weight: 1, arbitrary: fc.constant<JSONObject>({ ...p, $patch: 'replace', apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }) },
    ),
  );

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** Go's json.Marshal of a decoded object: keys sorted at every level, no spaces. */
export function goJSON(v: JSONValue): string {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJSON(v[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The object as `kubectl apply -n default` records it in its last-applied annotation. */
export function lastAppliedOf(fileObject: JSONObject): string {
  const copy = structuredClone(fileObject) as JSONObject;
  const metadata = copy.metadata as JSONObject;
  metadata.namespace = 'default';
  metadata.annotations = {};
  return `${goJSON(copy)}\n`;
}

type Mutation = (d: JSONObject) => void;
const podSpecOf = (d: JSONObject) => ((d.spec as JSONObject).template as JSONObject).spec as JSONObject;
const containersOf = (d: JSONObject) => podSpecOf(d).containers as JSONObject[];

/** What other writers (defaulting, controllers, webhooks, kubectl scale) do to a live Deployment. */
const serverChanges: fc.Arbitrary<Mutation[]> = fc.subarray([
  (d: JSONObject) => containersOf(d).forEach((c) => Object.assign(c, { imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' })),
  (d: JSONObject) => ((d.spec as JSONObject).replicas = 7),
  (d: JSONObject) => containersOf(d).splice(1, 0, { name: 'sidecar', image: 'envoy' }),
  (d: JSONObject) => (((d.spec as JSONObject).template as JSONObject).metadata = { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } }),
  (d: JSONObject) => ((d.metadata as JSONObject).finalizers = [...(((d.metadata as JSONObject).finalizers as string[]) ?? []), 'f9']),
  (d: JSONObject) => (containersOf(d)[0]!.env = [...((containersOf(d)[0]!.env as JSONObject[]) ?? []), { name: 'INJECTED', value: '1' }]),
  (d: JSONObject) => (d.status = { replicas: 1, observedGeneration: 2 }),
  (d: JSONObject) => ((d.metadata as JSONObject).labels = { ...((d.metadata as JSONObject).labels as JSONObject), owner: 'team-x' }),
]);

/** Small edits of a configuration, so that the next applied file is close to the last one. */
const configEdits: fc.Arbitrary<Mutation[]> = fc.subarray([
  (d: JSONObject) => (containersOf(d)[0]!.image = 'nginx:2'),
  (d: JSONObject) => containersOf(d).length > 1 && containersOf(d).pop(),
  (d: JSONObject) => containersOf(d).reverse(),
  (d: JSONObject) => ((d.spec as JSONObject).strategy = { type: 'Recreate' }),
  (d: JSONObject) => delete (d.spec as JSONObject).replicas,
  (d: JSONObject) => delete podSpecOf(d).volumes,
  (d: JSONObject) => (podSpecOf(d).volumes = [{ name: 'v1', hostPath: { path: '/tmp' } }]),
  (d: JSONObject) => (containersOf(d)[0]!.env = [{ name: 'E2', value: 'changed' }]),
  (d: JSONObject) => ((d.metadata as JSONObject).finalizers = ['f2']),
]);

/**
 * A client-side apply situation: the last applied file, the live object (that file plus other writers'
 * changes, annotated), and the new file — either an edit of the last one or an unrelated Deployment.
 */
export const applySituation: fc.Arbitrary<{ lastApplied: JSONObject; live: JSONObject; next: JSONObject }> = fc
  .tuple(deployment, serverChanges, fc.oneof(configEdits.map((edits) => ({ edits })), deployment.map((other) => ({ other }))))
  .map(([lastApplied, changes, nextSpec]) => {
    const live = structuredClone(lastApplied) as JSONObject;
    for (const change of changes) change(live);
    const metadata = live.metadata as JSONObject;
    metadata.namespace = 'default';
    metadata.annotations = { [lastAppliedAnnotation]: lastAppliedOf(lastApplied) };
    let next: JSONObject;
    if ('other' in nextSpec) next = nextSpec.other;
    else {
      next = structuredClone(lastApplied) as JSONObject;
      for (const edit of nextSpec.edits) edit(next);
    }
    return { lastApplied, live, next };
  });
