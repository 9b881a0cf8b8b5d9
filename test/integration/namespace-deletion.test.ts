// The namespace controller against an in-process apiserver: deleting a namespace removes configmaps,
// secrets, deployments, replicasets, pods and custom resources, keeps upstream's conditions while content
// with finalizers remains, reports discovery failures, and finalizes so that the namespace disappears.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { realClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import { discoverResources, type DiscoveryResult } from '../../src/client/discovery/discovery-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type { Typed } from '../../src/client/typed.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { NamespaceController, namespacesResource } from '../../src/controller-manager/controllers/namespace/namespace-controller.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

type Namespace = Typed<corev1.Namespace>;

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const secrets = { group: '', version: 'v1', resource: 'secrets' };
const pods = { group: '', version: 'v1', resource: 'pods' };
const serviceaccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const replicasets = { group: 'apps', version: 'v1', resource: 'replicasets' };
const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> => poll({ intervalMs: 20, timeoutMs }, cond);

/** Runs a namespace controller (no grace period, 1 s finalizer estimate) until the test ends. */
function startNamespaceController(t: TestContext, client: Interface, discover?: () => Promise<DiscoveryResult>): void {
  const logger = newLogger({ write: process.env.NS_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} });
  const factory = new SharedInformerFactory({ client, logger });
  const controller = new NamespaceController({
    client,
    namespaces: factory.forResource<Namespace>(namespacesResource),
    queue: newRateLimitingQueue(defaultControllerRateLimiter<string>(realClock), { name: 'namespace', clock: realClock }),
    clock: realClock,
    logger,
    deletionGracePeriodMs: 0,
    finalizerEstimateSeconds: 1,
    discover,
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  const running = controller.run({ workers: 2, signal: ac.signal });
  t.after(async () => {
    ac.abort();
    await running;
    await factory.shutdown();
  });
}

async function namespaceGone(client: Interface, name: string): Promise<boolean> {
  try {
    await client.resource(namespacesResource).get(name);
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

function condition(ns: Namespace, type: string): corev1.NamespaceCondition | undefined {
  return ns.status?.conditions?.find((c) => c.type === type);
}

const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

async function fill(client: Interface, ns: string): Promise<void> {
  await client.resource(namespacesResource).create({ metadata: { name: ns } });
  await client.resource(serviceaccounts, ns).create({ metadata: { name: 'default' } });
  await client.resource(configmaps, ns).create({ metadata: { name: 'cm' }, data: { a: 'b' } });
  await client.resource(secrets, ns).create({ metadata: { name: 's' }, stringData: { a: 'b' } });
  const d = await client.resource(deployments, ns).create({ metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web') } });
  const rs = await client.resource(replicasets, ns).create({
    metadata: { name: 'web-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web') },
  });
  for (let i = 0; i < 2; i++) {
    await client.resource(pods, ns).create({
      metadata: { name: `web-1-${i}`, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata!.uid!, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
  }
}

async function createWidgetCRD(client: Interface): Promise<void> {
  await client.resource(crds).create({
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
}

async function createWidget(client: Interface, ns: string, name: string, finalizers?: string[]): Promise<KubeObject> {
  let out: KubeObject | undefined;
  await until(async () => {
    try {
      out = await client.resource(widgets, ns).create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, finalizers } });
      return true;
    } catch {
      return false;
    }
  });
  return out!;
}

test('namespace deletion removes all content, custom resources included, and the namespace disappears', async (t) => {
  const { client, newClient } = await startInProcessAPIServer(t);
  startNamespaceController(t, newClient());
  await createWidgetCRD(client);
  await fill(client, 'doomed');
  await createWidget(client, 'doomed', 'w1');
  await createWidget(client, 'doomed', 'held', ['example.com/hold']);

  await client.resource(namespacesResource).delete('doomed');
  const terminating = await client.resource<Namespace>(namespacesResource).get('doomed');
  assert.equal(terminating.status?.phase, 'Terminating');

  // The widget with a finalizer keeps the namespace, and the conditions say why.
  await until(async () => {
    const ns = await client.resource<Namespace>(namespacesResource).get('doomed');
    return condition(ns, 'NamespaceFinalizersRemaining')?.status === 'True';
  });
  const ns = await client.resource<Namespace>(namespacesResource).get('doomed');
  assert.deepEqual(
    ns.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: widgets.example.com has 1 resource instances'],
      ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizerRemain', 'Some finalizers are remaining: example.com/hold in 1 resource instances'],
    ],
  );
  for (const [gvr, what] of [
    [configmaps, 'configmaps'],
    [secrets, 'secrets'],
    [deployments, 'deployments'],
    [replicasets, 'replicasets'],
    [pods, 'pods'],
  ] as const) {
    assert.deepEqual((await client.resource(gvr, 'doomed').list()).items.length, 0, what);
  }
  assert.deepEqual(
    (await client.resource(widgets, 'doomed').list()).items.map((w) => w.metadata?.name),
    ['held'],
  );

  await client.resource(widgets, 'doomed').patch('held', 'merge', { metadata: { finalizers: null } });
  await until(() => namespaceGone(client, 'doomed'));
});

test('namespace deletion: a failing discovery group is reported as a condition and blocks finalizing', async (t) => {
  const { client, newClient } = await startInProcessAPIServer(t);
  const controllerClient = newClient();
  let failing = true;
  startNamespaceController(t, controllerClient, async () => {
    const result = await discoverResources(controllerClient);
    if (failing) result.failedGroups.set('example.com/v1', 'the server is currently unable to handle the request');
    return result;
  });
  await client.resource(namespacesResource).create({ metadata: { name: 'partial' } });
  await client.resource(configmaps, 'partial').create({ metadata: { name: 'cm' } });
  await client.resource(namespacesResource).delete('partial');
  await until(async () => condition(await client.resource<Namespace>(namespacesResource).get('partial'), 'NamespaceDeletionDiscoveryFailure')?.status === 'True');
  const ns = await client.resource<Namespace>(namespacesResource).get('partial');
  const c = condition(ns, 'NamespaceDeletionDiscoveryFailure')!;
  assert.equal(c.reason, 'DiscoveryFailed');
  assert.equal(c.message, 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: example.com/v1: the server is currently unable to handle the request');
  // What could be discovered is deleted anyway.
  assert.equal((await client.resource(configmaps, 'partial').list()).items.length, 0);
  failing = false;
  await until(() => namespaceGone(client, 'partial'));
});
