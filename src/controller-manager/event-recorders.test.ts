// The background event writer: Events with upstream's fields, written in order, never blocking the caller,
// dropping beyond the bound, and silent about write failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import { newEventRecorderFactory } from './event-recorders.js';
import { FakeClient } from './testing/fake-client.js';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'u1', resourceVersion: '7' } };

async function settle(client: FakeClient, n: number): Promise<void> {
  for (let i = 0; i < 100 && client.actions.length < n; i++) await new Promise((r) => setImmediate(r));
}

test('events carry the involved object, source and timestamps, in call order', async () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const client = new FakeClient(() => clock.now());
  const recorder = newEventRecorderFactory({ client, clock, logger: newLogger({ write: () => {} }), signal: new AbortController().signal, host: 'cp-1' })('deployment-controller');
  recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-5d4c8 from 0 to 3');
  recorder.event(deployment, 'Warning', 'SelectingAll', 'second');
  await settle(client, 2);
  const creates = client.actions.filter((a) => a.verb === 'create');
  assert.deepEqual(creates.map((a) => [a.resource, a.namespace]), [['events', 'prod'], ['events', 'prod']]);
  const ev = creates[0]!.body as Record<string, unknown> & { metadata: { name: string } };
  assert.match(ev.metadata.name, /^web\.[0-9a-f]{16,}$/);
  assert.deepEqual(
    { ...ev, metadata: undefined },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: undefined,
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'prod', uid: 'u1', resourceVersion: '7' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-5d4c8 from 0 to 3',
      type: 'Normal',
      source: { component: 'deployment-controller', host: 'cp-1' },
      firstTimestamp: '2026-11-22T08:00:00Z',
      lastTimestamp: '2026-11-22T08:00:00Z',
      count: 1,
      reportingComponent: 'deployment-controller',
      reportingInstance: 'cp-1',
    },
  );
  assert.equal((creates[1]!.body as { reason: string }).reason, 'SelectingAll');
});

test('a full queue drops events and a failing write does not stop later ones', async () => {
  const client = new FakeClient();
  let failed = false;
  client.prependReactor((a) => (a.verb === 'create' && !failed ? ((failed = true), new Error('apiserver down')) : undefined));
  const recorder = newEventRecorderFactory({ client, logger: newLogger({ write: () => {} }), signal: new AbortController().signal, host: 'h', maxPending: 3 })('c');
  for (let i = 0; i < 10; i++) recorder.event(deployment, 'Normal', `R${i}`, 'm');
  await settle(client, 4);
  await new Promise((r) => setImmediate(r));
  const reasons = client.actions.filter((a) => a.verb === 'create').map((a) => (a.body as { reason: string }).reason);
  assert.deepEqual(reasons, ['R0', 'R1', 'R2', 'R3'], 'the first is taken at once, three wait, the rest are dropped');
  assert.equal(client.objects.size, 3, 'the first write failed, the others went through');
});
