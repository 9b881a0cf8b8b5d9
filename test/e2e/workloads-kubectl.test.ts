// End to end: real kubectl against `k8ts apiserver` + `k8ts controller-manager` with the fake-kubelet
// harness (the test plays the containers' exit for Job pods). `kubectl create job` + `kubectl wait
// --for=condition=complete`; a StatefulSet through `rollout status`, `set image`, `rollout history` (read
// from ControllerRevisions) and `rollout undo` (which applies a revision's data as a patch); a DaemonSet's
// `rollout status`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { waitFor } from '../harness/wait-for.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';

type Pod = corev1.Pod & KubeObject;
const versions: KubectlVersion[] = ['1.27', '1.33'];
const podsGVR = { group: '', version: 'v1', resource: 'pods' };
const nodesGVR = { group: '', version: 'v1', resource: 'nodes' };

/**
 * The scheduler's part, small: binds each unbound pod to the node its required affinity names
 * (metadata.name, as daemon pods carry it), else round-robin. Runs until `signal` aborts.
 */
async function bindPods(client: Interface, nodes: string[], signal: AbortSignal): Promise<void> {
  let next = 0;
  while (!signal.aborted) {
    const { items } = await client.resource<Pod>(podsGVR).list().catch(() => ({ items: [] as Pod[] }));
    for (const pod of items) {
      if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) continue;
      const pinned = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find((f) => f.key === 'metadata.name')?.values?.[0];
      const target = pinned ?? nodes[next++ % nodes.length]!;
      await client
        .resource(podsGVR, pod.metadata?.namespace ?? '')
        .createSubresource(pod.metadata!.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata!.name }, target: { apiVersion: 'v1', kind: 'Node', name: target } })
        .catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const statefulSetYAML = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;

const daemonSetYAML = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      nodeSelector: {agent: "yes"}
      containers:
      - name: agent
        image: agent:1
`;

for (const version of versions) describe(`kubectl ${version}: Jobs, StatefulSets and DaemonSets through k8ts controller-manager`, { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;
  let binder: Promise<void>;
  const stopBinder = new AbortController();
  const ns = `w${version.replace('.', '')}`;
  const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args: ['-n', ns, ...args], stdin, timeoutMs: 90_000 });
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await run(args, stdin);
    assert.equal(r.code, 0, `${explain(r)}\ncontroller-manager log:\n${await cm.logTail(20)}`);
    return r.stdout;
  };

  before(async () => {
    server = await startAPIServer({ backend: 'memory' });
    cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: server.dataDir });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    kubelet = startFakeKubelet({ client, nodeNames: ['node-a', 'node-b'], schedule: false });
    await kubelet.synced;
    binder = bindPods(client, ['node-a', 'node-b'], stopBinder.signal);
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await waitFor('the default ServiceAccount', async () => {
      const l = await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, ns).list();
      return l.items.some((s) => s.metadata?.name === 'default') || undefined;
    }, 30_000);
  });

  after(async () => {
    stopBinder.abort();
    await binder;
    await kubelet?.stop();
    await cm?.stop();
    client?.close();
    await server?.stop();
  });

  test('kubectl create job → the pod succeeds → kubectl wait --for=condition=complete', async () => {
    await ok(['create', 'job', 'pi', '--image=busybox', '--', 'echo', 'hi']);
    const pod = await waitFor('the Job pod running', async () => {
      const l = await client.resource<Pod>(podsGVR, ns).list({ labelSelector: 'job-name=pi' });
      return l.items.find((p) => p.status?.phase === 'Running');
    }, 30_000, async () => `pods: ${JSON.stringify((await client.resource<Pod>(podsGVR, ns).list()).items.map((p) => [p.metadata?.name, p.metadata?.labels, p.status?.phase]))}\njob: ${await ok(['get', 'job', 'pi', '-o', 'json'])}\n${await cm.logTail(20)}`);
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await client.resource(podsGVR, ns).patch(pod.metadata!.name!, 'merge', {
      status: { phase: 'Succeeded', containerStatuses: [{ name: 'pi', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } } }] },
    }, { subresource: 'status' });
    const out = await ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s']);
    assert.match(out, /job\.batch\/pi condition met/);
    assert.equal(await ok(['get', 'job', 'pi', '-o', 'jsonpath={.status.succeeded}']), '1');
  });

  test('StatefulSet: rollout status, set image, rollout history and undo', async () => {
    await ok(['apply', '-f', '-'], statefulSetYAML);
    // The defaulted strategy carries partition 0, so kubectl reports a partitioned roll out, as on a real cluster.
    const complete = /partitioned roll out complete: 2 new pods have been updated\.\.\./;
    assert.match(await ok(['rollout', 'status', 'statefulset/web', '--timeout=60s']), complete);
    assert.equal(await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']), 'web-0 web-1');
    await ok(['set', 'image', 'statefulset/web', 'nginx=nginx:1.26']);
    assert.match(await ok(['rollout', 'status', 'statefulset/web', '--timeout=60s']), complete);
    const history = await ok(['rollout', 'history', 'statefulset/web']);
    assert.match(history, /^1\s/m, history);
    assert.match(history, /^2\s/m, history);
    await ok(['rollout', 'undo', 'statefulset/web']);
    await waitFor('the template back at nginx:1.25', async () => {
      const image = await ok(['get', 'statefulset', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
      return image === 'nginx:1.25' || undefined;
    }, 30_000);
    assert.match(await ok(['rollout', 'status', 'statefulset/web', '--timeout=60s']), complete);
    assert.equal(await ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.spec.containers[0].image}']), 'nginx:1.25');
  });

  test('DaemonSet: a pod on each labelled node; rollout status', async () => {
    // Nodes carry not-ready:NoSchedule from admission until the node lifecycle controller lifts it.
    for (const node of ['node-a', 'node-b']) await client.resource(nodesGVR).patch(node, 'merge', { metadata: { labels: { agent: 'yes' } }, spec: { taints: null } });
    await ok(['apply', '-f', '-'], daemonSetYAML);
    const out = await ok(['rollout', 'status', 'daemonset/agent', '--timeout=60s']);
    assert.match(out, /daemon set "agent" successfully rolled out/);
    const pods = (await client.resource<Pod>(podsGVR, ns).list({ labelSelector: 'app=agent' })).items;
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), ['node-a', 'node-b']);
  });
});
