// End to end: admission through the real kubectl (1.27 and 1.33) against `bin/k8ts apiserver` with upstream's
// default plugins — the ServiceAccount refusal the 2018 tutorial shows, then the injected token volume; a test
// webhook (HTTPS on 127.0.0.1, generated CA) that labels and denies by name, with its warning; failurePolicy
// Ignore vs Fail with the webhook down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { addLabelPatch, startTestWebhookServer, type TestWebhookServer } from '../../src/apiserver/admission/webhook/testing/webhook-server.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const busybox = `apiVersion: v1
kind: Pod
metadata:
  name: busybox
spec:
  containers:
  - name: busybox
    image: busybox:1.28
    command: ["sleep", "3600"]
`;

/** A webhook configuration (YAML) for one hook on configmap creates in namespaces labelled for the test. */
function webhookConfiguration(args: { kind: 'Mutating' | 'Validating'; name: string; url: string; caBundle: string; failurePolicy?: 'Fail' | 'Ignore'; namespace: string }): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ${args.kind}WebhookConfiguration
metadata:
  name: ${args.name}
webhooks:
- name: ${args.name}.example.com
  admissionReviewVersions: ["v1"]
  sideEffects: None
  failurePolicy: ${args.failurePolicy ?? 'Fail'}
  timeoutSeconds: 5
  clientConfig:
    url: ${args.url}
    caBundle: ${args.caBundle}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: ${args.namespace}
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
`;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('admission against k8ts apiserver with kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      let hook: TestWebhookServer;
      const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });

      before(async () => {
        server = await startAPIServer({ backend: 'memory', admissionPlugins: 'upstream-defaults' });
        hook = await startTestWebhookServer({
          handle: (path, request) => {
            if (path === '/mutate') return { allowed: true, patchType: 'JSONPatch', patch: addLabelPatch(request.object, 'admitted-by', 'test-webhook'), warnings: ['labelled by the test webhook'] };
            const name: string = request.object?.metadata?.name ?? '';
            if (name.startsWith('bad-')) return { allowed: false, result: { code: 403, reason: 'Forbidden', message: `name "${name}" is not allowed` } };
            return { allowed: true };
          },
        });
      });
      after(async () => {
        await server?.stop();
        await hook?.close();
      });

      test('ServiceAccount: refused until the default account exists, then the token volume is injected', async () => {
        const refused = await run(['create', '-f', '-'], busybox);
        assert.notEqual(refused.code, 0, explain(refused));
        assert.match(refused.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "busybox" is forbidden: error looking up service account default\/default: serviceaccount "default" not found/, explain(refused));

        const sa = await run(['create', 'serviceaccount', 'default']);
        assert.equal(sa.code, 0, explain(sa));
        const created = await run(['create', '-f', '-'], busybox);
        assert.equal(created.code, 0, explain(created));
        const got = await run(['get', 'pod', 'busybox', '-o', 'jsonpath={.spec.serviceAccountName} {.spec.volumes[0].name} {.spec.containers[0].volumeMounts[0].mountPath} {.spec.tolerations[*].key}']);
        assert.equal(got.code, 0, explain(got));
        assert.match(got.stdout, /^default kube-api-access-[a-z0-9]{5} \/var\/run\/secrets\/kubernetes\.io\/serviceaccount node\.kubernetes\.io\/not-ready node\.kubernetes\.io\/unreachable$/, explain(got));
      });

      test('webhooks: the mutating one labels, the validating one denies by name', async () => {
        assert.equal((await run(['create', 'namespace', 'hooked'])).code, 0);
        const apply = await run(
          ['apply', '-f', '-'],
          [
            webhookConfiguration({ kind: 'Mutating', name: 'labeler', url: `${hook.url}/mutate`, caBundle: hook.caBundle, namespace: 'hooked' }),
            webhookConfiguration({ kind: 'Validating', name: 'namer', url: `${hook.url}/validate`, caBundle: hook.caBundle, namespace: 'hooked' }),
          ].join('---\n'),
        );
        assert.equal(apply.code, 0, explain(apply));

        const ok = await run(['-n', 'hooked', 'create', 'configmap', 'good', '--from-literal=k=v']);
        assert.equal(ok.code, 0, explain(ok));
        assert.match(ok.stderr, /Warning: labelled by the test webhook/, explain(ok));
        const labels = await run(['-n', 'hooked', 'get', 'configmap', 'good', '-o', 'jsonpath={.metadata.labels}']);
        assert.equal(labels.stdout, '{"admitted-by":"test-webhook"}', explain(labels));

        const denied = await run(['-n', 'hooked', 'create', 'configmap', 'bad-apple', '--from-literal=k=v']);
        assert.notEqual(denied.code, 0, explain(denied));
        assert.match(denied.stderr, /admission webhook "namer\.example\.com" denied the request: name "bad-apple" is not allowed/, explain(denied));
        const absent = await run(['-n', 'hooked', 'get', 'configmap', 'bad-apple']);
        assert.match(absent.stderr, /NotFound|not found/, explain(absent));

        // Other namespaces are not selected.
        const elsewhere = await run(['create', 'configmap', 'bad-but-elsewhere', '--from-literal=k=v']);
        assert.equal(elsewhere.code, 0, explain(elsewhere));
      });

      test('failurePolicy with the webhook down: Ignore admits, Fail refuses with upstream message', async () => {
        const port = await closedPort();
        assert.equal((await run(['create', 'namespace', 'down'])).code, 0);
        const apply = await run(
          ['apply', '-f', '-'],
          [
            webhookConfiguration({ kind: 'Validating', name: 'lenient', url: `https://127.0.0.1:${port}/v`, caBundle: hook.caBundle, failurePolicy: 'Ignore', namespace: 'down' }),
          ].join('---\n'),
        );
        assert.equal(apply.code, 0, explain(apply));
        const admitted = await run(['-n', 'down', 'create', 'configmap', 'c1', '--from-literal=k=v']);
        assert.equal(admitted.code, 0, explain(admitted));

        const strict = await run(
          ['apply', '-f', '-'],
          webhookConfiguration({ kind: 'Validating', name: 'strict', url: `https://127.0.0.1:${port}/v`, caBundle: hook.caBundle, failurePolicy: 'Fail', namespace: 'down' }),
        );
        assert.equal(strict.code, 0, explain(strict));
        const refused = await run(['-n', 'down', 'create', 'configmap', 'c2', '--from-literal=k=v']);
        assert.notEqual(refused.code, 0, explain(refused));
        assert.match(
          refused.stderr,
          new RegExp(`Internal error occurred: failed calling webhook "strict\\.example\\.com": failed to call webhook: Post "https://127\\.0\\.0\\.1:${port}/v\\?timeout=5s": dial tcp 127\\.0\\.0\\.1:${port}: connect: connection refused`),
          explain(refused),
        );
      });
    });
  }
});
