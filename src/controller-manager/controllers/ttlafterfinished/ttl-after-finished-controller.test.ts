// TTL-after-finished against fakes with an injected clock: requeue until the TTL expires, then a foreground
// delete guarded by the fresh resourceVersion; unfinished Jobs and Jobs without a TTL are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { DeleteOptions, GroupVersionResource, KubeObject, ResourceInterface } from '../../../client/rest/interface.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { jobsResource, type Job } from '../job/job-controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished-controller.js';

/** A FakeClient that also keeps the options of every delete. */
class DeleteRecordingClient extends FakeClient {
  readonly deleteOptions: unknown[] = [];

  override resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace = ''): ResourceInterface<T> {
    const r = super.resource<T>(gvr, namespace);
    const remove = r.delete.bind(r);
    r.delete = async (name: string, opts?: DeleteOptions) => {
      this.deleteOptions.push(opts);
      return remove(name, opts);
    };
    return r;
  }
}

const finishedAt = Date.parse('2026-01-01T10:00:00Z');

function job(name: string, ttl: number | undefined, finished: boolean): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7' },
    spec: { template: {}, ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }) },
    status: finished ? { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }] } : {},
  };
}

test('finished Jobs are deleted after their TTL, others never', async () => {
  const cases: Array<{ name: string; job: Job; now: number; want: { requeueAfterMs?: number; deleted: boolean } }> = [
    { name: 'not yet', job: job('a', 60, true), now: finishedAt + 20_000, want: { requeueAfterMs: 40_000, deleted: false } },
    { name: 'expired', job: job('b', 60, true), now: finishedAt + 60_000, want: { deleted: true } },
    { name: 'ttl 0', job: job('c', 0, true), now: finishedAt, want: { deleted: true } },
    { name: 'no ttl', job: job('d', undefined, true), now: finishedAt + 1e9, want: { deleted: false } },
    { name: 'running', job: job('e', 0, false), now: finishedAt + 1e9, want: { deleted: false } },
  ];
  for (const c of cases) {
    const clock = new FakeClock(c.now);
    const client = new DeleteRecordingClient();
    client.seed(jobsResource, c.job);
    const queue = new RecordingQueue();
    const controller = new TTLAfterFinishedController({ client, jobs: new FakeInformer([c.job]), queue, clock, logger: newLogger({ write: () => {} }) });
    const result = await controller.sync(`default/${c.job.metadata!.name}`);
    assert.equal(result?.requeueAfterMs, c.want.requeueAfterMs, c.name);
    const deletes = client.writes().filter((a) => a.verb === 'delete');
    assert.equal(deletes.length, c.want.deleted ? 1 : 0, c.name);
    if (c.want.deleted) assert.deepEqual(client.deleteOptions[0], { propagationPolicy: 'Foreground', preconditions: { resourceVersion: '7' } }, c.name);
    assert.deepEqual(queue.added, c.job.spec?.ttlSecondsAfterFinished !== undefined && c.job.status?.conditions ? [`default/${c.job.metadata!.name}`] : [], `${c.name}: enqueued by the informer`);
  }
});

test('a TTL raised since the cache saw the Job is honoured (decided on a fresh GET)', async () => {
  const clock = new FakeClock(finishedAt + 61_000);
  const client = new FakeClient();
  client.seed(jobsResource, job('f', 3600, true));
  const controller = new TTLAfterFinishedController({ client, jobs: new FakeInformer([job('f', 60, true)]), queue: new RecordingQueue(), clock, logger: newLogger({ write: () => {} }) });
  assert.deepEqual(await controller.sync('default/f'), { requeueAfterMs: 3600_000 - 61_000 });
  assert.equal(client.writes().length, 0);
});
