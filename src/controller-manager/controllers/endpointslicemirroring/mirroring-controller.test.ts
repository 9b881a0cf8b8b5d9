// The mirroring controller against fakes: which Endpoints are mirrored, and the slices written for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import type { EndpointSlice } from '../endpointslice/slice-plan.js';
import type { Service } from '../endpointslice/util/pod-membership.js';
import { EndpointSliceMirroringController, shouldMirror } from './mirroring-controller.js';

type Endpoints = Typed<corev1.Endpoints>;

const endpoints = (extra: { labels?: Record<string, string>; annotations?: Record<string, string>; ips?: string[] } = {}): Endpoints => ({
  metadata: { namespace: 'ns', name: 'db', uid: 'ep-uid', labels: extra.labels, annotations: extra.annotations },
  subsets: [{ addresses: (extra.ips ?? ['192.0.2.1']).map((ip) => ({ ip })), ports: [{ port: 5432 }] }],
});

test('shouldMirror', () => {
  assert.equal(shouldMirror(endpoints()), true);
  assert.equal(shouldMirror(endpoints({ labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })), false);
  assert.equal(shouldMirror(endpoints({ labels: { 'endpointslice.kubernetes.io/skip-mirror': 'false' } })), true);
  assert.equal(shouldMirror(endpoints({ annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })), false);
});

test('syncEndpoints mirrors only selector-less Services, in slices of at most the subset maximum', async () => {
  const cases: Array<{ name: string; service?: Service; ep: Endpoints; max?: number; creates: number[] }> = [
    { name: 'selector-less', service: { metadata: { namespace: 'ns', name: 'db' }, spec: {} }, ep: endpoints(), creates: [1] },
    { name: 'with selector', service: { metadata: { namespace: 'ns', name: 'db' }, spec: { selector: { a: 'b' } } }, ep: endpoints(), creates: [] },
    { name: 'no service', ep: endpoints(), creates: [] },
    { name: 'invalid IPs skipped', service: { metadata: { namespace: 'ns', name: 'db' }, spec: {} }, ep: endpoints({ ips: ['192.0.2.1', 'not-an-ip'] }), creates: [1] },
    { name: 'subset cap', service: { metadata: { namespace: 'ns', name: 'db' }, spec: {} }, ep: endpoints({ ips: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] }), max: 2, creates: [2] },
  ];
  for (const c of cases) {
    const client = new FakeClient();
    const controller = new EndpointSliceMirroringController({
      client,
      services: new FakeInformer<Service>(c.service ? [c.service] : []),
      endpoints: new FakeInformer<Endpoints>([c.ep]),
      endpointSlices: new FakeInformer<EndpointSlice>([]),
      queue: new RecordingQueue(),
      recorder: new RecordingRecorder(),
      clock: new FakeClock(0),
      logger: newLogger({ write: () => {} }),
      maxEndpointsPerSubset: c.max,
    });
    await controller.syncEndpoints('ns/db');
    const creates = client.writes().filter((w) => w.verb === 'create').map((w) => ((w.body as EndpointSlice).endpoints ?? []).length);
    assert.deepEqual(creates, c.creates, c.name);
  }
});
