// The endpoints controller's sync against fakes: create, no-op when current, over-capacity truncation with
// its annotation, the headless label, deletion with the Service, ExternalName and selector-less Services,
// and the warning event when a write fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { newForbidden } from '../../../apimachinery/errors.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import type { Pod, Service } from '../endpointslice/util/pod-membership.js';
import { EndpointsController, endpointsOverCapacityAnnotation, endpointsResource } from './endpoints-controller.js';

type Endpoints = Typed<corev1.Endpoints>;

function svc(extra: Partial<corev1.ServiceSpec> = {}): Service {
  return { metadata: { namespace: 'ns', name: 'web', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }], ...extra } };
}

function pods(n: number, ready = true): Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    metadata: { namespace: 'ns', name: `p${i}`, uid: `u${i}`, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [] },
    status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }));
}

function setup(service: Service | undefined, podList: Pod[], existing?: Endpoints) {
  const client = new FakeClient();
  if (existing) client.seed(endpointsResource, existing);
  const recorder = new RecordingRecorder();
  const controller = new EndpointsController({
    client,
    services: new FakeInformer<Service>(service ? [service] : []),
    pods: new FakeInformer<Pod>(podList),
    endpoints: new FakeInformer<Endpoints>(existing ? [existing] : []),
    queue: new RecordingQueue(),
    recorder,
    clock: new FakeClock(0),
    logger: newLogger({ write: () => {} }),
  });
  return { client, controller, recorder };
}

const stored = (client: FakeClient) => client.objects.get(client.key(endpointsResource, 'ns', 'web')) as Endpoints | undefined;

test('syncService writes what the Service and pods call for', async () => {
  const cases: Array<{ name: string; service?: Service; pods: Pod[]; existing?: Endpoints; verbs: string[]; check?(ep: Endpoints | undefined): void }> = [
    {
      name: 'create',
      service: svc(),
      pods: pods(2),
      verbs: ['create'],
      check: (ep) => {
        assert.deepEqual(ep?.subsets?.[0].addresses?.map((a) => a.ip), ['10.0.0.0', '10.0.0.1']);
        assert.equal(ep?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:00Z');
        assert.equal(ep?.metadata?.labels?.['service.kubernetes.io/headless'], undefined);
      },
    },
    {
      name: 'over capacity',
      service: svc(),
      pods: pods(1001),
      verbs: ['create'],
      check: (ep) => {
        assert.equal(ep?.subsets?.[0].addresses?.length, 1000);
        assert.equal(ep?.metadata?.annotations?.[endpointsOverCapacityAnnotation], 'truncated');
      },
    },
    { name: 'headless', service: svc({ clusterIP: 'None' }), pods: [], verbs: ['create'], check: (ep) => assert.equal(ep?.metadata?.labels?.['service.kubernetes.io/headless'], '') },
    { name: 'service gone', pods: [], existing: { metadata: { namespace: 'ns', name: 'web' } }, verbs: ['delete'] },
    { name: 'ExternalName', service: svc({ type: 'ExternalName' }), pods: pods(1), verbs: [] },
    { name: 'no selector', service: svc({ selector: undefined }), pods: pods(1), verbs: [] },
    {
      name: 'current already',
      service: svc(),
      pods: pods(1),
      existing: {
        metadata: { namespace: 'ns', name: 'web', resourceVersion: '5' },
        subsets: [{ addresses: [{ ip: '10.0.0.0', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p0', uid: 'u0', resourceVersion: '9' } }], ports: [{ port: 80, protocol: 'TCP' }] }],
      },
      verbs: [],
    },
  ];
  for (const c of cases) {
    const { client, controller } = setup(c.service, c.pods, c.existing);
    await controller.syncService('ns/web');
    assert.deepEqual(client.writes().map((w) => w.verb), c.verbs, c.name);
    c.check?.(stored(client));
  }
});

test('a failed create records FailedToCreateEndpoint and is retried', async () => {
  const { client, controller, recorder } = setup(svc(), pods(1));
  client.prependReactor((a) => (a.verb === 'create' ? newForbidden({ group: '', resource: 'endpoints' }, 'web', 'no') : undefined));
  await assert.rejects(controller.syncService('ns/web'));
  assert.equal(recorder.events.length, 1);
  assert.match(recorder.events[0], /^Warning FailedToCreateEndpoint Failed to create endpoint for service ns\/web: /);
});
