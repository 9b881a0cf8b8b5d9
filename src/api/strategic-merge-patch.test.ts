// The strategic merge patch engine on the generated schema tables, against real kubectl: the directive table,
// outcomes captured from `kubectl patch --local`, PATCH bodies captured from `kubectl apply`, and fresh
// random cases whenever a kubectl binary is present.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { StatusError } from '../apimachinery/errors.js';
import { deepCopy, deepEqual, type JSONObject } from '../apimachinery/patch/json-value.js';
import { createThreeWayMergePatch, createTwoWayMergePatch } from '../apimachinery/patch/strategic/create-patch.js';
import { applyStrategicMergePatch } from '../apimachinery/patch/strategic/strategic-merge-patch.js';
import { applyCases } from '../apimachinery/patch/strategic/testdata/apply-cases.js';
import { deployment, deploymentPatch, lastAppliedAnnotation, lastAppliedOf } from '../apimachinery/patch/strategic/testdata/arbitraries.js';
import type { CapturedApplyCase, CapturedPatchCase } from '../apimachinery/patch/strategic/testdata/capture-kubectl.js';
import { kubectlStrategicPatch, oracleKubectl, type OracleOutcome } from '../apimachinery/patch/strategic/testdata/kubectl-oracle.js';
import { strategicMergePatchSchema } from './strategic-schema.js';

const schemas = {
  pod: strategicMergePatchSchema('', 'v1', 'Pod')!,
  deployment: strategicMergePatchSchema('apps', 'v1', 'Deployment')!,
  pdb: strategicMergePatchSchema('policy', 'v1', 'PodDisruptionBudget')!,
};
const schema = schemas.deployment;
const kubectlPath = oracleKubectl();
// The real kubectl is on every machine of this kind (tools/system-deps.mjs); a missing one fails, never skips.
if (!kubectlPath) throw new Error('kubectl.1.33 (or $K8TS_KUBECTL) is missing: these tests compare against the real kubectl');
const kubectl: string = kubectlPath;
const testdata = (file: string) => new URL(`../apimachinery/patch/strategic/testdata/${file}`, import.meta.url);

type Outcome = OracleOutcome & { code?: number };

function ourOutcome(original: JSONObject, patch: JSONObject, s = schema): Outcome {
  try {
    return { result: applyStrategicMergePatch({ original, patch, schema: s }) };
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    return { error: err.message.replace(/\n$/, ''), code: err.code };
  }
}

/** Same outcome; the apiserver answers lists of lists with a generic 422 where kubectl prints the Go error. */
function sameOutcome(ours: Outcome, theirs: OracleOutcome): boolean {
  if ('result' in theirs) return 'result' in ours && deepEqual(ours.result, theirs.result);
  if (!('error' in ours)) return false;
  return ours.error === theirs.error || (theirs.error === 'lists of lists are not supported' && ours.code === 422);
}

test('SMP on the generated schema: the directive table', () => {
  for (const c of applyCases) {
    const ours = ourOutcome(c.original, c.patch as JSONObject, schemas[c.kind ?? 'pod']);
    if (c.want) assert.deepEqual(ours, { result: c.want }, c.name);
    else assert.deepEqual(ours, { error: c.wantError!.message.replace(/\n$/, ''), code: c.wantError!.code }, c.name);
  }
});

test('SMP: the directive table agrees with kubectl patch --local', () => {
  for (const c of applyCases) {
    if (c.patch === null || Array.isArray(c.patch)) continue; // kubectl rejects these before patching
    const theirs = kubectlStrategicPatch(kubectl!, c.original, c.patch as JSONObject);
    assert.ok(sameOutcome(ourOutcome(c.original, c.patch as JSONObject, schemas[c.kind ?? 'pod']), theirs), `${c.name}: kubectl says ${JSON.stringify(theirs)}`);
  }
});

test('SMP: outcomes captured from kubectl patch --local', () => {
  const captured = JSON.parse(readFileSync(testdata('kubectl-patch-cases.json'), 'utf8')) as CapturedPatchCase[];
  assert.ok(captured.length >= 50);
  for (const [i, c] of captured.entries()) {
    const ours = ourOutcome(c.original as JSONObject, c.patch as JSONObject);
    assert.ok(c.outcomes.some((o) => sameOutcome(ours, o)), `case ${i}: ours ${JSON.stringify(ours)}, kubectl ${JSON.stringify(c.outcomes)}`);
  }
});

test('SMP: random patches agree with kubectl', () => {
  fc.assert(
    fc.property(deployment, deploymentPatch, (original, patch) => {
      const ours = ourOutcome(original, patch);
      // Go iterates maps randomly: when two directives race, any outcome kubectl can produce is right.
      for (let attempt = 0; attempt < 12; attempt++) if (sameOutcome(ours, kubectlStrategicPatch(kubectl!, original, patch))) return true;
      return false;
    }),
    { numRuns: 20 },
  );
});

