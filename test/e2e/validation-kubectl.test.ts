// End to end: built-in validation as the real kubectl (1.27 and 1.33) shows it — 422 Invalid with upstream's field
// paths and messages, nothing stored, the same answer on --dry-run=server; decoding errors of formats as 400.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

type Run = (args: string[], stdin?: string) => Promise<KubectlResult>;

const deployment = (name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } }, ...spec },
  });

describe('validation errors through kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      let run: Run;

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
        run = (args, stdin) => kubectl({ version, kubeconfig: server.kubeconfigPath, args: [...args, '-n', 'default'], stdin });
      });
      after(async () => {
        await server?.stop();
      });

      /** Expects exit 1 with `want` on stderr, and that `kind/name` was not stored. */
      async function rejected(args: string[], stdin: string, want: string, stored: [string, string]): Promise<void> {
        const r = await run(args, stdin);
        assert.equal(r.code, 1, describeKubectlResult(r));
        assert.ok(r.stderr.includes(want), `want ${JSON.stringify(want)}\n${describeKubectlResult(r)}`);
        const get = await run(['get', ...stored]);
        assert.equal(get.code, 1, describeKubectlResult(get));
        assert.match(get.stderr, /NotFound/, describeKubectlResult(get));
      }

      test('apply of a Deployment without image: 422 with upstream wording, nothing created', async () => {
        const want = 'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value';
        await rejected(['apply', '-f', '-'], deployment('web', { name: 'web' }), want, ['deployment', 'web']);
        await rejected(['apply', '--dry-run=server', '-f', '-'], deployment('web', { name: 'web' }), want, ['deployment', 'web']);
      });

      test('create with an unsupported strategy type and a request above its limit lists every cause', async () => {
        const body = deployment('api', { name: 'api', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }, { strategy: { type: 'Foo' } });
        const r = await run(['create', '-f', '-'], body);
        assert.equal(r.code, 1, describeKubectlResult(r));
        assert.ok(r.stderr.includes('The Deployment "api" is invalid:'), describeKubectlResult(r));
        assert.ok(r.stderr.includes('spec.strategy.type: Unsupported value: "Foo": supported values: "Recreate", "RollingUpdate"'), describeKubectlResult(r));
        assert.ok(r.stderr.includes('spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'), describeKubectlResult(r));
      });

      test('a pod with a mount of no volume and a bad env name', async () => {
        const pod = JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A=B', value: '1' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
        });
        const r = await run(['apply', '-f', '-'], pod);
        assert.equal(r.code, 1, describeKubectlResult(r));
        assert.ok(r.stderr.includes('The Pod "p" is invalid:'), describeKubectlResult(r));
        assert.ok(r.stderr.includes('spec.containers[0].volumeMounts[0].name: Not found: "data"'), describeKubectlResult(r));
        assert.ok(r.stderr.includes(`spec.containers[0].env[0].name: Invalid value: "A=B"`), describeKubectlResult(r));
      });

      test('selector of a Deployment is immutable', async () => {
        const first = await run(['apply', '-f', '-'], deployment('imm', { name: 'c', image: 'nginx' }));
        assert.equal(first.code, 0, describeKubectlResult(first));
        const changed = JSON.parse(deployment('imm', { name: 'c', image: 'nginx' }));
        changed.spec.selector.matchLabels.tier = 'x';
        changed.spec.template.metadata.labels.tier = 'x';
        const r = await run(['apply', '-f', '-'], JSON.stringify(changed));
        assert.equal(r.code, 1, describeKubectlResult(r));
        assert.ok(r.stderr.includes('spec.selector: Invalid value: '), describeKubectlResult(r));
        assert.ok(r.stderr.includes('field is immutable'), describeKubectlResult(r));
      });

      test('a CronJob schedule is parsed', async () => {
        const cj = JSON.stringify({
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'cj' },
          spec: { schedule: '61 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } },
        });
        await rejected(['create', '-f', '-'], cj, 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61', ['cronjob', 'cj']);
      });

      test('bad base64 and quantities fail decoding with 400 as upstream', async () => {
        const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'abc' } });
        await rejected(['create', '-f', '-'], secret, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0', ['secret', 's']);
        const pvc = JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: 'lots' } } } });
        await rejected(['create', '-f', '-'], pvc, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", ['pvc', 'c']);
      });
    });
  }
});
