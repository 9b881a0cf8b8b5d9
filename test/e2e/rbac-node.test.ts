// End to end: the Node authorizer with `--authorization-mode=Node,RBAC` and kubelet identities from a
// token file (user system:node:<name>, group system:nodes), driven by the real kubectl (1.27, 1.33): a node
// reads the secrets and configmaps of pods bound to it and nothing else, only its own Lease, and (with
// NodeRestriction, off by default as upstream) modifies only its own Node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const lease = (name: string) =>
  JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40 } });

describe('Node authorizer with real kubectl', () => {
  let server: APIServerProcess;
  const configs: Record<string, string> = {};

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-node-authz-e2e-'));
    await writeFile(join(dir, 'tokens.csv'), ['admin-token,admin,1,"system:masters"', 'n1-token,system:node:n1,2,"system:nodes"', 'n2-token,system:node:n2,3,"system:nodes"'].join('\n') + '\n');
    server = await startAPIServer({ backend: 'memory', extraArgs: ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', `--token-auth-file=${join(dir, 'tokens.csv')}`] });
    for (const user of ['admin', 'n1', 'n2']) {
      configs[user] = join(dir, `${user}.kubeconfig`);
      await writeKubeconfig({ path: configs[user], server: server.url, caPEM: server.caPEM, token: `${user}-token` });
    }
  });
  after(() => server?.stop());

  const run = (version: KubectlVersion, user: string, args: string[], stdin?: string) => kubectl({ version, kubeconfig: configs[user]!, args, stdin });
  const ok = async (version: KubectlVersion, user: string, args: string[], stdin?: string): Promise<string> => {
    const r = await run(version, user, args, stdin);
    assert.equal(r.code, 0, explain(r));
    return r.stdout;
  };
  const forbidden = async (version: KubectlVersion, user: string, args: string[], message: string, stdin?: string): Promise<void> => {
    const r = await run(version, user, args, stdin);
    assert.notEqual(r.code, 0, explain(r));
    assert.ok(r.stderr.includes(message), explain(r));
  };

  const node = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

  for (const version of versions) {
    test(`kubectl ${version}: a node cannot modify another node (authorized by system:node rules, refused by NodeRestriction)`, async () => {
      const suffix = version.replace('.', '-');
      await ok(version, 'n1', ['apply', '-f', '-'], node('n1'));
      await ok(version, 'n2', ['apply', '-f', '-'], node('n2'));
      await ok(version, 'n1', ['label', 'node', 'n1', `mine-${suffix}=yes`, '--overwrite']);
      await forbidden(version, 'n1', ['label', 'node', 'n2', `mine-${suffix}=no`, '--overwrite'], 'node "n1" is not allowed to modify node "n2"');
    });

    test(`kubectl ${version}: a node reaches only what the pods bound to it refer to`, async () => {
      const ns = `node-authz-${version.replace('.', '-')}`;
      await ok(version, 'admin', ['create', 'namespace', ns]);
      await ok(version, 'admin', ['create', 'serviceaccount', 'default', '-n', ns]);
      await ok(version, 'admin', ['create', 'secret', 'generic', 'app-creds', '--from-literal=p=1', '-n', ns]);
      await ok(version, 'admin', ['create', 'secret', 'generic', 'other', '--from-literal=p=2', '-n', ns]);
      await ok(version, 'admin', ['create', 'configmap', 'app-config', '--from-literal=k=v', '-n', ns]);
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'app', namespace: ns },
        spec: {
          nodeName: 'n1',
          containers: [{ name: 'c', image: 'busybox', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'app-creds', key: 'p' } } }], envFrom: [{ configMapRef: { name: 'app-config' } }] }],
        },
      };
      await ok(version, 'admin', ['create', '-f', '-'], JSON.stringify(pod));

      // The graph follows a watch: wait (bounded) until n1 sees the pod's secret.
      let seen = false;
      for (let i = 0; i < 50 && !seen; i++) seen = (await run(version, 'n1', ['get', 'secret', 'app-creds', '-n', ns, '-o', 'name'])).code === 0;
      assert.ok(seen, 'n1 never got the secret of its pod');
      assert.match(await ok(version, 'n1', ['get', 'configmap', 'app-config', '-n', ns, '-o', 'name']), /configmap\/app-config/);
      await forbidden(
        version,
        'n1',
        ['get', 'secret', 'other', '-n', ns],
        `secrets "other" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "${ns}": no relationship found between node 'n1' and this object`,
      );
      await forbidden(version, 'n2', ['get', 'secret', 'app-creds', '-n', ns], `no relationship found between node 'n2' and this object`);
      await forbidden(version, 'n1', ['get', 'secrets', '-n', ns], `secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "${ns}"`);
      // Reads the node rules allow: pods and nodes.
      assert.match(await ok(version, 'n1', ['get', 'pods', '-n', ns, '-o', 'name']), /pod\/app/);
      await forbidden(version, 'n1', ['get', 'deployments.apps', '-n', ns], `deployments.apps is forbidden: User "system:node:n1" cannot list resource "deployments" in API group "apps" in the namespace "${ns}"`);
    });

    test(`kubectl ${version}: a node writes only its own Lease`, async () => {
      const suffix = version.replace('.', '-');
      await ok(version, 'n1', ['apply', '-f', '-'], lease('n1'));
      await ok(version, 'n1', ['annotate', 'lease', 'n1', '-n', 'kube-node-lease', `seen-${suffix}=yes`, '--overwrite']);
      await forbidden(version, 'n2', ['annotate', 'lease', 'n1', '-n', 'kube-node-lease', `seen-${suffix}=no`, '--overwrite'], 'can only access node lease with the same name as the requesting node');
      await forbidden(version, 'n1', ['get', 'lease', 'n1', '-n', 'default'], 'can only access leases in the "kube-node-lease" system namespace');
    });
  }
});
