// End to end: the controller manager as the tutorials run it — `--authorization-mode=Node,RBAC` on the
// apiserver, the manager authenticating as system:kube-controller-manager with
// `--use-service-account-credentials`, so each controller acts as kube-system/<controller> under its
// bootstrap role. A Deployment still becomes a ReplicaSet and Pods, created by those service accounts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl } from '../harness/kubectl.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';

describe('controller-manager with RBAC and per-controller service accounts', () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let admin: Interface;
  let keyDir = '';
  let adminKubeconfig = '';

  before(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'k8ts-cm-rbac-'));
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(join(keyDir, 'sa.key'), pair.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    await writeFile(join(keyDir, 'sa.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(join(keyDir, 'tokens.csv'), 'admin-token,admin,1,system:masters\ncm-token,system:kube-controller-manager,2\n');
    server = await startAPIServer({
      backend: 'memory',
      extraArgs: [
        `--token-auth-file=${join(keyDir, 'tokens.csv')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${join(keyDir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(keyDir, 'sa.key')}`,
        '--authorization-mode=Node,RBAC',
      ],
    });
    adminKubeconfig = join(keyDir, 'admin.conf');
    await writeKubeconfig({ path: adminKubeconfig, server: server.url, caPEM: server.caPEM, token: 'admin-token' });
    const cmKubeconfig = join(keyDir, 'controller-manager.conf');
    await writeKubeconfig({ path: cmKubeconfig, server: server.url, caPEM: server.caPEM, token: 'cm-token' });
    admin = newClient(loadRESTConfig({ kubeconfig: adminKubeconfig }));
    cm = await startControllerManager({
      kubeconfigPath: cmKubeconfig,
      logDir: keyDir,
      leaderElect: true,
      extraArgs: ['--use-service-account-credentials=true', '--controllers=*,-replicationcontroller'],
    });
  });

  after(async () => {
    await cm?.stop();
    admin?.close();
    await server?.stop();
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  test('a Deployment gets its ReplicaSet and Pods, written by the controllers\' own service accounts', async () => {
    const r = await kubectl({ version: '1.33', kubeconfig: adminKubeconfig, args: ['create', 'deployment', 'web', '--image=nginx', '--replicas=2'] });
    assert.equal(r.code, 0, r.stderr);
    const pods = admin.resource<KubeObject>({ group: '', version: 'v1', resource: 'pods' }, 'default');
    let items: KubeObject[] = [];
    for (let i = 0; i < 600 && items.length < 2; i++) {
      items = (await pods.list({ labelSelector: 'app=web' })).items;
      if (items.length < 2) await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(items.length, 2, `pods not created:\n${await cm.logTail(30)}`);
    const accounts = (await admin.resource<KubeObject>({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'kube-system').list()).items.map((a) => a.metadata?.name);
    assert.ok(accounts.includes('deployment-controller') && accounts.includes('replicaset-controller'), `service accounts: ${accounts.join(',')}`);
    // The manager's own user may not create pods: the replicaset controller's service account did.
    const canI = await kubectl({ version: '1.33', kubeconfig: adminKubeconfig, args: ['auth', 'can-i', 'create', 'pods', '--as=system:kube-controller-manager'] });
    assert.equal(canI.stdout.trim(), 'no', canI.stderr);
    const canSA = await kubectl({ version: '1.33', kubeconfig: adminKubeconfig, args: ['auth', 'can-i', 'create', 'pods', '--as=system:serviceaccount:kube-system:replicaset-controller'] });
    assert.equal(canSA.stdout.trim(), 'yes', canSA.stderr);
    // managedFields name the writer's user agent: the pods were created by the replicaset controller's client.
    const managers = (items[0]!.metadata?.['managedFields'] as Array<{ manager?: string }> | undefined)?.map((m) => m.manager) ?? [];
    assert.ok(managers.includes('kube-controller-manager'), `managers: ${managers.join(',')}`);
  });
});
