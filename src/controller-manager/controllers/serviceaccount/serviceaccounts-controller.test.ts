// The service accounts controller against fakes: which namespaces get `default` created, deletes requeue the
// namespace, and a create racing another writer counts as done.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { ServiceAccountsController, serviceAccountsResource } from './serviceaccounts-controller.js';

type Namespace = Typed<corev1.Namespace>;
type ServiceAccount = Typed<corev1.ServiceAccount>;

function ns(name: string, extra: { phase?: string; deleting?: boolean } = {}): Namespace {
  return { metadata: { name, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) }, status: { phase: extra.phase ?? 'Active' } };
}

function sa(namespace: string, name: string): ServiceAccount {
  return { metadata: { namespace, name } };
}

function setup(namespaces: Namespace[], accounts: ServiceAccount[]) {
  const client = new FakeClient();
  for (const a of accounts) client.seed(serviceAccountsResource, a);
  const queue = new RecordingQueue();
  const nsInformer = new FakeInformer<Namespace>(namespaces);
  const saInformer = new FakeInformer<ServiceAccount>(accounts);
  const controller = new ServiceAccountsController({
    client,
    namespaces: nsInformer,
    serviceAccounts: saInformer,
    queue,
    clock: new FakeClock(0),
    logger: newLogger({ write: () => {} }),
  });
  return { client, queue, nsInformer, saInformer, controller };
}

test('syncNamespace creates only missing accounts of active namespaces', async () => {
  const cases: Array<{ name: string; namespace: Namespace | undefined; accounts: ServiceAccount[]; creates: string[] }> = [
    { name: 'active without default', namespace: ns('a'), accounts: [], creates: ['a/default'] },
    { name: 'active with default', namespace: ns('a'), accounts: [sa('a', 'default')], creates: [] },
    { name: 'other accounts do not count', namespace: ns('a'), accounts: [sa('a', 'builder'), sa('b', 'default')], creates: ['a/default'] },
    { name: 'terminating phase', namespace: ns('a', { phase: 'Terminating' }), accounts: [], creates: [] },
    { name: 'being deleted', namespace: ns('a', { deleting: true }), accounts: [], creates: [] },
    { name: 'namespace gone', namespace: undefined, accounts: [], creates: [] },
  ];
  for (const c of cases) {
    const { client, controller } = setup(c.namespace ? [c.namespace] : [], c.accounts);
    await controller.syncNamespace('a');
    const creates = client.writes().map((w) => `${w.verb === 'create' ? '' : w.verb + ':'}${w.namespace}/${w.name}`);
    assert.deepEqual(creates, c.creates, c.name);
  }
});

test('AlreadyExists from a racing writer is success', async () => {
  const { client, controller } = setup([ns('a')], []);
  client.seed(serviceAccountsResource, sa('a', 'default')); // on the server, not yet in the cache
  await controller.syncNamespace('a');
  assert.equal(client.writes().length, 1);
});

test('handlers: namespaces enqueue themselves, deleting `default` enqueues its namespace', () => {
  const { queue, nsInformer, saInformer } = setup([], [sa('a', 'default'), sa('a', 'other')]);
  nsInformer.add(ns('x'));
  nsInformer.update(ns('x', { phase: 'Terminating' }));
  saInformer.delete(sa('a', 'other'));
  saInformer.delete(sa('a', 'default'));
  saInformer.delete({ key: 'b/default', obj: sa('b', 'default'), deletedFinalStateUnknown: true } as never);
  assert.deepEqual(queue.added, ['x', 'x', 'a', 'b']);
});