test('SMP on Services, Nodes and ConfigMaps agrees with kubectl', () => {
  const service: JSONObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dnstcp', port: 53, protocol: 'TCP' }] },
  };
  const node: JSONObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] },
    status: { addresses: [{ type: 'InternalIP', address: '1.2.3.4' }, { type: 'Hostname', address: 'n' }], conditions: [{ type: 'Ready', status: 'False' }, { type: 'DiskPressure', status: 'False' }] },
  };
  const configMap: JSONObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
  const cases: Array<[JSONObject, JSONObject]> = [
    [service, { spec: { ports: [{ port: 53, protocol: 'UDP', targetPort: 5353 }] } }], // merges into the first port 53 (TCP or not)
    [service, { spec: { ports: [{ port: 443, name: 'https' }], '$setElementOrder/ports': [{ port: 443 }, { port: 80 }, { port: 53 }] } }],
    [service, { spec: { ports: [{ port: 53, $patch: 'delete' }] } }],
    [node, { spec: { podCIDRs: ['fd00::/64'], taints: [{ key: 'b', effect: 'NoExecute' }] } }],
    [node, { spec: { '$deleteFromPrimitiveList/podCIDRs': ['10.0.0.0/24'] } }],
    [node, { status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'ExternalIP', address: '5.6.7.8' }] } }],
    [node, { status: { '$setElementOrder/conditions': [{ type: 'DiskPressure' }, { type: 'Ready' }] } }],
    [configMap, { data: { a: null, c: '3' } }],
    [configMap, { data: { $patch: 'replace', z: '9' } }],
  ];
  for (const [original, patch] of cases) {
    const ours = ourOutcome(original, patch, strategicMergePatchSchema('', 'v1', original.kind as string)!);
    const theirs = kubectlStrategicPatch(kubectl!, original, patch);
    assert.ok(sameOutcome(ours, theirs), `${original.kind} ${JSON.stringify(patch)}: ours ${JSON.stringify(ours)}, kubectl ${JSON.stringify(theirs)}`);
  }
});

test('createThreeWayMergePatch: the PATCH bodies real kubectl apply sent', () => {
  const captured = JSON.parse(readFileSync(testdata('kubectl-apply-cases.json'), 'utf8')) as CapturedApplyCase[];
  assert.ok(captured.length >= 30);
  const versions = new Set<string>();
  for (const [i, c] of captured.entries()) {
    versions.add(c.kubectl);
    const live = c.live as JSONObject;
    const annotation = lastAppliedOf(c.fileObject as JSONObject);
    const modified = JSON.parse(annotation) as JSONObject;
    (modified.metadata as JSONObject).annotations = { [lastAppliedAnnotation]: annotation };
    const original = JSON.parse(((live.metadata as JSONObject).annotations as JSONObject)[lastAppliedAnnotation] as string) as JSONObject;
    const before = deepCopy(live);
    const patch = createThreeWayMergePatch({ original, modified, current: live, schema });
    assert.deepEqual(patch, c.patch ?? {}, `case ${i} (${c.kubectl})`);
    assert.deepEqual(live, before, `case ${i}: current modified`);
    // What the server then stores: the new file's fields, the other writers' fields kept.
    const patched = applyStrategicMergePatch({ original: live, patch, schema });
    assert.equal(((patched.metadata as JSONObject).annotations as JSONObject)[lastAppliedAnnotation], annotation, `case ${i}: annotation`);
  }
  assert.deepEqual([...versions].sort(), ['kubectl.1.27', 'kubectl.1.30', 'kubectl.1.33']);
});

/** Strategic merge patch cannot tell apart list items sharing a merge key (ports on one containerPort). */
function mergeKeysUnique(d: JSONObject): boolean {
  const podSpec = ((d.spec as JSONObject).template as JSONObject).spec as JSONObject;
  const all = [...((podSpec.containers as JSONObject[]) ?? []), ...((podSpec.initContainers as JSONObject[]) ?? [])];
  return all.every((c) => {
    const ports = ((c.ports as JSONObject[]) ?? []).map((p) => p.containerPort);
    return new Set(ports).size === ports.length;
  });
}

/**
 * Upstream sorts the original primitive list in place before comparing it with the modified one, so turning
 * an unsorted list into its sorted order produces no patch at all (see the table above).
 */
function sortsFinalizers(a: JSONObject, b: JSONObject): boolean {
  const fa = (a.metadata as JSONObject).finalizers as string[] | undefined;
  const fb = (b.metadata as JSONObject).finalizers as string[] | undefined;
  return !!fa && !!fb && JSON.stringify([...fa].sort()) === JSON.stringify(fb);
}

test('createTwoWayMergePatch: applying the patch to original gives modified', () => {
  fc.assert(
    fc.property(deployment, deployment, (a, b) => {
      fc.pre(mergeKeysUnique(a) && mergeKeysUnique(b) && !sortsFinalizers(a, b));
      const patch = createTwoWayMergePatch({ original: a, modified: b, schema });
      assert.deepEqual(applyStrategicMergePatch({ original: a, patch, schema }), b);
      // Not always {}: upstream orders unsorted primitive merge lists (finalizers) even when unchanged.
      assert.deepEqual(applyStrategicMergePatch({ original: b, patch: createTwoWayMergePatch({ original: b, modified: b, schema }), schema }), b);
    }),
    { numRuns: 300 },
  );
});

test('createTwoWayMergePatch: kubectl applies our patches the same way', () => {
  fc.assert(
    fc.property(deployment, deployment, (a, b) => {
      fc.pre(mergeKeysUnique(a) && mergeKeysUnique(b) && !sortsFinalizers(a, b));
      const patch = createTwoWayMergePatch({ original: a, modified: b, schema });
      assert.deepEqual(kubectlStrategicPatch(kubectl!, a, patch), { result: b });
    }),
    { numRuns: 15 },
  );
});
