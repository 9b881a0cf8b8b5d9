// The root CA publisher against fakes: create when missing, repair drifted data or annotation, leave a
// current ConfigMap alone, and which events enqueue a namespace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { configMapsResource, descriptionAnnotation, Publisher, rootCACertConfigMapName, rootCADescription } from './publisher.js';

type Namespace = Typed<corev1.Namespace>;
type ConfigMap = Typed<corev1.ConfigMap>;

const ca = 'PEM-CA';

function cm(namespace: string, data: Record<string, string>, annotations?: Record<string, string>, name = rootCACertConfigMapName): ConfigMap {
  return { metadata: { namespace, name, resourceVersion: '1', annotations }, data };
}

function setup(configMaps: ConfigMap[]) {
  const client = new FakeClient();
  for (const c of configMaps) client.seed(configMapsResource, c);
  const queue = new RecordingQueue();
  const nsInformer = new FakeInformer<Namespace>([{ metadata: { name: 'a' } }]);
  const cmInformer = new FakeInformer<ConfigMap>(configMaps);
  const publisher = new Publisher({ client, namespaces: nsInformer, configMaps: cmInformer, rootCA: ca, queue, clock: new FakeClock(0), logger: newLogger({ write: () => {} }) });
  return { client, queue, nsInformer, cmInformer, publisher };
}

test('syncNamespace writes what is missing or drifted', async () => {
  const good = { [descriptionAnnotation]: rootCADescription };
  const cases: Array<{ name: string; existing?: ConfigMap; verb?: string }> = [
    { name: 'missing', verb: 'create' },
    { name: 'current', existing: cm('a', { 'ca.crt': ca }, good) },
    { name: 'current with other annotations', existing: cm('a', { 'ca.crt': ca }, { ...good, team: 'x' }) },
    { name: 'old CA', existing: cm('a', { 'ca.crt': 'OLD' }, good), verb: 'update' },
    { name: 'extra key', existing: cm('a', { 'ca.crt': ca, x: 'y' }, good), verb: 'update' },
    { name: 'annotation missing', existing: cm('a', { 'ca.crt': ca }), verb: 'update' },
  ];
  for (const c of cases) {
    const { client, publisher } = setup(c.existing ? [c.existing] : []);
    await publisher.syncNamespace('a');
    const writes = client.writes();
    assert.deepEqual(writes.map((w) => w.verb), c.verb ? [c.verb] : [], c.name);
    if (!c.verb) continue;
    const stored = client.objects.get(client.key(configMapsResource, 'a', rootCACertConfigMapName)) as ConfigMap;
    assert.deepEqual(stored.data, { 'ca.crt': ca }, c.name);
    assert.equal(stored.metadata?.annotations?.[descriptionAnnotation], rootCADescription, c.name);
  }
});

test('only the root CA ConfigMap and namespaces enqueue', () => {
  const { queue, nsInformer, cmInformer } = setup([cm('a', { 'ca.crt': ca }), cm('a', {}, undefined, 'other')]);
  queue.added.length = 0;
  cmInformer.update(cm('a', {}, undefined, 'other'));
  cmInformer.update(cm('a', { 'ca.crt': 'x' }));
  cmInformer.delete(cm('a', { 'ca.crt': 'x' }));
  nsInformer.add({ metadata: { name: 'b' } });
  assert.deepEqual(queue.added, ['a', 'a', 'b']);
});
