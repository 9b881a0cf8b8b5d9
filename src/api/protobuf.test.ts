import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBadRequest, type StatusError } from '../apimachinery/errors.js';
import { kindKey } from '../apimachinery/protobuf/table.js';
import { builtinProtobufTable, decodeProtobufObject } from './protobuf.js';

const testdata = join(import.meta.dirname, 'testdata/protobuf');

/**
 * kubectl's own `--dry-run=client -o json` rendering, minus what Go's JSON shows for unset values: nulls
 * (`creationTimestamp: null`) and empty structs (`status: {}`, `resources: {}`).
 */
function withoutUnset(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUnset);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null) continue;
      const n = withoutUnset(x);
      if (n && typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 0) continue;
      out[k] = n;
    }
    return out;
  }
  return v;
}

test('bodies captured from kubectl 1.32 decode to the JSON kubectl shows for them', () => {
  // PodDisruptionBudgetStatus has non-omitempty int32 fields, so kubectl prints a status of zeros;
  // zeros of non-pointer fields are "unset" to us.
  const dropStatus = new Set(['pdb-min-available-zero', 'pdb-max-unavailable-percent']);
  const names = readdirSync(testdata).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3));
  assert.ok(names.length >= 15, `expected the captured fixtures, found ${names.length}`);
  for (const name of names) {
    const got = decodeProtobufObject(readFileSync(join(testdata, `${name}.pb`)));
    const want = withoutUnset(JSON.parse(readFileSync(join(testdata, `${name}.kubectl.json`), 'utf8'))) as Record<string, unknown>;
    if (dropStatus.has(name)) delete want.status;
    assert.deepEqual(got, want, name);
  }
});

test('zero values that are explicit (Go pointers) survive; others are dropped', () => {
  const read = (name: string) => decodeProtobufObject(readFileSync(join(testdata, `${name}.pb`))) as any;
  const cases: Array<{ name: string; check: (o: any) => void }> = [
    { name: 'deployment-zero-replicas', check: (o) => assert.equal(o.spec.replicas, 0) },
    { name: 'pdb-min-available-zero', check: (o) => assert.equal(o.spec.minAvailable, 0) },
    { name: 'pdb-max-unavailable-percent', check: (o) => assert.equal(o.spec.maxUnavailable, '25%') },
    {
      name: 'namespace',
      check: (o) => {
        assert.deepEqual(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
      },
    },
    { name: 'secret', check: (o) => assert.equal(Buffer.from(o.data.pass, 'base64').toString('utf8'), 's3cr3t\u00e9') },
    { name: 'quota', check: (o) => assert.deepEqual(o.spec.hard, { cpu: '1500m', memory: '2Gi', pods: '10' }) },
    { name: 'service', check: (o) => assert.deepEqual(o.spec.ports.map((p: any) => p.targetPort), [8080, 443]) },
  ];
  for (const c of cases) c.check(read(c.name));
});

test('the generated table maps GVKs to messages and knows Go pointers and embedded structs', () => {
  const t = builtinProtobufTable();
  const msg = (group: string, version: string, kind: string) => t.messages[t.kinds.get(kindKey(group, version, kind)) as number];
  assert.equal(msg('apps', 'v1', 'Deployment').name, 'k8s.io.api.apps.v1.Deployment');
  assert.equal(msg('rbac.authorization.k8s.io', 'v1', 'Role').name, 'k8s.io.api.rbac.v1.Role');
  assert.equal(msg('', 'v1', 'Namespace').name, 'k8s.io.api.core.v1.Namespace');
  const byName = new Map(t.messages.map((m) => [m.name, m]));
  const field = (m: string, f: string) => byName.get(m)?.fields.find((x) => x.name === f);
  assert.equal(field('k8s.io.api.apps.v1.DeploymentSpec', 'replicas')?.pointer, true);
  assert.equal(field('k8s.io.api.apps.v1.DeploymentSpec', 'minReadySeconds')?.pointer, false);
  assert.equal(field('k8s.io.api.core.v1.VolumeSource', 'emptyDir')?.pointer, true);
  assert.equal(field('k8s.io.api.core.v1.Volume', 'volumeSource')?.inline, true);
  assert.equal(field('k8s.io.api.core.v1.Probe', 'handler')?.inline, true);
  assert.equal(field('k8s.io.api.networking.v1.IngressClassParametersReference', 'apiGroup')?.number, 1);
  assert.equal(byName.get('k8s.io.apimachinery.pkg.apis.meta.v1.Time')?.special, 'time');
  assert.equal(byName.get('k8s.io.api.authentication.v1.ExtraValue')?.special, 'items');
  assert.equal(byName.get('k8s.io.api.core.v1.DownwardAPIProjection')?.special, '');
});

test('malformed bodies and unknown kinds are 400s', () => {
  const env = (apiVersion: string, kind: string, raw: number[]): Uint8Array => {
    const tm = [0x0a, apiVersion.length, ...Buffer.from(apiVersion), 0x12, kind.length, ...Buffer.from(kind)];
    return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, tm.length, ...tm, 0x12, raw.length, ...raw]);
  };
  const cases: Array<{ name: string; body: Uint8Array; want: string }> = [
    {
      name: 'no magic',
      body: Uint8Array.from(Buffer.from('{"kind":"Pod"}')),
      want: 'unable to decode protobuf body: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    { name: 'unknown kind', body: env('v1', 'Frobnicator', []), want: 'no kind "Frobnicator" is registered for version "v1" in the protobuf table' },
    { name: 'truncated', body: env('v1', 'Namespace', [0x0a, 0x10, 0x0a]), want: 'unable to decode protobuf body: length-delimited value runs past the end of its message' },
    { name: 'no kind', body: env('v1', '', []), want: "Object 'Kind' is missing in protobuf body" },
  ];
  for (const c of cases) {
    assert.throws(
      () => decodeProtobufObject(c.body),
      (err: unknown) => isBadRequest(err) && (err as StatusError).message === c.want,
      c.name,
    );
  }
});
