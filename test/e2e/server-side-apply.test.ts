// End to end: the real kubectl (1.27 and 1.33) doing server-side apply against `bin/k8ts apiserver` —
// create, re-apply, conflicts with a client-side-apply owner, --force-conflicts, the CSA→SSA migration and
// managedFields as `get --show-managed-fields` prints them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYAML } from 'yaml';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

function configMap(ns: string, name: string, data: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
}

interface ManagedEntry {
  manager: string;
  operation: string;
  fieldsV1?: Record<string, unknown>;
}

describe('kubectl apply --server-side against k8ts apiserver', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });
      const ok = async (args: string[], stdin?: string) => {
        const r = await run(args, stdin);
        assert.equal(r.code, 0, explain(r));
        return r.stdout;
      };
      const managers = async (ns: string, name: string): Promise<ManagedEntry[]> => {
        const out = await ok(['get', 'configmap', name, '-n', ns, '-o', 'yaml', '--show-managed-fields']);
        return ((parseYAML(out) as { metadata: { managedFields?: ManagedEntry[] } }).metadata.managedFields ?? []);
      };

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
        await ok(['create', 'namespace', 'ssa']);
      });
      after(async () => {
        await server?.stop();
      });

      test('apply --server-side creates, then re-applies a change', async () => {
        const ns = 'ssa';
        assert.match(await ok(['apply', '--server-side', '-f', '-'], configMap(ns, 'created', { a: '1' })), /configmap\/created serverside-applied/);
        assert.match(await ok(['apply', '--server-side', '-f', '-'], configMap(ns, 'created', { a: '2', b: '3' })), /configmap\/created serverside-applied/);
        const cm = JSON.parse(await ok(['get', 'configmap', 'created', '-n', ns, '-o', 'json']));
        assert.deepEqual(cm.data, { a: '2', b: '3' });
        const entries = await managers(ns, 'created');
        const applier = entries.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
        assert.ok(applier, JSON.stringify(entries));
        assert.deepEqual(applier.fieldsV1?.['f:data'], { 'f:a': {}, 'f:b': {} });
        // Dropping a field from the configuration removes it (the applier was its only owner).
        await ok(['apply', '--server-side', '-f', '-'], configMap(ns, 'created', { a: '2' }));
        assert.deepEqual(JSON.parse(await ok(['get', 'configmap', 'created', '-n', ns, '-o', 'json'])).data, { a: '2' });
      });

      test('every other write records its manager: create, replace (PUT), label (patch)', async () => {
        const ns = 'ssa';
        await ok(['create', 'configmap', 'plain', '-n', ns, '--from-literal=a=1']);
        await ok(['replace', '-f', '-'], configMap(ns, 'plain', { a: '2' }));
        await ok(['label', 'configmap', 'plain', '-n', ns, 'tier=web']);
        const entries = await managers(ns, 'plain');
        const byManager = new Map(entries.map((e) => [e.manager, e]));
        assert.equal(byManager.get('kubectl-create')?.operation, 'Update', JSON.stringify(entries));
        assert.deepEqual(byManager.get('kubectl-replace')?.fieldsV1?.['f:data'], { 'f:a': {} }, JSON.stringify(entries));
        assert.deepEqual(byManager.get('kubectl-label')?.fieldsV1?.['f:metadata'], { 'f:labels': { '.': {}, 'f:tier': {} } }, JSON.stringify(entries));
      });

      test('a client-side-apply owner conflicts; --force-conflicts takes the field over', async () => {
        const ns = 'ssa';
        await ok(['apply', '-f', '-'], configMap(ns, 'csa', { key: 'one' }));
        const csa = await managers(ns, 'csa');
        assert.ok(csa.some((e) => e.manager === 'kubectl-client-side-apply' && e.operation === 'Update'), JSON.stringify(csa));

        const conflict = await run(['apply', '--server-side', '--field-manager', 'other', '-f', '-'], configMap(ns, 'csa', { key: 'two' }));
        assert.equal(conflict.code, 1, explain(conflict));
        assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply"/, explain(conflict));
        assert.match(conflict.stderr, /\.data\.key/, explain(conflict));
        assert.equal(await ok(['get', 'configmap', 'csa', '-n', ns, '-o', 'jsonpath={.data.key}']), 'one');

        await ok(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', '-'], configMap(ns, 'csa', { key: 'two' }));
        assert.equal(await ok(['get', 'configmap', 'csa', '-n', ns, '-o', 'jsonpath={.data.key}']), 'two');
        const after = await managers(ns, 'csa');
        const other = after.find((e) => e.manager === 'other' && e.operation === 'Apply');
        assert.deepEqual(other?.fieldsV1?.['f:data'], { 'f:key': {} }, JSON.stringify(after));
      });

      test('same values co-own; a later change conflicts with the co-owner', async () => {
        const ns = 'ssa';
        await ok(['apply', '--server-side', '--field-manager', 'first', '-f', '-'], configMap(ns, 'coown', { key: 'same' }));
        await ok(['apply', '--server-side', '--field-manager', 'second', '-f', '-'], configMap(ns, 'coown', { key: 'same' }));
        const entries = await managers(ns, 'coown');
        for (const manager of ['first', 'second']) {
          const entry = entries.find((e) => e.manager === manager && e.operation === 'Apply');
          assert.deepEqual(entry?.fieldsV1?.['f:data'], { 'f:key': {} }, JSON.stringify(entries));
        }
        const conflict = await run(['apply', '--server-side', '--field-manager', 'second', '-f', '-'], configMap(ns, 'coown', { key: 'changed' }));
        assert.equal(conflict.code, 1, explain(conflict));
        assert.match(conflict.stderr, /conflict with "first"/, explain(conflict));
      });

      test('kubectl migrates client-side-apply ownership into its server-side manager', async () => {
        const ns = 'ssa';
        await ok(['apply', '-f', '-'], configMap(ns, 'migrate', { key: 'same' }));
        // Same values: no conflict; kubectl then replaces the client-side-apply entry with a JSON patch
        // (managedFields + resourceVersion), folding its fields into the Apply entry.
        await ok(['apply', '--server-side', '-f', '-'], configMap(ns, 'migrate', { key: 'same' }));
        const entries = await managers(ns, 'migrate');
        const applier = entries.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
        assert.deepEqual(applier?.fieldsV1?.['f:data'], { 'f:key': {} }, JSON.stringify(entries));
        assert.ok(!entries.some((e) => e.manager === 'kubectl-client-side-apply'), JSON.stringify(entries));
        // A stale resourceVersion in that JSON patch is a conflict, not a silent overwrite.
        const client = server.client();
        try {
          const stale = await client.request({
            method: 'PATCH',
            path: `/api/v1/namespaces/${ns}/configmaps/migrate?fieldManager=kubectl`,
            contentType: 'application/json-patch+json',
            body: [
              { op: 'replace', path: '/metadata/managedFields', value: [] },
              { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
            ],
          });
          assert.equal(stale.status, 409);
        } finally {
          client.close();
        }
      });

      test('an apply patch without fieldManager is 422; a missing object is created (201)', async () => {
        const client = server.client();
        try {
          const body = configMap('ssa', 'raw', { a: '1' });
          const path = '/api/v1/namespaces/ssa/configmaps/raw';
          const missing = await client.request({ method: 'PATCH', path, contentType: 'application/apply-patch+yaml', body: JSON.parse(body) });
          assert.equal(missing.status, 422, missing.body);
          assert.match(missing.body, /fieldManager: Required value: is required for apply patch/);
          const created = await client.request({ method: 'PATCH', path: `${path}?fieldManager=raw`, contentType: 'application/apply-patch+yaml', body: JSON.parse(body) });
          assert.equal(created.status, 201, created.body);
          const dry = await client.request({ method: 'PATCH', path: `${path}?fieldManager=raw&dryRun=All`, contentType: 'application/apply-patch+yaml', body: JSON.parse(configMap('ssa', 'raw', { a: '2' })) });
          assert.equal(dry.status, 200, dry.body);
          assert.equal(JSON.parse(dry.body).data.a, '2');
          assert.equal(await ok(['get', 'configmap', 'raw', '-n', 'ssa', '-o', 'jsonpath={.data.a}']), '1', 'dry run stores nothing');
        } finally {
          client.close();
        }
      });

      test('kubectl scale is recorded with subresource scale and owns replicas; re-applying the old count conflicts', async () => {
        const deploy = (replicas: number) =>
          JSON.stringify({
            apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'scaled', namespace: 'ssa' },
            spec: { replicas, selector: { matchLabels: { app: 'scaled' } }, template: { metadata: { labels: { app: 'scaled' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
          });
        await ok(['apply', '--server-side', '-f', '-'], deploy(2));
        await ok(['scale', 'deployment/scaled', '-n', 'ssa', '--replicas=4']);
        const out = await ok(['get', 'deployment', 'scaled', '-n', 'ssa', '-o', 'yaml', '--show-managed-fields']);
        const entries = (parseYAML(out) as { metadata: { managedFields: Array<ManagedEntry & { subresource?: string; apiVersion?: string }> } }).metadata.managedFields;
        const scaler = entries.find((e) => e.subresource === 'scale');
        // kubectl scale sends no fieldManager: the manager is the User-Agent's program name, here the binary's.
        const program = `kubectl.${version}`;
        assert.deepEqual(scaler && [scaler.manager, scaler.operation, scaler.apiVersion, scaler.fieldsV1], [program, 'Update', 'apps/v1', { 'f:spec': { 'f:replicas': {} } }], out);
        const again = await run(['apply', '--server-side', '-f', '-'], deploy(2));
        assert.notEqual(again.code, 0, explain(again));
        assert.ok(again.stderr.includes(`conflict with "${program}" with subresource "scale" using apps/v1: .spec.replicas`), explain(again));
      });
    });
  }
});
