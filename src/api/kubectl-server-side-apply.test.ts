// The real kubectl (1.27 and 1.33) driving server-side apply against a recording server backed by the apply
// engine: the requests kubectl sends (apply-patch bodies, fieldManager/force, the CSA→SSA migration JSON patch),
// how it reports our 409 conflicts, and the managedFields that result.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ManagedFieldsEntry } from '../apimachinery/apply/managed-fields.js';
import { KubectlSSAServer, type RecordedRequest } from '../apimachinery/apply/testdata/kubectl-ssa-server.js';
import type { JSONObject } from '../apimachinery/patch/json-value.js';
import { applySchemaFor, zeroObjectFor } from './apply-schema.js';

const kubectlDir = '/usr/lib/google-cloud-sdk/bin';
const objectPath = '/apis/apps/v1/namespaces/default/deployments/web';

function manifest(replicas: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '      - name: nginx',
    '        image: nginx:1.25',
    '',
  ].join('\n');
}

function manifestJSON(replicas: number): JSONObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1.25', name: 'nginx' }] } },
    },
  };
}

function writes(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method !== 'GET');
}

function managers(obj: JSONObject | undefined): Array<[string | undefined, string | undefined]> {
  const entries = ((obj?.metadata as JSONObject | undefined)?.managedFields ?? []) as unknown as ManagedFieldsEntry[];
  return entries.map((e) => [e.manager, e.operation]);
}

for (const version of ['1.27', '1.33']) {
  test(`kubectl ${version}: client-side apply, conflicts, server-side apply with CSA→SSA migration, force`, async () => {
    const kubectl = join(kubectlDir, `kubectl.${version}`);
    assert.ok(existsSync(kubectl), `${kubectl} is missing: this test needs the real kubectl`);
    const server = new KubectlSSAServer([{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', schema: applySchemaFor('apps', 'v1', 'Deployment')!, emptyObject: zeroObjectFor('apps', 'v1', 'Deployment') }], () => new Date('2026-11-22T06:00:00Z'));
    await server.start();
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-ssa-'));
    try {
      for (const n of [2, 3, 4]) writeFileSync(join(dir, `d${n}.yaml`), manifest(n));
      const run = async (...args: string[]) => {
        const from = server.requests.length;
        const r = await server.kubectl(kubectl, [...args, '-n', 'default', '--validate=false'], join(dir, 'cache'));
        return { ...r, writes: writes(server.requests.slice(from)) };
      };

      // Client-side apply creates: one Update entry for kubectl-client-side-apply.
      const csa = await run('apply', '-f', join(dir, 'd2.yaml'));
      assert.equal(csa.code, 0, csa.stderr);
      assert.deepEqual(csa.writes.map((w) => [w.method, w.query.fieldManager]), [['POST', 'kubectl-client-side-apply']]);
      assert.deepEqual(managers(server.objects.get(objectPath)), [['kubectl-client-side-apply', 'Update']]);

      // Another manager changing replicas conflicts with the CSA owner; kubectl prints our message.
      const conflict = await run('apply', '--server-side', '--field-manager=other', '-f', join(dir, 'd3.yaml'));
      assert.equal(conflict.code, 1);
      assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas\n/);
      assert.match(conflict.stderr, /--force-conflicts/);
      assert.deepEqual(conflict.writes[0]!.body, manifestJSON(3), 'kubectl sends the manifest as JSON');
      assert.equal(conflict.writes[0]!.contentType, 'application/apply-patch+yaml');
      assert.deepEqual([conflict.writes[0]!.query.fieldManager, conflict.writes[0]!.query.force], ['other', 'false']);

      // kubectl (the default manager) takes over what last-applied still matches, then migrates CSA ownership.
      const ssa = await run('apply', '--server-side', '-f', join(dir, 'd3.yaml'));
      assert.equal(ssa.code, 0, ssa.stderr);
      assert.match(ssa.stdout, /deployment\.apps\/web serverside-applied/);
      assert.deepEqual(
        ssa.writes.map((w) => [w.contentType, w.query.fieldManager]),
        [
          ['application/apply-patch+yaml', 'kubectl'],
          ['application/apply-patch+yaml', 'kubectl-last-applied'],
          ['application/json-patch+json', 'kubectl'],
          ['application/apply-patch+yaml', 'kubectl'],
        ],
      );
      const migration = ssa.writes[2]!.body as Array<{ op: string; path: string; value: unknown }>;
      assert.deepEqual(migration.map((o) => [o.op, o.path]), [
        ['replace', '/metadata/managedFields'],
        ['replace', '/metadata/resourceVersion'],
      ]);
      const stored = server.objects.get(objectPath)!;
      assert.deepEqual(managers(stored), [
        ['kubectl-last-applied', 'Apply'],
        ['kubectl', 'Apply'],
      ]);
      assert.equal((stored.spec as JSONObject).replicas, 3);
      const annotations = (stored.metadata as JSONObject).annotations as JSONObject;
      assert.deepEqual(JSON.parse(annotations['kubectl.kubernetes.io/last-applied-configuration'] as string), manifestJSON(3));

      // Now the owner is an applier: no "using <version>" in the message.
      const conflict2 = await run('apply', '--server-side', '--field-manager=other', '-f', join(dir, 'd4.yaml'));
      assert.equal(conflict2.code, 1);
      assert.match(conflict2.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas\n/);

      const forced = await run('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', join(dir, 'd4.yaml'));
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(forced.writes[0]!.query.force, 'true');
      const after = server.objects.get(objectPath)!;
      assert.equal((after.spec as JSONObject).replicas, 4);
      const entries = (after.metadata as JSONObject).managedFields as unknown as ManagedFieldsEntry[];
      const fieldsOf = (m: string) => JSON.stringify(entries.find((e) => e.manager === m)?.fieldsV1);
      assert.ok(fieldsOf('other').includes('"f:replicas"'));
      assert.ok(!fieldsOf('kubectl').includes('"f:replicas"'), 'kubectl lost .spec.replicas to the forced apply');
      assert.ok(fieldsOf('kubectl').includes('"f:image"'), 'co-owned fields stay with kubectl');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
