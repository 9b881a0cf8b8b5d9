import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNotFound, newServiceUnavailable } from '../../apimachinery/errors.js';
import { FakeClock } from '../../base/clock.js';
import { newLogger } from '../../base/logger.js';
import type { KubeObject } from '../rest/interface.js';
import { EventBroadcaster } from './event-broadcaster.js';
import type { CoreEvent } from './events-cache.js';
import type { EventSink } from './event-sink.js';

/** Records creates and patches like an apiserver would store them. */
class FakeSink implements EventSink {
  readonly stored = new Map<string, CoreEvent>();
  readonly calls: string[] = [];
  failures: Error[] = [];
  private rv = 0;

  async create(event: CoreEvent): Promise<CoreEvent> {
    this.calls.push(`create ${event.metadata.name}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const stored = { ...event, metadata: { ...event.metadata, resourceVersion: String(++this.rv) } };
    this.stored.set(event.metadata.name ?? '', stored);
    return stored;
  }

  async patch(event: CoreEvent, patch: unknown): Promise<CoreEvent> {
    this.calls.push(`patch ${event.metadata.name}`);
    const existing = this.stored.get(event.metadata.name ?? '');
    if (!existing) throw newNotFound({ group: '', resource: 'events' }, event.metadata.name ?? '');
    const stored = { ...existing, ...(patch as object), metadata: { ...existing.metadata, resourceVersion: String(++this.rv) } };
    this.stored.set(event.metadata.name ?? '', stored);
    return stored;
  }
}

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'u1', resourceVersion: '5' } };
const quiet = newLogger({ write: () => {} });

test('broadcaster: writes Events with upstream fields; repeats patch the count', async () => {
  const clock = new FakeClock();
  const sink = new FakeSink();
  const b = new EventBroadcaster({ clock, logger: quiet });
  b.startRecordingToSink(sink);
  const seen: CoreEvent[] = [];
  b.startEventWatcher((e) => seen.push(e));
  const recorder = b.newRecorder({ component: 'deployment-controller', host: 'node-1' });
  recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
  recorder.eventf(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set %s to %d', 'web-abc', 3);
  recorder.eventf(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set %s to %d', 'web-abc', 3);
  await b.flush();
  assert.equal(sink.stored.size, 1);
  const [stored] = [...sink.stored.values()];
  assert.equal(stored?.count, 3);
  assert.match(stored?.metadata.name ?? '', /^web\.[0-9a-f]{16}$/);
  assert.deepEqual(sink.calls.map((c) => c.split(' ')[0]), ['create', 'patch', 'patch']);
  const first = seen[0] as CoreEvent;
  assert.deepEqual(
    { ns: first.metadata.namespace, obj: first.involvedObject, source: first.source, type: first.type, count: first.count, reportingComponent: first.reportingComponent, reportingInstance: first.reportingInstance },
    {
      ns: 'prod',
      obj: { kind: 'Deployment', namespace: 'prod', name: 'web', uid: 'u1', apiVersion: 'apps/v1', resourceVersion: '5' },
      source: { component: 'deployment-controller', host: 'node-1' },
      type: 'Normal',
      count: 1,
      reportingComponent: 'deployment-controller',
      reportingInstance: 'node-1',
    },
  );
  assert.equal(first.firstTimestamp, '2026-01-01T00:00:00Z');
  await b.shutdown();
});

test('broadcaster: a patch of a vanished Event creates it anew; transport errors retry, Status errors do not', async () => {
  const cases: Array<{ failures: Error[]; wantCreates: number; wantStored: number }> = [
    { failures: [Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' })], wantCreates: 2, wantStored: 1 },
    { failures: [newServiceUnavailable('overloaded')], wantCreates: 1, wantStored: 0 },
  ];
  for (const c of cases) {
    const clock = new FakeClock();
    const sink = new FakeSink();
    sink.failures = [...c.failures];
    const b = new EventBroadcaster({ clock, logger: quiet, random: () => 0.5 });
    b.startRecordingToSink(sink);
    b.newRecorder({ component: 'c' }).event(deployment, 'Warning', 'Failed', 'boom');
    for (let i = 0; i < 50 && sink.calls.length < c.wantCreates; i++) {
      await new Promise((r) => setImmediate(r));
      clock.step(5000);
    }
    await b.flush();
    assert.equal(sink.calls.filter((x) => x.startsWith('create')).length, c.wantCreates);
    assert.equal(sink.stored.size, c.wantStored);
    await b.shutdown();
  }

  const sink = new FakeSink();
  const b = new EventBroadcaster({ clock: new FakeClock(), logger: quiet });
  b.startRecordingToSink(sink);
  const r = b.newRecorder({ component: 'c' });
  r.event(deployment, 'Normal', 'R', 'm');
  await b.flush();
  sink.stored.clear();
  r.event(deployment, 'Normal', 'R', 'm');
  await b.flush();
  assert.deepEqual(sink.calls.map((x) => x.split(' ')[0]), ['create', 'patch', 'create']);
  assert.equal([...sink.stored.values()][0]?.count, 2);
  await b.shutdown();
});

test('broadcaster: never blocks; drops beyond the queue length; rejects bad types and kindless objects', async () => {
  const sink = new FakeSink();
  let release: () => void = () => {};
  const blocked = new Promise<void>((r) => (release = r));
  const slowSink: EventSink = {
    create: async (e) => {
      await blocked;
      return sink.create(e);
    },
    patch: (e, p) => sink.patch(e, p),
  };
  const b = new EventBroadcaster({ clock: new FakeClock(), logger: quiet, queueLength: 5, correlator: { spamBurst: 1000 } });
  b.startRecordingToSink(slowSink);
  const r = b.newRecorder({ component: 'c' });
  for (let i = 0; i < 20; i++) r.event({ ...deployment, metadata: { ...deployment.metadata, name: `o${i}` } }, 'Normal', 'R', 'm');
  assert.ok(b.droppedEvents() >= 14, `dropped ${b.droppedEvents()}`);
  r.event(deployment, 'Bogus' as 'Normal', 'R', 'm');
  r.event({ metadata: { name: 'no-kind' } }, 'Normal', 'R', 'm');
  release();
  await b.flush();
  assert.ok(sink.stored.size <= 6 && sink.stored.size >= 5, `stored ${sink.stored.size}`);
  assert.ok([...sink.stored.values()].every((e) => e.type === 'Normal' && e.involvedObject.kind === 'Deployment'));
  await b.shutdown();
});

test('broadcaster: maxInFlight bounds how many events are written at once; 1 writes one after another', async () => {
  for (const maxInFlight of [1, 4]) {
    const sink = new FakeSink();
    let now = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const gatedSink: EventSink = {
      create: async (e) => {
        now++;
        peak = Math.max(peak, now);
        await new Promise<void>((r) => gates.push(r));
        now--;
        return sink.create(e);
      },
      patch: (e, p) => sink.patch(e, p),
    };
    const b = new EventBroadcaster({ clock: new FakeClock(), logger: quiet, maxInFlight, correlator: { spamBurst: 1000 } });
    b.startRecordingToSink(gatedSink);
    const r = b.newRecorder({ component: 'c' });
    for (let i = 0; i < 10; i++) r.event({ ...deployment, metadata: { ...deployment.metadata, name: `o${i}`, uid: `u${i}` } }, 'Normal', 'R', 'm');
    const flushed = b.flush();
    // Open the gates as writes arrive until all ten are through.
    while (sink.stored.size < 10) {
      await new Promise((r) => setImmediate(r));
      gates.splice(0).forEach((open) => open());
    }
    await flushed;
    assert.equal(peak, maxInFlight, `maxInFlight ${maxInFlight}`);
    assert.equal(sink.stored.size, 10);
    await b.shutdown();
  }
});
