// The deployment controller against fakes: a Deployment's life (create, rollout, rollback, scale, pause,
// Recreate, history cleanup, progress deadline) with a simulated ReplicaSet controller that makes the
// ReplicaSets' pods exist and become available when a test says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { GroupVersionResource, KubeObject } from '../../../client/rest/interface.js';
import { resources } from '../../controller-context.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { DeploymentController } from './deployment-controller.js';
import { maxSurge, maxUnavailable } from './replica-math.js';
import type { Deployment, Pod, ReplicaSet } from './types.js';

const start = Date.UTC(2026, 0, 1, 12);

function deployment(opts: { replicas?: number; image?: string; strategy?: Deployment['spec'] extends infer S ? S extends { strategy?: infer T } ? T : never : never; historyLimit?: number; deadline?: number } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'first' } },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: opts.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: opts.historyLimit ?? 10,
      progressDeadlineSeconds: opts.deadline ?? 600,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: opts.image ?? 'nginx:1.25' }] } },
    },
  };
}

function setup(d: Deployment) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  const deployments = new FakeInformer<Deployment>();
  const replicaSets = new FakeInformer<ReplicaSet>();
  const pods = new FakeInformer<Pod>();
  const informers = new Map<string, FakeInformer<KubeObject>>([
    ['deployments', deployments as FakeInformer<KubeObject>],
    ['replicasets', replicaSets as FakeInformer<KubeObject>],
    ['pods', pods as FakeInformer<KubeObject>],
  ]);
  // The informers follow every write at once (a perfectly fresh cache).
  client.onWrite = (gvr: GroupVersionResource, obj: KubeObject, deleted: boolean) => {
    const inf = informers.get(gvr.resource);
    if (!inf) return;
    if (deleted) inf.delete(obj);
    else inf.update(obj);
  };
  const recorder = new RecordingRecorder();
  const queue = new RecordingQueue();
  const controller = new DeploymentController({
    client,
    deployments,
    replicaSets,
    pods,
    recorder,
    queue,
    clock,
    logger: newLogger({ write: () => {} }),
  });
  const dClient = client.resource<Deployment>(resources.deployments, 'default');
  const rsClient = client.resource<ReplicaSet>(resources.replicaSets, 'default');
  return {
    clock,
    client,
    recorder,
    queue,
    controller,
    deployments,
    async create(): Promise<void> {
      await dClient.create(d);
    },
    get: () => deployments.lister.namespace('default').get('web')!,
    replicaSets: () => replicaSets.lister.namespace('default').list().sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1)),
    /** The ReplicaSet controller and kubelets: every RS gets its pods; `available` of them are available. */
    async settle(available: (rs: ReplicaSet) => number = (rs) => rs.spec?.replicas ?? 0): Promise<void> {
      for (const rs of replicaSets.lister.namespace('default').list()) {
        const want = rs.spec?.replicas ?? 0;
        const avail = Math.min(want, available(rs));
        const status = { replicas: want, readyReplicas: avail, availableReplicas: avail, observedGeneration: rs.metadata?.generation };
        if (JSON.stringify(status) === JSON.stringify(rs.status)) continue;
        await rsClient.updateStatus({ ...structuredClone(rs), status });
      }
    },
    async edit(fn: (d: Deployment) => void): Promise<void> {
      const cur = structuredClone(deployments.lister.namespace('default').get('web')!);
      fn(cur);
      await dClient.update(cur);
    },
  };
}

type Env = ReturnType<typeof setup>;

/** Syncs and settles until nothing changes any more, checking the rolling-update bounds at every step. */
async function rollToCompletion(env: Env, maxSteps = 50): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    const before = env.client.writes().length;
    await env.controller.sync('default/web');
    const d = env.get();
    const total = env.replicaSets().reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
    assert.ok(total <= (d.spec?.replicas ?? 0) + maxSurge(d), `step ${i}: ${total} pods exceed replicas + maxSurge`);
    const available = env.replicaSets().reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    if (i > 0 && d.status?.observedGeneration === d.metadata?.generation) {
      assert.ok(available >= (d.spec?.replicas ?? 0) - maxUnavailable(d), `step ${i}: only ${available} available`);
    }
    await env.settle();
    if (env.client.writes().length === before) return;
  }
  assert.fail('rollout did not settle');
}

