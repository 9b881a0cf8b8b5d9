// End to end: real kubectl against `k8ts apiserver` + `k8ts controller-manager`, with the fake-kubelet
// harness standing in for scheduler and kubelets. A Deployment's life as the tutorials show it: create →
// ReplicaSet → Pods, set image → rollout, rollout status/history/undo/pause/resume, scale up and down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { waitFor } from '../harness/wait-for.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type * as appsv1 from '../../src/api/generated/apps/v1.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';

type Deployment = appsv1.Deployment & KubeObject;
type ReplicaSet = appsv1.ReplicaSet & KubeObject;
type Pod = corev1.Pod & KubeObject;

// 1.27 and 1.33: the oldest and newest kubectl this project supports (rollout code changed in between).
const versions: KubectlVersion[] = ['1.27', '1.33'];
const ns = 'default';

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

for (const version of versions) describe(`kubectl ${version} drives Deployments through k8ts controller-manager`, { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;
  const run = (args: string[], timeoutMs = 60_000) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, timeoutMs });
  const ok = async (args: string[], timeoutMs?: number): Promise<string> => {
    const r = await run(args, timeoutMs);
    assert.equal(r.code, 0, explain(r));
    return r.stdout;
  };
  const deployment = () => client.resource<Deployment>({ group: 'apps', version: 'v1', resource: 'deployments' }, ns).get('web');
  const replicaSets = async () =>
    (await client.resource<ReplicaSet>({ group: 'apps', version: 'v1', resource: 'replicasets' }, ns).list({ labelSelector: 'app=web' })).items;
  const pods = async () => (await client.resource<Pod>({ group: '', version: 'v1', resource: 'pods' }, ns).list({ labelSelector: 'app=web' })).items;
  const diagnose = async () => `controller-manager log:\n${await cm.logTail(30)}\nRS: ${JSON.stringify((await replicaSets()).map((r) => [r.metadata?.name, r.spec?.replicas, r.status]))}`;

  before(async () => {
    server = await startAPIServer({ backend: 'memory' });
    cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: server.dataDir });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    kubelet = startFakeKubelet({ client, nodeNames: ['node-a', 'node-b'] });
    await kubelet.synced;
  });

  after(async () => {
    await kubelet?.stop();
    await cm?.stop();
    client?.close();
    await server?.stop();
  });

  test('create deployment → one ReplicaSet and three Pods with owner references; rollout status succeeds', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    const rss = await waitFor('one ReplicaSet', async () => {
      const l = await replicaSets();
      return l.length === 1 ? l : undefined;
    }, 30_000, diagnose);
    const rs = rss[0]!;
    const d = await deployment();
    assert.match(rs.metadata!.name!, /^web-[bcdf4-9]+$/);
    assert.deepEqual(rs.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['Deployment', 'web', d.metadata?.uid, true]]);
    const owned = await waitFor('three pods', async () => {
      const l = await pods();
      return l.length === 3 ? l : undefined;
    }, 30_000, diagnose);
    for (const p of owned) {
      assert.ok(p.metadata!.name!.startsWith(`${rs.metadata!.name}-`), p.metadata!.name!);
      assert.deepEqual(p.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['ReplicaSet', rs.metadata!.name, rs.metadata!.uid, true]]);
    }
    const out = await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.match(out, /deployment "web" successfully rolled out/);
    const got = await ok(['get', 'deployment', 'web']);
    assert.match(got, /web\s+3\/3\s+3\s+3/);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment']);
    assert.match(events, new RegExp(`ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set ${rs.metadata!.name} from 0 to 3`));
  });

  test('set image rolls out a second ReplicaSet; history lists both; undo goes back to the first', async () => {
    const first = (await replicaSets())[0]!.metadata!.name!;
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    const rss = await replicaSets();
    assert.equal(rss.length, 2);
    const second = rss.find((r) => r.metadata?.name !== first)!;
    assert.equal(second.spec?.replicas, 3);
    assert.equal(rss.find((r) => r.metadata?.name === first)!.spec?.replicas, 0);
    await waitFor('old pods gone', async () => ((await pods()).every((p) => p.metadata?.labels?.['pod-template-hash'] === second.metadata?.labels?.['pod-template-hash']) ? true : undefined), 30_000, diagnose);

    const history = await ok(['rollout', 'history', 'deployment/web']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(await ok(['rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    const back = (await replicaSets()).find((r) => r.metadata?.name === first)!;
    assert.equal(back.spec?.replicas, 3);
    assert.equal(back.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal((await deployment()).metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.match(await ok(['rollout', 'history', 'deployment/web']), /\n2\s+<none>\n3\s+<none>/);
  });

  test('pause holds a template change back; resume rolls it out', async () => {
    await ok(['rollout', 'pause', 'deployment/web']);
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    const d = await waitFor('the paused condition', async () => {
      const cur = await deployment();
      const cond = cur.status?.conditions?.find((c) => c.type === 'Progressing');
      return cond?.reason === 'DeploymentPaused' && cur.status?.observedGeneration === cur.metadata?.generation ? cur : undefined;
    }, 30_000, diagnose);
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.status, 'Unknown');
    assert.equal((await replicaSets()).length, 2, 'no new ReplicaSet while paused');
    await ok(['rollout', 'resume', 'deployment/web']);
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    assert.equal((await replicaSets()).length, 3);
  });

  test('rollout restart replaces every pod through a new ReplicaSet', async () => {
    const before = new Set((await pods()).map((p) => p.metadata?.name));
    assert.match(await ok(['rollout', 'restart', 'deployment/web']), /deployment.apps\/web restarted/);
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    const after = await waitFor('only new pods', async () => {
      const l = (await pods()).filter((p) => !p.metadata?.deletionTimestamp);
      return l.length === 3 && l.every((p) => !before.has(p.metadata?.name)) ? l : undefined;
    }, 30_000, diagnose);
    assert.equal(after.length, 3);
    assert.equal((await replicaSets()).length, 4);
  });

  test('scale up, then down: the pods that are not ready are the ones deleted', async () => {
    await ok(['scale', 'deployment/web', '--replicas=5']);
    const five = await waitFor('five ready pods', async () => {
      const l = (await pods()).filter((p) => !p.metadata?.deletionTimestamp);
      const ready = l.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return l.length === 5 && ready.length === 5 ? l : undefined;
    }, 30_000, diagnose);
    const doomed = new Set(five.slice(0, 2).map((p) => p.metadata!.name!));
    await kubelet.setReady((p) => !doomed.has(p.metadata?.name ?? ''));
    await waitFor('three ready replicas', async () => ((await deployment()).status?.readyReplicas === 3 ? true : undefined), 30_000, diagnose);
    await ok(['scale', 'deployment/web', '--replicas=3']);
    const left = await waitFor('three pods', async () => {
      const l = (await pods()).filter((p) => !p.metadata?.deletionTimestamp);
      return l.length === 3 ? l : undefined;
    }, 30_000, diagnose);
    assert.deepEqual(left.filter((p) => doomed.has(p.metadata!.name!)), [], 'the not-ready pods went first');
    await kubelet.setReady(() => true);
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
  });

  test('a rollout that makes no progress within progressDeadlineSeconds fails rollout status', async () => {
    await kubelet.setReady((p) => p.metadata?.labels?.['app'] !== 'stuck');
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'stuck' },
      spec: {
        replicas: 2,
        progressDeadlineSeconds: 2,
        selector: { matchLabels: { app: 'stuck' } },
        template: { metadata: { labels: { app: 'stuck' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    };
    const created = await kubectl({ version, kubeconfig: server.kubeconfigPath, args: ['create', '-f', '-'], stdin: JSON.stringify(manifest), timeoutMs: 30_000 });
    assert.equal(created.code, 0, explain(created));
    const r = await run(['rollout', 'status', 'deployment/stuck', '--timeout=60s']);
    assert.equal(r.code, 1, explain(r));
    assert.match(r.stderr, /deployment "stuck" exceeded its progress deadline/);
    const cond = (await client.resource<Deployment>({ group: 'apps', version: 'v1', resource: 'deployments' }, ns).get('stuck')).status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'ProgressDeadlineExceeded']);
    await kubelet.setReady(() => true);
  });

  test('Recreate: the old ReplicaSet is emptied (pods gone) before the new one scales up', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'batch' },
      spec: {
        replicas: 2,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { app: 'batch' } },
        template: { metadata: { labels: { app: 'batch' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
      },
    };
    const created = await kubectl({ version, kubeconfig: server.kubeconfigPath, args: ['create', '-f', '-'], stdin: JSON.stringify(manifest), timeoutMs: 30_000 });
    assert.equal(created.code, 0, explain(created));
    assert.match(await ok(['rollout', 'status', 'deployment/batch', '--timeout=60s']), /successfully rolled out/);
    await ok(['set', 'image', 'deployment/batch', 'c=busybox:2']);
    assert.match(await ok(['rollout', 'status', 'deployment/batch', '--timeout=60s']), /successfully rolled out/);
    const rss = (await client.resource<ReplicaSet>({ group: 'apps', version: 'v1', resource: 'replicasets' }, ns).list({ labelSelector: 'app=batch' })).items;
    const byImage = (image: string) => rss.find((r) => r.spec?.template?.spec?.containers[0]?.image === image)!;
    const [oldRS, newRS] = [byImage('busybox:1'), byImage('busybox:2')];
    assert.deepEqual([oldRS.spec?.replicas, newRS.spec?.replicas], [0, 2]);
    const events = (await client.resource<KubeObject>({ group: '', version: 'v1', resource: 'events' }, ns).list({ fieldSelector: 'involvedObject.name=batch' })).items
      .map((e) => String(e['message']))
      .filter((m) => m.includes('busybox') || m.startsWith('Scaled'));
    const down = events.indexOf(`Scaled down replica set ${oldRS.metadata?.name} from 2 to 0`);
    const up = events.indexOf(`Scaled up replica set ${newRS.metadata?.name} from 0 to 2`);
    assert.ok(down >= 0 && up > down, `events in order:\n${events.join('\n')}`);
  });

  test('a ReplicationController keeps its pods and scales with kubectl scale rc', async () => {
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const created = await kubectl({ version, kubeconfig: server.kubeconfigPath, args: ['create', '-f', '-'], stdin: JSON.stringify(rc), timeoutMs: 30_000 });
    assert.equal(created.code, 0, explain(created));
    const podsOf = async () => (await client.resource<Pod>({ group: '', version: 'v1', resource: 'pods' }, ns).list({ labelSelector: 'app=legacy' })).items.filter((p) => !p.metadata?.deletionTimestamp);
    await waitFor('two pods of the rc', async () => ((await podsOf()).length === 2 ? true : undefined), 30_000, diagnose);
    await ok(['scale', 'rc/legacy', '--replicas=4']);
    await waitFor('four ready replicas', async () => {
      const cur = await client.resource<KubeObject>({ group: '', version: 'v1', resource: 'replicationcontrollers' }, ns).get('legacy');
      return (cur['status'] as { readyReplicas?: number } | undefined)?.readyReplicas === 4 ? true : undefined;
    }, 30_000, diagnose);
    const pods = await podsOf();
    assert.equal(pods.length, 4);
    for (const p of pods) assert.deepEqual(p.metadata?.ownerReferences?.map((r) => [r.apiVersion, r.kind, r.name]), [['v1', 'ReplicationController', 'legacy']]);
    const got = await ok(['get', 'rc', 'legacy']);
    assert.match(got, /legacy\s+4\s+4\s+4/);
  });

  test('/healthz and /metrics', async () => {
    assert.deepEqual(await cm.get('/healthz'), { status: 200, body: 'ok' });
    const metrics = await cm.get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /controller_sync_total\{controller="deployment",result="success"\} \d+/);
    assert.match(metrics.body, /workqueue_adds_total\{name="deployment"\} \d+/);
  });
});
