// End to end: server-side apply on custom resources is typed by the CRD's schema, with the real kubectl (1.27
// and 1.33) against `bin/k8ts apiserver`. Two field managers applying different entries of a
// `x-kubernetes-list-type: map` list (and of a `set`) each keep theirs; managedFields name entries by key
// (`k:{"name":"http"}`, `v:"a"`); a conflict is reported per entry and `--force-conflicts` takes it over;
// an atomic map is replaced whole; a second served version (strategy None) applies into the same object.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYAML } from 'yaml';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectl, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

const gatewaySchema = `
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer}
                    protocol: {type: string}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              selector:
                type: object
                x-kubernetes-map-type: atomic
                additionalProperties: {type: string}
              hosts:
                type: array
                items: {type: string}`;

/** Two served versions with the same schema (conversion None), v1 stored. */
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gateways.net.k8ts.dev
spec:
  group: net.k8ts.dev
  scope: Namespaced
  names: {plural: gateways, singular: gateway, kind: Gateway, listKind: GatewayList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:${gatewaySchema}
  - name: v2
    served: true
    storage: false
    schema:${gatewaySchema}
`;

function gateway(spec: Record<string, unknown>, apiVersion = 'net.k8ts.dev/v1'): string {
  return JSON.stringify({ apiVersion, kind: 'Gateway', metadata: { name: 'edge', namespace: 'default' }, spec });
}

interface ManagedEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1?: { 'f:spec'?: Record<string, unknown> };
}

for (const version of versions) {
  describe(`kubectl ${version}: server-side apply on a custom resource follows the CRD's list and map types`, { concurrency: 1 }, () => {
    let server: APIServerProcess;
    const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });
    const ok = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      assert.equal(r.code, 0, describeKubectlResult(r));
      return r.stdout;
    };
    const applyAs = (manager: string, body: string, extra: string[] = []) => run(['apply', '--server-side', `--field-manager=${manager}`, ...extra, '-f', '-'], body);
    const current = async () => {
      const obj = parseYAML(await ok(['get', 'gateways.v1.net.k8ts.dev', 'edge', '-n', 'default', '-o', 'yaml', '--show-managed-fields'])) as {
        spec: { ports?: Array<{ name: string; port?: number }>; tags?: string[]; selector?: Record<string, string>; hosts?: string[] };
        metadata: { managedFields?: ManagedEntry[] };
      };
      const owners = new Map((obj.metadata.managedFields ?? []).map((e) => [e.manager, e]));
      return { spec: obj.spec, owners };
    };

    before(async () => {
      server = await startAPIServer({ backend: 'memory' });
      await ok(['apply', '-f', '-'], crd);
      await waitFor('the CRD served', async () => ((await run(['get', 'gateways', '-A'])).code === 0 ? true : undefined));
    });
    after(async () => {
      await server?.stop();
    });

    test('two managers keep their own entries of a map list and a set', async () => {
      assert.equal((await applyAs('team-a', gateway({ ports: [{ name: 'http', port: 80 }], tags: ['a'], selector: { app: 'edge' }, hosts: ['a.example'] }))).code, 0);
      const b = await applyAs('team-b', gateway({ ports: [{ name: 'metrics', port: 9090 }], tags: ['b'] }));
      assert.equal(b.code, 0, describeKubectlResult(b));
      const { spec, owners } = await current();
      assert.deepEqual(spec.ports, [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }]);
      assert.deepEqual(spec.tags, ['a', 'b']);
      assert.deepEqual(owners.get('team-a')?.fieldsV1?.['f:spec'], {
        'f:hosts': {},
        'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
        'f:selector': {},
        'f:tags': { 'v:"a"': {} },
      });
      assert.deepEqual(owners.get('team-b')?.fieldsV1?.['f:spec'], { 'f:ports': { 'k:{"name":"metrics"}': { '.': {}, 'f:name': {}, 'f:port': {} } }, 'f:tags': { 'v:"b"': {} } });
      assert.deepEqual([owners.get('team-a')?.operation, owners.get('team-a')?.apiVersion], ['Apply', 'net.k8ts.dev/v1']);
    });

    test('a conflict names the entry; --force-conflicts takes just that field over', async () => {
      const conflict = await applyAs('team-b', gateway({ ports: [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8080 }], tags: ['b'] }));
      assert.notEqual(conflict.code, 0);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "team-a": \.spec\.ports\[name="http"\]\.port/, describeKubectlResult(conflict));
      const forced = await applyAs('team-b', gateway({ ports: [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8080 }], tags: ['b'] }), ['--force-conflicts']);
      assert.equal(forced.code, 0, describeKubectlResult(forced));
      const { spec, owners } = await current();
      // Entries both sides have follow the applied order (structured-merge-diff's list merge).
      assert.deepEqual(spec.ports, [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8080 }]);
      assert.deepEqual(owners.get('team-a')?.fieldsV1?.['f:spec']?.['f:ports'], { 'k:{"name":"http"}': { '.': {}, 'f:name': {} } }, 'team-a keeps the entry, not its port');
    });

    test('dropping entries removes only what that manager alone owned; an atomic map and an untyped list are replaced whole', async () => {
      const r = await applyAs('team-a', gateway({ ports: [{ name: 'http' }], selector: { tier: 'front' }, hosts: ['b.example'] }));
      assert.equal(r.code, 0, describeKubectlResult(r));
      const { spec } = await current();
      assert.deepEqual(spec.tags, ['b'], 'team-a dropped tag a');
      assert.deepEqual(spec.selector, { tier: 'front' }, 'x-kubernetes-map-type: atomic is replaced, not merged');
      assert.deepEqual(spec.hosts, ['b.example'], 'a list without x-kubernetes-list-type is atomic');
      assert.deepEqual(spec.ports, [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8080 }], 'http stays: team-b owns its port');
    });

    test('an apply through the other served version (conversion None) merges into the same object', async () => {
      const r = await applyAs('team-c', gateway({ ports: [{ name: 'admin', port: 9000 }] }, 'net.k8ts.dev/v2'));
      assert.equal(r.code, 0, describeKubectlResult(r));
      const { spec, owners } = await current();
      assert.deepEqual(spec.ports?.map((p) => p.name), ['metrics', 'http', 'admin']);
      assert.equal(owners.get('team-c')?.apiVersion, 'net.k8ts.dev/v2', 'the entry keeps the version it was applied in');
      assert.equal(owners.get('team-a')?.apiVersion, 'net.k8ts.dev/v1');
    });
  });
}