test('a new Deployment gets one ReplicaSet named after the template hash, revision 1, and complete status', async () => {
  const env = setup(deployment());
  await env.create();
  await env.controller.sync('default/web');
  const [rs] = env.replicaSets();
  assert.ok(rs);
  assert.match(rs.metadata!.name!, /^web-[bcdf4-9]+$/);
  const hash = rs.metadata!.name!.slice('web-'.length);
  assert.deepEqual(rs.spec?.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.equal(rs.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(rs.spec?.replicas, 3);
  assert.equal(rs.metadata?.ownerReferences?.[0]?.kind, 'Deployment');
  assert.deepEqual(rs.metadata?.annotations, {
    'kubernetes.io/change-cause': 'first',
    'deployment.kubernetes.io/revision': '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  assert.equal(env.get().metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.deepEqual(env.recorder.events, [`Normal ScalingReplicaSet Scaled up replica set ${rs.metadata!.name} from 0 to 3`]);
  const progressing = env.get().status?.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(progressing?.reason, 'NewReplicaSetCreated');

  await rollToCompletion(env);
  const status = env.get().status!;
  assert.equal(status.replicas, 3);
  assert.equal(status.updatedReplicas, 3);
  assert.equal(status.availableReplicas, 3);
  assert.equal(status.observedGeneration, env.get().metadata?.generation);
  const conds = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
  assert.deepEqual(conds, { Available: 'True/MinimumReplicasAvailable', Progressing: 'True/NewReplicaSetAvailable' });
  assert.match(status.conditions!.find((c) => c.type === 'Progressing')!.message!, /^ReplicaSet "web-[a-z0-9]+" has successfully progressed\.$/);
});

test('a template change rolls out within maxSurge/maxUnavailable; going back reuses the old ReplicaSet', async () => {
  const env = setup(deployment({ replicas: 4 }));
  await env.create();
  await rollToCompletion(env);
  const first = env.replicaSets()[0]!.metadata!.name!;
  await env.edit((d) => (d.spec!.template.spec!.containers[0]!.image = 'nginx:1.26'));
  await rollToCompletion(env);
  let rss = env.replicaSets();
  assert.equal(rss.length, 2);
  const second = rss.find((r) => r.metadata!.name !== first)!;
  assert.equal(second.spec?.replicas, 4);
  assert.equal(rss.find((r) => r.metadata!.name === first)!.spec?.replicas, 0);
  assert.equal(second.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(env.get().metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.ok(env.recorder.events.some((e) => e === `Normal ScalingReplicaSet Scaled down replica set ${first} from 4 to 3`), env.recorder.events.join('\n'));

  // `kubectl rollout undo` writes the old template back: the first ReplicaSet becomes revision 3.
  await env.edit((d) => (d.spec!.template.spec!.containers[0]!.image = 'nginx:1.25'));
  await rollToCompletion(env);
  rss = env.replicaSets();
  assert.equal(rss.length, 2, 'no third ReplicaSet');
  const back = rss.find((r) => r.metadata!.name === first)!;
  assert.equal(back.spec?.replicas, 4);
  assert.equal(back.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(back.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(env.get().status?.updatedReplicas, 4);
});

test('scaling a Deployment scales its ReplicaSet with an event and new annotations', async () => {
  const env = setup(deployment({ replicas: 3 }));
  await env.create();
  await rollToCompletion(env);
  await env.edit((d) => (d.spec!.replicas = 6));
  await rollToCompletion(env);
  const [rs] = env.replicaSets();
  assert.equal(rs!.spec?.replicas, 6);
  assert.equal(rs!.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '6');
  assert.equal(rs!.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '8');
  assert.ok(env.recorder.events.includes(`Normal ScalingReplicaSet Scaled up replica set ${rs!.metadata!.name} from 3 to 6`));
  await env.edit((d) => (d.spec!.replicas = 1));
  await rollToCompletion(env);
  assert.equal(env.replicaSets()[0]!.spec?.replicas, 1);
  assert.ok(env.recorder.events.includes(`Normal ScalingReplicaSet Scaled down replica set ${rs!.metadata!.name} from 6 to 1`));
});

test('scaling in the middle of a rollout shares the change in proportion', async () => {
  const env = setup(deployment({ replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } }));
  await env.create();
  await rollToCompletion(env);
  await env.edit((d) => (d.spec!.template.spec!.containers[0]!.image = 'nginx:1.26'));
  await env.controller.sync('default/web');
  await env.settle(() => 0);
  const sizes = () => env.replicaSets().map((r) => r.spec?.replicas ?? 0).sort((a, b) => b - a);
  assert.deepEqual(sizes(), [10, 3], 'new RS surged by 3, nothing available yet');
  await env.edit((d) => (d.spec!.replicas = 20));
  await env.controller.sync('default/web');
  const after = sizes();
  assert.equal(after.reduce((a, b) => a + b, 0), 23, 'proportional scaling fills replicas + maxSurge');
  assert.ok(after[0]! > 10 && after[1]! > 3, `both grew: ${after}`);
});

test('a paused Deployment does not roll out; resume continues', async () => {
  const env = setup(deployment());
  await env.create();
  await rollToCompletion(env);
  await env.edit((d) => {
    d.spec!.paused = true;
    d.spec!.template.spec!.containers[0]!.image = 'nginx:1.26';
  });
  await rollToCompletion(env);
  assert.equal(env.replicaSets().length, 1, 'no new ReplicaSet while paused');
  const cond = env.get().status?.conditions?.find((c) => c.type === 'Progressing');
  assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  await env.edit((d) => (d.spec!.paused = false));
  await rollToCompletion(env);
  assert.equal(env.replicaSets().length, 2);
  assert.equal(env.get().status?.updatedReplicas, 3);
});

test('Recreate scales the old ReplicaSet to zero before the new one gets pods', async () => {
  const env = setup(deployment({ strategy: { type: 'Recreate' } }));
  await env.create();
  await rollToCompletion(env);
  await env.edit((d) => (d.spec!.template.spec!.containers[0]!.image = 'nginx:1.26'));
  await env.controller.sync('default/web');
  let rss = env.replicaSets();
  assert.equal(rss.length, 1, 'the new ReplicaSet waits');
  assert.equal(rss[0]!.spec?.replicas, 0);
  // Old pods still reported: still waiting.
  await env.controller.sync('default/web');
  assert.equal(env.replicaSets().length, 1);
  await env.settle();
  await rollToCompletion(env);
  rss = env.replicaSets();
  assert.equal(rss.length, 2);
  assert.deepEqual(rss.map((r) => r.spec?.replicas).sort(), [0, 3]);
});

test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets', async () => {
  const env = setup(deployment({ historyLimit: 1 }));
  await env.create();
  await rollToCompletion(env);
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
    await env.edit((d) => (d.spec!.template.spec!.containers[0]!.image = image));
    await rollToCompletion(env);
  }
  const revisions = env.replicaSets().map((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
  assert.deepEqual(revisions, ['3', '4']);
});

test('no progress within progressDeadlineSeconds → Progressing False ProgressDeadlineExceeded', async () => {
  const env = setup(deployment({ deadline: 10 }));
  await env.create();
  await env.controller.sync('default/web');
  await env.settle(() => 0);
  await env.controller.sync('default/web');
  // Status is unchanged now: the controller asks to be called back when the deadline passes.
  const result = await env.controller.sync('default/web');
  const after = (result as { requeueAfterMs?: number } | undefined)?.requeueAfterMs;
  assert.ok(after !== undefined && after >= 1000 && after <= 11_000, `asks to look again before the deadline: ${after}`);
  env.clock.step(11_000);
  await env.controller.sync('default/web');
  const cond = env.get().status?.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(cond?.status, 'False');
  assert.equal(cond?.reason, 'ProgressDeadlineExceeded');
  assert.match(cond?.message ?? '', /^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/);
  const available = env.get().status?.conditions?.find((c) => c.type === 'Available');
  assert.equal(available?.reason, 'MinimumReplicasUnavailable');
});

test('an empty selector is refused with a SelectingAll event', async () => {
  const d = deployment();
  d.spec!.selector = {};
  const env = setup(d);
  await env.create();
  await env.controller.sync('default/web');
  assert.deepEqual(env.recorder.events, ['Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required.']);
  assert.equal(env.replicaSets().length, 0);
});

test('ReplicaSet events enqueue their Deployment; orphans enqueue every selecting Deployment', () => {
  const env = setup(deployment());
  const d = { ...deployment(), metadata: { ...deployment().metadata, uid: 'uid-web' } };
  env.deployments.set(d);
  const owned: ReplicaSet = { metadata: { name: 'web-abc', namespace: 'default', uid: 'rs1', resourceVersion: '1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true }] }, spec: { selector: {} } };
  const stranger: ReplicaSet = { metadata: { name: 'x', namespace: 'default', uid: 'rs2', resourceVersion: '1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'other', controller: true }] }, spec: { selector: {} } };
  const orphan: ReplicaSet = { metadata: { name: 'o', namespace: 'default', uid: 'rs3', resourceVersion: '1', labels: { app: 'web' } }, spec: { selector: {} } };
  const inf = (env.controller as unknown as { deps: { replicaSets: FakeInformer<ReplicaSet> } }).deps.replicaSets;
  env.queue.added.length = 0;
  inf.add(owned);
  inf.add(stranger);
  inf.add(orphan);
  assert.deepEqual(env.queue.added, ['default/web', 'default/web']);
});
