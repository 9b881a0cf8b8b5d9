// End to end: the garbage collector and the namespace controller as the tutorials run them — RBAC on the
// apiserver, `--use-service-account-credentials`, so they act as kube-system/generic-garbage-collector and
// kube-system/namespace-controller under upstream's bootstrap roles — still collect dependents and empty and
// finalize a deleted namespace.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { waitFor } from '../harness/wait-for.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };

describe('garbage collector and namespace controller with RBAC and their own service accounts', () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let admin: Interface;
  let keyDir = '';

  before(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'k8ts-gc-rbac-'));
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
    const adminKubeconfig = join(keyDir, 'admin.conf');
    await writeKubeconfig({ path: adminKubeconfig, server: server.url, caPEM: server.caPEM, token: 'admin-token' });
    const cmKubeconfig = join(keyDir, 'controller-manager.conf');
    await writeKubeconfig({ path: cmKubeconfig, server: server.url, caPEM: server.caPEM, token: 'cm-token' });
    admin = newClient(loadRESTConfig({ kubeconfig: adminKubeconfig }));
    cm = await startControllerManager({
      kubeconfigPath: cmKubeconfig,
      logDir: keyDir,
      extraArgs: ['--use-service-account-credentials=true', '--controllers=garbagecollector,namespace'],
    });
  });

  after(async () => {
    await cm?.stop();
    admin?.close();
    await server?.stop();
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  const gone = async (ns: string, name: string): Promise<true | undefined> => {
    try {
      await (name ? admin.resource(configmaps, ns).get(name) : admin.resource(namespaces).get(ns));
      return undefined;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  };

  test('dependents of a deleted owner are collected, and a deleted namespace is emptied and removed', async () => {
    await admin.resource(namespaces).create({ metadata: { name: 'team' } });
    const owner = await admin.resource(configmaps, 'team').create({ metadata: { name: 'owner' } });
    await admin.resource(configmaps, 'team').create({
      metadata: { name: 'dependent', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }] },
    });
    await admin.resource(configmaps, 'team').delete('owner');
    await waitFor('the dependent collected', () => gone('team', 'dependent'), 30_000, () => cm.logTail(30));

    await admin.resource(configmaps, 'team').create({ metadata: { name: 'leftover' } });
    await admin.resource(namespaces).delete('team');
    await waitFor('the namespace removed', () => gone('team', ''), 30_000, () => cm.logTail(30));
    const accounts = (await admin.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'kube-system').list()).items.map((a) => a.metadata?.name);
    assert.ok(accounts.includes('generic-garbage-collector') && accounts.includes('namespace-controller'), `service accounts: ${accounts.join(',')}`);
  });
});
