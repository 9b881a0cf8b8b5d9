// The fake kubelet against a real apiserver: it registers Ready nodes, binds a pod, reports it Running and
// Ready (or not, on request), and confirms its graceful deletion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from './apiserver-process.js';
import { startFakeKubelet } from './fake-kubelet.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { isNotFound } from '../../src/apimachinery/errors.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';

type Pod = corev1.Pod & KubeObject;
const podsGVR = { group: '', version: 'v1', resource: 'pods' };

let server: APIServerProcess;
let client: Interface;

before(async () => {
  server = await startAPIServer({ backend: 'memory' });
  client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('binds, runs, toggles readiness and confirms deletion', async () => {
  const kubelet = startFakeKubelet({ client, nodeNames: ['n1', 'n2'] });
  try {
    await kubelet.synced;
    const nodes = await client.resource({ group: '', version: 'v1', resource: 'nodes' }).list();
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name).sort(), ['n1', 'n2']);
    const pods = client.resource<Pod>(podsGVR, 'default');
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const running = await until('Running and Ready', async () => {
      const p = await pods.get('p');
      return p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    });
    assert.ok(['n1', 'n2'].includes(running.spec?.nodeName ?? ''));
    assert.equal(running.status?.containerStatuses?.[0]?.ready, true);
    assert.match(running.status?.podIP ?? '', /^10\.244\./);

    await kubelet.setReady(() => false);
    await until('not Ready', async () => ((await pods.get('p')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? true : undefined));

    // A bound pod is deleted gracefully (deletionTimestamp first); the kubelet confirms, so it disappears.
    await pods.delete('p');
    await until('gone', async () => {
      try {
        await pods.get('p');
        return undefined;
      } catch (err) {
        return isNotFound(err) ? true : undefined;
      }
    });
    assert.ok(kubelet.stats.bound >= 1, "bound");
    assert.ok(kubelet.stats.deletionsConfirmed >= 1, "deletion confirmed");
  } finally {
    await kubelet.stop();
  }
});
