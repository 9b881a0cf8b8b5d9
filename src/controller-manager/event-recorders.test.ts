// The manager's recorders write core/v1 Events through the broadcaster, with the controller as source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import { newEventRecorders } from './event-recorders.js';
import { FakeClient } from './testing/fake-client.js';

test('an event becomes a core/v1 Event in the object namespace, sourced by the controller', async () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const client = new FakeClient(() => clock.now());
  const recorders = newEventRecorders({ client, clock, logger: newLogger({ write: () => {} }), host: 'cp-1' });
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'u1' } };
  recorders.recorder('deployment-controller').event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-5d4c8 from 0 to 3');
  for (let i = 0; i < 200 && client.objects.size === 0; i++) await new Promise((r) => setImmediate(r));
  await recorders.shutdown();
  const [event] = [...client.objects.values()] as Array<Record<string, unknown> & { metadata: { namespace: string; name: string } }>;
  assert.ok(event, 'one Event written');
  assert.equal(event.metadata.namespace, 'prod');
  assert.match(event.metadata.name, /^web\.[0-9a-f]+$/);
  assert.deepEqual(
    [event['reason'], event['message'], event['type'], event['source']],
    ['ScalingReplicaSet', 'Scaled up replica set web-5d4c8 from 0 to 3', 'Normal', { component: 'deployment-controller', host: 'cp-1' }],
  );
  assert.deepEqual((event['involvedObject'] as { kind: string; name: string }).kind, 'Deployment');
});
