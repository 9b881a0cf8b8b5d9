// End to end: CustomResourceDefinitions with the real kubectl (1.27 and 1.33) against `bin/k8ts apiserver`:
// a CRD with a schema, status and scale subresources and printer columns; CRs created, printed, validated
// (422), scaled; deleting the CRD removes its objects and its resource type.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYAML } from 'yaml';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const testdata = new URL('./testdata/crd/', import.meta.url).pathname;
const versions: KubectlVersion[] = ['1.27', '1.33'];

type Run = (args: string[]) => Promise<KubectlResult>;

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

async function ok(run: Run, args: string[]): Promise<string> {
  const r = await run(args);
  assert.equal(r.code, 0, explain(r));
  return r.stdout;
}

describe('CustomResourceDefinitions with kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      let run: Run;
      const ns = 'crd-e2e';

      before(async () => {
        server = await startAPIServer({ backend: 'sqlite' });
        run = (args) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, timeoutMs: 30_000 });
        await ok(run, ['create', 'namespace', ns]);
      });
      after(async () => {
        await server?.stop();
      });

      test('create -f a CRD; it becomes Established and discoverable', async () => {
        assert.match(await ok(run, ['create', '-f', join(testdata, 'crontab-crd.yaml')]), /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com created/);
        assert.match(await ok(run, ['wait', '--for=condition=Established', '--timeout=20s', 'crd/crontabs.stable.example.com']), /condition met/);
        const resources = await ok(run, ['api-resources', '--api-group=stable.example.com', '--no-headers']);
        assert.match(resources, /^crontabs\s+ct\s+stable.example.com\/v1\s+true\s+CronTab$/m, resources);
      });

      test('create -f a CR, get it with printer columns and -o yaml', async () => {
        assert.match(await ok(run, ['create', '-n', ns, '-f', join(testdata, 'crontab.yaml')]), /crontab.stable.example.com\/nightly created/);
        const table = await ok(run, ['get', 'crontabs', '-n', ns]);
        const [header, row] = table.trim().split('\n');
        assert.match(header ?? '', /^NAME\s+SPEC\s+REPLICAS\s+AGE$/, table);
        assert.match(row ?? '', /^nightly\s+0 3 \* \* \*\s+1\s+\d+s$/, table);
        const obj = parseYAML(await ok(run, ['get', 'ct', 'nightly', '-n', ns, '-o', 'yaml']));
        assert.equal(obj.apiVersion, 'stable.example.com/v1');
        assert.equal(obj.kind, 'CronTab');
        assert.equal(obj.spec.replicas, 1, 'the schema default is applied');
        assert.equal(obj.metadata.generation, 1);
        assert.deepEqual(obj.metadata.labels, { team: 'backup' }, 'a schema declaring metadata as an object prunes none of it');
      });

      test('explain reads the CRD schema from /openapi/v3', async () => {
        const out = await ok(run, ['explain', 'crontabs.spec']);
        assert.match(out, /FIELD: spec <Object>/, out);
        assert.match(out, /DESCRIPTION:\s+What the CronTab runs and when\./, out);
        assert.match(out, /cronSpec\s+<string> -required-\s+The schedule in cron format/, out);
        assert.match(out, /replicas\s+<integer>/, out);
      });

      test('an invalid CR is rejected with 422 and the schema message', async () => {
        const r = await run(['create', '-n', ns, '-f', join(testdata, 'crontab-invalid.yaml')]);
        assert.equal(r.code, 1, explain(r));
        assert.match(r.stderr, /The CronTab "broken" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10/, explain(r));
      });

      test('an unknown field is refused (kubectl asks for Strict field validation)', async () => {
        const r = await run(['create', '-n', ns, '-f', join(testdata, 'crontab-unknown-field.yaml')]);
        assert.equal(r.code, 1, explain(r));
        assert.match(r.stderr, /Error from server \(BadRequest\): error when creating ".*crontab-unknown-field.yaml": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.replica"/, explain(r));
      });

      test('kubectl scale uses the scale subresource', async () => {
        assert.match(await ok(run, ['scale', '-n', ns, 'crontab/nightly', '--replicas=3']), /crontab.stable.example.com\/nightly scaled/);
        assert.equal(await ok(run, ['get', 'crontab', 'nightly', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '3');
        const obj = parseYAML(await ok(run, ['get', 'crontab', 'nightly', '-n', ns, '-o', 'yaml']));
        assert.equal(obj.metadata.generation, 2, 'a spec change bumps the generation');
      });

      test('deleting the CRD deletes its objects and the resource type', async () => {
        assert.match(await ok(run, ['delete', 'crd', 'crontabs.stable.example.com', '--timeout=30s']), /customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted/);
        const gone = await run(['get', 'crd', 'crontabs.stable.example.com']);
        assert.equal(gone.code, 1, explain(gone));
        assert.match(gone.stderr, /NotFound/, explain(gone));
        const client = server.client();
        try {
          await client.expectJSON({ method: 'GET', path: `/apis/stable.example.com/v1/namespaces/${ns}/crontabs/nightly`, expected: [404] });
          await client.expectJSON({ method: 'GET', path: '/apis/stable.example.com/v1', expected: [404] });
        } finally {
          client.close();
        }
        const r = await run(['get', 'crontabs', '-n', ns]);
        assert.equal(r.code, 1, explain(r));
        assert.match(r.stderr, /the server doesn't have a resource type "crontabs"/, explain(r));
      });
    });
  }
});
