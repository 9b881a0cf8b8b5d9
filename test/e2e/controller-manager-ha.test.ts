// End to end: controller-manager processes under failure. Two managers with leader election: only the Lease
// holder reconciles, and when it is killed the other takes over within the lease duration. A manager killed
// with SIGKILL in the middle of a rollout and started again finishes it with no duplicate or orphaned pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { kubectl } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type * as appsv1 from '../../src/api/generated/apps/v1.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';

type ReplicaSet = appsv1.ReplicaSet & KubeObject;
type Pod = corev1.Pod & KubeObject;

// Short leases keep take-over quick; renew deadline > 1.2 × retry period as the elector requires.
const leaseFlags = ['--leader-elect-lease-duration=3s', '--leader-elect-renew-deadline=2s', '--leader-elect-retry-period=500ms'];

/** 1 or 0 from leader_election_master_status, undefined before the first report. */
async function leaderStatus(cm: ControllerManagerProcess): Promise<number | undefined> {
  const m = /leader_election_master_status\{name="kube-controller-manager"\} (\d)/.exec((await cm.get('/metrics')).body);
  return m ? Number(m[1]) : undefined;
}

async function deploymentSyncs(cm: ControllerManagerProcess): Promise<number> {
  const body = (await cm.get('/metrics')).body;
  let n = 0;
  for (const m of body.matchAll(/controller_sync_total\{controller="deployment",result="[a-z_]+"\} (\d+)/g)) n += Number(m[1]);
  return n;
}

describe('controller-manager under failure', { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;
  const managers: ControllerManagerProcess[] = [];
  const rsClient = (ns: string) => client.resource<ReplicaSet>({ group: 'apps', version: 'v1', resource: 'replicasets' }, ns);
  const podClient = (ns: string) => client.resource<Pod>({ group: '', version: 'v1', resource: 'pods' }, ns);
  const ok = async (args: string[]) => {
    const r = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args, timeoutMs: 90_000 });
    assert.equal(r.code, 0, `${r.command}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const start = async (leaderElect = true) => {
    const cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: server.dataDir, leaderElect, extraArgs: leaseFlags });
    managers.push(cm);
    return cm;
  };

  before(async () => {
    server = await startAPIServer({ backend: 'memory' });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    kubelet = startFakeKubelet({ client });
    await kubelet.synced;
    await ok(['create', 'namespace', 'ha']);
    await ok(['create', 'namespace', 'crash']);
  });

  after(async () => {
    await kubelet?.stop();
    for (const cm of managers) await cm.kill().catch(() => undefined);
    client?.close();
    await server?.stop();
  });

  test('two managers: only the leader acts; killing it hands over within the lease duration', async () => {
    const a = await start();
    const b = await start();
    const [leader, standby] = await waitFor('one leader', async () => {
      const [sa, sb] = [await leaderStatus(a), await leaderStatus(b)];
      if (sa === 1 && sb !== 1) return [a, b];
      if (sb === 1 && sa !== 1) return [b, a];
      return undefined;
    });
    await ok(['-n', 'ha', 'create', 'deployment', 'one', '--image=nginx', '--replicas=2']);
    await waitFor('pods of one', async () => ((await podClient('ha').list({ labelSelector: 'app=one' })).items.length === 2 ? true : undefined));
    assert.ok((await deploymentSyncs(leader)) > 0, 'the leader synced');
    assert.equal(await deploymentSyncs(standby), 0, 'the standby never synced');
    assert.notEqual(await leaderStatus(standby), 1);

    await leader.kill('SIGKILL');
    await waitFor('the standby leads', async () => ((await leaderStatus(standby)) === 1 ? true : undefined), 15_000, () => standby.logTail(20));
    await ok(['-n', 'ha', 'create', 'deployment', 'two', '--image=nginx', '--replicas=2']);
    await waitFor('pods of two', async () => ((await podClient('ha').list({ labelSelector: 'app=two' })).items.length === 2 ? true : undefined), 30_000, () => standby.logTail(20));
    await standby.stop();
  });

  test('SIGKILL mid-rollout, restart: the rollout completes with no duplicate or orphaned pods', async () => {
    const cm = await start();
    await waitFor('leading', async () => ((await leaderStatus(cm)) === 1 ? true : undefined), 15_000);
    await ok(['-n', 'crash', 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=20']);
    assert.match(await ok(['-n', 'crash', 'rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);

    // New pods never become ready, so the rollout stalls half way: both ReplicaSets have pods.
    const oldHash = (await rsClient('crash').list()).items[0]!.metadata!.labels!['pod-template-hash'];
    await kubelet.setReady((p) => p.metadata?.labels?.['pod-template-hash'] === oldHash || p.metadata?.namespace !== 'crash');
    await ok(['-n', 'crash', 'set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    await waitFor('a rollout in progress', async () => {
      const rss = (await rsClient('crash').list()).items;
      return rss.length === 2 && rss.every((r) => (r.spec?.replicas ?? 0) > 0) ? true : undefined;
    });
    await cm.kill('SIGKILL');

    const again = await start();
    await kubelet.setReady(() => true);
    assert.match(await ok(['-n', 'crash', 'rollout', 'status', 'deployment/web', '--timeout=90s']), /successfully rolled out/);
    const rss = (await rsClient('crash').list()).items;
    assert.equal(rss.length, 2, 'no extra ReplicaSet');
    const newRS = rss.find((r) => r.metadata?.labels?.['pod-template-hash'] !== oldHash)!;
    const pods = await waitFor('exactly 20 pods, all of the new ReplicaSet', async () => {
      const items = (await podClient('crash').list()).items.filter((p) => !p.metadata?.deletionTimestamp);
      return items.length === 20 && items.every((p) => p.metadata?.ownerReferences?.[0]?.uid === newRS.metadata?.uid) ? items : undefined;
    }, 30_000, async () => JSON.stringify((await podClient('crash').list()).items.map((p) => [p.metadata?.name, p.metadata?.ownerReferences?.[0]?.name])));
    assert.equal(new Set(pods.map((p) => p.metadata?.name)).size, 20);
    const uids = new Set(rss.map((r) => r.metadata?.uid));
    const all = (await podClient('crash').list()).items;
    assert.deepEqual(all.filter((p) => !uids.has(p.metadata?.ownerReferences?.find((o) => o.controller)?.uid ?? '')), [], 'no orphaned pods');
    await again.stop();
  });
});
