// End to end: every supported kubectl minor (1.27–1.33) does the basic round trip against one
// `k8ts apiserver` (sqlite). The versions differ in discovery (v2beta1 vs v2), OpenAPI (v2 eagerly on
// 1.27/1.28) and request bodies (protobuf from 1.32), so each one exercises a different mix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, kubectlVersions, type KubectlResult } from '../harness/kubectl.js';

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

describe('every kubectl minor against k8ts apiserver on sqlite', () => {
  let server: APIServerProcess;
  before(async () => {
    server = await startAPIServer({ backend: 'sqlite' });
  });
  after(() => server?.stop());

  for (const version of kubectlVersions) {
    test(`kubectl ${version}: create namespace, create -f, apply, scale, replace, explain, get, delete, wait`, async () => {
      const run = async (args: string[], stdin?: string) => {
        const r = await kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin });
        assert.equal(r.code, 0, explain(r));
        return r.stdout;
      };
      const ns = `v${version.replace('.', '-')}`;
      // A generator: a protobuf body from 1.32 on, JSON before.
      assert.match(await run(['create', 'namespace', ns]), new RegExp(`namespace/${ns} created`));
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      };
      // create -f: 1.27/1.28 fetch /openapi/v2 (protobuf) first; all versions probe /openapi/v3 for validation.
      assert.match(await run(['create', '-n', ns, '-f', '-'], JSON.stringify(deployment)), /deployment.apps\/web created/);
      // Client-side apply of a change: GET, three-way strategic merge patch.
      deployment.spec.replicas = 3;
      assert.match(await run(['apply', '-n', ns, '-f', '-'], JSON.stringify(deployment)), /deployment.apps\/web (configured|serverside-applied)/);
      const got = JSON.parse(await run(['get', 'deployment', 'web', '-n', ns, '-o', 'json']));
      assert.equal(got.spec.replicas, 3);
      assert.equal(got.metadata.namespace, ns);
      assert.match(await run(['get', 'deploy', '-n', ns]), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/3\s+/);
      // The scale subresource (merge patch on …/scale) and replace (GET, then PUT with the server's resourceVersion).
      assert.match(await run(['scale', 'deployment', 'web', '-n', ns, '--replicas=4']), /deployment.apps\/web scaled/);
      const scaled = JSON.parse(await run(['get', 'deployment', 'web', '-n', ns, '-o', 'json']));
      assert.equal(scaled.spec.replicas, 4);
      scaled.spec.replicas = 5;
      assert.match(await run(['replace', '-f', '-'], JSON.stringify(scaled)), /deployment.apps\/web replaced/);
      assert.equal(await run(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '5');
      // explain reads the OpenAPI document (v2 on 1.27/1.28's first try, v3 otherwise).
      assert.match(await run(['explain', 'deployment.spec.replicas']), /KIND:\s+Deployment[\s\S]*replicas/);
      assert.match(await run(['delete', 'deployment', 'web', '-n', ns]), /deployment.apps "web" deleted/);
      // wait --for=delete: GET, then LIST+WATCH by metadata.name until gone (here: at once).
      await run(['wait', '--for=delete', 'deployment/web', '-n', ns, '--timeout=20s']);
      const gone = await kubectl({ version, kubeconfig: server.kubeconfigPath, args: ['get', 'deployment', 'web', '-n', ns] });
      assert.equal(gone.code, 1, explain(gone));
      assert.match(gone.stderr, /Error from server \(NotFound\): deployments.apps "web" not found/);
    });
  }
});
