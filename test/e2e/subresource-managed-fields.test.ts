// End to end: the real kubectl (1.27 and 1.33) writing through /scale and /status of a Deployment and of a custom
// resource, and the managedFields entries (`subresource: scale|status`) that `get --show-managed-fields` then prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYAML } from 'yaml';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult as explain, kubectl, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];
const ns = 'subres';

interface ManagedEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsV1?: Record<string, Record<string, unknown>>;
}

function deployment(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

/** A namespaced CRD whose replicas live at .spec.size, with both subresources. */
const widgetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}, scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.ready}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}, color: {type: string}}}
          status: {type: object, properties: {ready: {type: integer}, phase: {type: string}}}
`;

function widget(name: string, size: number): string {
  return JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: ns }, spec: { size, color: 'red' } });
}

describe('managedFields of writes through /scale and /status with the real kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      // kubectl scale sends no fieldManager, so the manager is the User-Agent's program name: the binary's file name.
      const program = `kubectl.${version}`;
      const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });
      const ok = async (args: string[], stdin?: string) => {
        const r = await run(args, stdin);
        assert.equal(r.code, 0, explain(r));
        return r.stdout;
      };
      const managed = async (resource: string, name: string): Promise<{ entries: ManagedEntry[]; yaml: string }> => {
        const yaml = await ok(['get', resource, name, '-n', ns, '-o', 'yaml', '--show-managed-fields']);
        return { entries: (parseYAML(yaml) as { metadata: { managedFields?: ManagedEntry[] } }).metadata.managedFields ?? [], yaml };
      };
      const summary = (e: ManagedEntry | undefined) => e && [e.manager, e.operation, e.apiVersion, e.subresource, e.fieldsV1];

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
        await ok(['create', 'namespace', ns]);
        await ok(['apply', '-f', '-'], widgetCRD);
        await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
      });
      after(async () => {
        await server?.stop();
      });

      test('kubectl scale of a Deployment is an Update with subresource scale owning spec.replicas; re-applying conflicts', async () => {
        await ok(['apply', '--server-side', '-f', '-'], deployment('web', 2));
        await ok(['scale', 'deploy/web', '-n', ns, '--replicas=5']);
        const { entries, yaml } = await managed('deployment', 'web');
        const scaler = entries.find((e) => e.subresource === 'scale');
        assert.deepEqual(summary(scaler), [program, 'Update', 'apps/v1', 'scale', { 'f:spec': { 'f:replicas': {} } }], yaml);
        const applier = entries.find((e) => e.operation === 'Apply');
        assert.equal(applier?.subresource, undefined, yaml);
        assert.equal(applier?.fieldsV1?.['f:spec']?.['f:replicas'], undefined, `the applier lost replicas to the scaler\n${yaml}`);
        assert.ok(applier?.fieldsV1?.['f:spec']?.['f:template'], `the applier keeps the rest of its fields\n${yaml}`);

        const again = await run(['apply', '--server-side', '-f', '-'], deployment('web', 2));
        assert.notEqual(again.code, 0, explain(again));
        assert.ok(again.stderr.includes(`conflict with "${program}" with subresource "scale" using apps/v1: .spec.replicas`), explain(again));
        assert.equal(JSON.parse(await ok(['get', 'deploy', 'web', '-n', ns, '-o', 'json'])).spec.replicas, 5, 'the refused apply changed nothing');

        await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment('web', 2));
        const forced = await managed('deployment', 'web');
        assert.equal(forced.entries.some((e) => e.subresource === 'scale'), false, `the scaler's only field was taken\n${forced.yaml}`);
        assert.deepEqual(forced.entries.find((e) => e.operation === 'Apply')?.fieldsV1?.['f:spec']?.['f:replicas'], {}, forced.yaml);
      });

      test('kubectl patch --subresource=status is an Update with subresource status; the main managers keep their fields', async () => {
        await ok(['apply', '--server-side', '-f', '-'], deployment('st', 1));
        await ok(['patch', 'deploy/st', '-n', ns, '--subresource=status', '--type=merge', '-p', '{"status":{"observedGeneration":1,"replicas":1}}']);
        const { entries, yaml } = await managed('deployment', 'st');
        const status = entries.find((e) => e.subresource === 'status');
        assert.deepEqual(summary(status), ['kubectl-patch', 'Update', 'apps/v1', 'status', { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } }], yaml);
        const applier = entries.find((e) => e.operation === 'Apply');
        assert.deepEqual(applier?.fieldsV1?.['f:spec']?.['f:replicas'], {}, yaml);
        // A main-resource write cannot touch status (the Deployment strategy keeps the stored one), nor its owner.
        await ok(['label', 'deploy/st', '-n', ns, 'tier=web']);
        const relabeled = await managed('deployment', 'st');
        assert.deepEqual(summary(relabeled.entries.find((e) => e.subresource === 'status')), summary(status), relabeled.yaml);
      });

      test('kubectl scale and a status patch of a custom resource map to its specReplicasPath and status', async () => {
        await ok(['apply', '--server-side', '-f', '-'], widget('w1', 1));
        await ok(['scale', 'widget/w1', '-n', ns, '--replicas=3']);
        await ok(['patch', 'widget/w1', '-n', ns, '--subresource=status', '--type=merge', '-p', '{"status":{"ready":3}}']);
        const { entries, yaml } = await managed('widget', 'w1');
        assert.deepEqual(summary(entries.find((e) => e.subresource === 'scale')), [program, 'Update', 'example.com/v1', 'scale', { 'f:spec': { 'f:size': {} } }], yaml);
        assert.deepEqual(summary(entries.find((e) => e.subresource === 'status')), ['kubectl-patch', 'Update', 'example.com/v1', 'status', { 'f:status': { '.': {}, 'f:ready': {} } }], yaml);
        const applier = entries.find((e) => e.operation === 'Apply');
        assert.deepEqual(applier?.fieldsV1?.['f:spec'], { 'f:color': {} }, yaml);
        const again = await run(['apply', '--server-side', '-f', '-'], widget('w1', 1));
        assert.notEqual(again.code, 0, explain(again));
        assert.ok(again.stderr.includes(`conflict with "${program}" with subresource "scale" using example.com/v1: .spec.size`), explain(again));
      });

      if (version !== '1.27') {
        // kubectl 1.27 has no apply --subresource (patch and edit had it first).
        test('apply --server-side --subresource=status records an Apply entry with subresource status; =scale takes only a Scale', async () => {
          await ok(['apply', '--server-side', '-f', '-'], deployment('auto', 2));
          const status = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'auto', namespace: ns }, status: { observedGeneration: 1 } });
          await ok(['apply', '--server-side', '--subresource=status', '--field-manager=prober', '-f', '-'], status);
          const { entries, yaml } = await managed('deployment', 'auto');
          assert.deepEqual(summary(entries.find((e) => e.manager === 'prober')), ['prober', 'Apply', 'apps/v1', 'status', { 'f:status': { 'f:observedGeneration': {} } }], yaml);
          assert.deepEqual(entries.find((e) => e.manager === 'kubectl')?.fieldsV1?.['f:spec']?.['f:replicas'], {}, yaml);
          // kubectl maps the manifest by its kind, so it sends the Deployment itself to /scale; the scale handler
          // applies only autoscaling/v1 Scales (a Scale manifest has no resource mapping in kubectl).
          const scale = await run(['apply', '--server-side', '--subresource=scale', '--field-manager=autoscaler', '-f', '-'], deployment('auto', 4));
          assert.notEqual(scale.code, 0, explain(scale));
          assert.ok(scale.stderr.includes('Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: autoscaling/v1'), explain(scale));
          assert.equal(JSON.parse(await ok(['get', 'deploy', 'auto', '-n', ns, '-o', 'json'])).spec.replicas, 2);
        });
      }
    });
  }
});
