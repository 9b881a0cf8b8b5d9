// End to end: the real kubectl (1.27 and 1.33) through the subresources of built-in kinds — `drain`
// (cordon, pods/eviction with a PodDisruptionBudget, DaemonSet pods skipped), `debug` (ephemeralcontainers),
// logs/exec/attach without a kubelet, and `certificate approve/deny` (CSR /approval) — against
// `bin/k8ts apiserver` on the memory backend.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIClient } from '../harness/api-client.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** A pod already bound to `node` and, when `ready`, reported Running and Ready as a kubelet would. */
async function runningPod(client: APIClient, ns: string, pod: { name: string; node: string; labels?: Record<string, string>; ownerReferences?: unknown[] }) {
  const created = await client.expectJSON({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/pods`,
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod.name, labels: pod.labels, ownerReferences: pod.ownerReferences },
      spec: { nodeName: pod.node, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
    },
    expected: [201],
  });
  await client.expectJSON({
    method: 'PUT',
    path: `/api/v1/namespaces/${ns}/pods/${pod.name}/status`,
    body: { ...created, status: { ...created.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    expected: [200],
  });
}

describe('kubectl drain and certificate approve against k8ts apiserver', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      let client: APIClient;
      const run = (args: string[], timeoutMs = 60_000) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, timeoutMs });

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
        client = server.client();
      });
      after(async () => {
        client?.close();
        await server?.stop();
      });

      test('drain evicts through pods/eviction, spends the PDB and skips DaemonSet pods', async () => {
        const ns = 'drain';
        await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, expected: [201] });
        await client.expectJSON({ method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }, expected: [201] });
        const ds = await client.expectJSON({
          method: 'POST',
          path: `/apis/apps/v1/namespaces/${ns}/daemonsets`,
          body: {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            metadata: { name: 'agent' },
            spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } } },
          },
          expected: [201],
        });
        const pdb = await client.expectJSON({
          method: 'POST',
          path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
          body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } },
          expected: [201],
        });
        // What the disruption controller would report for one healthy pod that may be disrupted.
        await client.expectJSON({
          method: 'PUT',
          path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/web/status`,
          body: { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 } },
          expected: [200],
        });
        await runningPod(client, ns, { name: 'web', node: 'n1', labels: { app: 'web' } });
        await runningPod(client, ns, { name: 'loner', node: 'n1' });
        const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true };
        await runningPod(client, ns, { name: 'agent-x', node: 'n1', labels: { app: 'agent' }, ownerReferences: [owner] });

        // No kubelet runs to confirm a graceful termination, so the pods are evicted with a grace period
        // of 0 (deleted at once); with the default they would stay Terminating and drain would time out.
        const r = await run(['drain', 'n1', '--ignore-daemonsets', '--force', '--grace-period=0', '--timeout=60s']);
        assert.equal(r.code, 0, explain(r));
        assert.match(r.stdout + r.stderr, /evicting pod drain\/web/, explain(r));
        assert.match(r.stdout + r.stderr, /pod\/web evicted/, explain(r));
        assert.match(r.stdout + r.stderr, /node\/n1 drained/, explain(r));
        assert.match(r.stderr, /ignoring DaemonSet-managed Pods: drain\/agent-x/i, explain(r));

        const node = await client.expectJSON({ method: 'GET', path: '/api/v1/nodes/n1', expected: [200] });
        assert.equal(node.spec.unschedulable, true, 'drain cordons first');
        for (const gone of ['web', 'loner']) {
          assert.equal((await client.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/${gone}` })).status, 404, `${gone} evicted`);
        }
        assert.equal((await client.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/agent-x` })).status, 200, 'DaemonSet pod kept');
        const spent = await client.expectJSON({ method: 'GET', path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/web`, expected: [200] });
        assert.equal(spent.status.disruptionsAllowed, 0);
        assert.ok(spent.status.disruptedPods?.web, 'the eviction is recorded in the budget');
      });

      test('a budget with no disruption left blocks drain until its timeout', async () => {
        const ns = 'guarded';
        await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, expected: [201] });
        await client.expectJSON({ method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } }, expected: [201] });
        const pdb = await client.expectJSON({
          method: 'POST',
          path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
          body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } },
          expected: [201],
        });
        await client.expectJSON({
          method: 'PUT',
          path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/db/status`,
          body: { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } },
          expected: [200],
        });
        await runningPod(client, ns, { name: 'db', node: 'n2', labels: { app: 'db' } });
        const r = await run(['drain', 'n2', '--force', '--grace-period=0', '--timeout=2s']);
        assert.notEqual(r.code, 0, explain(r));
        assert.match(r.stdout + r.stderr, /Cannot evict pod as it would violate the pod's disruption budget/, explain(r));
        assert.equal((await client.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/db` })).status, 200, 'the guarded pod stays');
      });

      test('debug adds an ephemeral container; logs, exec and attach answer without a kubelet', async () => {
        const ns = 'debugging';
        await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, expected: [201] });
        await client.expectJSON({
          method: 'POST',
          path: `/api/v1/namespaces/${ns}/pods`,
          body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
          expected: [201],
        });
        const debug = await run(['debug', '-n', ns, 'p', '--image=busybox', '--container=dbg', '--', 'true']);
        assert.equal(debug.code, 0, explain(debug));
        const pod = await client.expectJSON({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/p`, expected: [200] });
        assert.deepEqual(pod.spec.ephemeralContainers.map((c: { name: string }) => c.name), ['dbg']);

        // An unscheduled pod has an empty log, and nothing to exec into or attach to.
        const logs = await run(['logs', '-n', ns, 'p', '-c', 'c']);
        assert.equal(logs.code, 0, explain(logs));
        assert.equal(logs.stdout, '');
        for (const args of [['exec', '-n', ns, 'p', '-c', 'c', '--', 'ls'], ['attach', '-n', ns, 'p', '-c', 'c']]) {
          const r = await run(args);
          assert.equal(r.code, 1, explain(r));
          assert.match(r.stderr, /Error from server \(BadRequest\): pod p does not have a host assigned/, explain(r));
        }
      });

      test('certificate approve and deny go through /approval', async () => {
        for (const name of ['csr-a', 'csr-d']) {
          await client.expectJSON({
            method: 'POST',
            path: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
            body: {
              apiVersion: 'certificates.k8s.io/v1',
              kind: 'CertificateSigningRequest',
              metadata: { name },
              spec: { request: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K', signerName: 'example.com/signer', usages: ['client auth'] },
            },
            expected: [201],
          });
        }
        const approve = await run(['certificate', 'approve', 'csr-a']);
        assert.equal(approve.code, 0, explain(approve));
        assert.match(approve.stdout, /certificatesigningrequest.certificates.k8s.io\/csr-a approved/);
        const deny = await run(['certificate', 'deny', 'csr-d']);
        assert.equal(deny.code, 0, explain(deny));
        assert.match(deny.stdout, /certificatesigningrequest.certificates.k8s.io\/csr-d denied/);

        const a = await client.expectJSON({ method: 'GET', path: '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-a', expected: [200] });
        assert.deepEqual(
          a.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason]),
          [['Approved', 'True', 'KubectlApprove']],
        );
        assert.ok(a.status.conditions[0].lastTransitionTime, 'the server stamps lastTransitionTime');
        const d = await client.expectJSON({ method: 'GET', path: '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-d', expected: [200] });
        assert.deepEqual(
          d.status.conditions.map((c: Record<string, string>) => [c.type, c.reason]),
          [['Denied', 'KubectlDeny']],
        );
        const table = await run(['get', 'csr', 'csr-a', 'csr-d', '--no-headers']);
        assert.equal(table.code, 0, explain(table));
        assert.match(table.stdout, /csr-a\s.*Approved/);
        assert.match(table.stdout, /csr-d\s.*Denied/);
      });
    });
  }
});
