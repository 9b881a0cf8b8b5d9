// Test harness "nodes": stands in for the scheduler and kubelets until those components exist. It
// registers Ready Node objects, binds unscheduled pods to them round-robin (pods/binding), reports bound
// pods Running and (by default) Ready through the status subresource, and confirms graceful deletions
// (delete with gracePeriodSeconds 0), so controllers see the pod life cycle they expect.
//
// Use: `const kubelet = startFakeKubelet({ client, signal })`; `await kubelet.stop()` at the end. Which pods
// become Ready is a predicate (`ready`), changeable at run time with `setReady` (then every known pod is
// re-evaluated). Only loopback servers are reached: the client is the test's own.
import { isAlreadyExists, isConflict, isNotFound } from '../../src/apimachinery/errors.js';
import type { Interface, KubeObject, ResourceInterface } from '../../src/client/rest/interface.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';

type Pod = corev1.Pod & KubeObject;
type Node = corev1.Node & KubeObject;

const podsGVR = { group: '', version: 'v1', resource: 'pods' };
const nodesGVR = { group: '', version: 'v1', resource: 'nodes' };
const leasesGVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
/** The kubelet's node Lease: 40 s long, renewed every 10 s (a quarter of it), in kube-node-lease. */
const leaseDurationSeconds = 40;
const leaseRenewMs = 10_000;

export interface FakeKubeletOptions {
  client: Interface;
  /** Node names this harness plays (default one node, `harness-node-1`). */
  nodeNames?: string[];
  /** Bind pods without spec.nodeName to our nodes (default true). */
  schedule?: boolean;
  /** Create (or keep) a Ready Node object per name (default true). */
  registerNodes?: boolean;
  /** Which running pods report Ready (default: all). */
  ready?: (pod: Pod) => boolean;
  /** Stops the harness (as well as `stop()`). */
  signal?: AbortSignal;
  /** Time source for status timestamps (default Date.now). */
  now?: () => number;
}

export interface FakeKubelet {
  /** Changes which pods are Ready and re-reports every pod it runs. */
  setReady(ready: (pod: Pod) => boolean): Promise<void>;
  /** Pods bound, status writes and deletions confirmed so far. */
  readonly stats: { bound: number; statusUpdates: number; deletionsConfirmed: number };
  /** Resolves once the first list was processed. */
  readonly synced: Promise<void>;
  stop(): Promise<void>;
}

function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The status a kubelet reports for a started pod, Ready or not. */
export function runningPodStatus(pod: Pod, ready: boolean, now: number, podIndex: number): corev1.PodStatus {
  const t = metaTime(now);
  const prev = pod.status ?? {};
  const prevReady = prev.conditions?.find((c) => c.type === 'Ready');
  const readyStatus = ready ? 'True' : 'False';
  const readySince = prevReady?.status === readyStatus && prevReady.lastTransitionTime ? prevReady.lastTransitionTime : t;
  const cond = (type: string, status: string, since = t) => ({ type, status, lastProbeTime: null as unknown as string, lastTransitionTime: since });
  const ip = `10.244.${Math.floor(podIndex / 250) % 250}.${(podIndex % 250) + 2}`;
  return {
    phase: 'Running',
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    podIP: prev.podIP ?? ip,
    podIPs: [{ ip: prev.podIP ?? ip }],
    startTime: prev.startTime ?? t,
    qosClass: prev.qosClass ?? 'BestEffort',
    conditions: [
      cond('PodReadyToStartContainers', 'True'),
      cond('Initialized', 'True'),
      cond('Ready', readyStatus, readySince),
      cond('ContainersReady', readyStatus, readySince),
      cond('PodScheduled', 'True'),
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `${c.image ?? ''}@sha256:${'0'.repeat(64)}`,
      containerID: `containerd://${(pod.metadata?.uid ?? '').replace(/-/g, '')}${c.name}`.slice(0, 77),
      ready,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: prev.startTime ?? t } },
    })),
  };
}

function isReportedAs(pod: Pod, ready: boolean): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True') === ready;
}

export function startFakeKubelet(opts: FakeKubeletOptions): FakeKubelet {
  const nodeNames = opts.nodeNames ?? ['harness-node-1'];
  const ours = new Set(nodeNames);
  const schedule = opts.schedule ?? true;
  const now = opts.now ?? Date.now;
  let ready = opts.ready ?? (() => true);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const stats = { bound: 0, statusUpdates: 0, deletionsConfirmed: 0 };
  const pods = opts.client.resource<Pod>(podsGVR, '');
  const known = new Map<string, Pod>();
  let nextNode = 0;
  let podIndex = 0;
  // One pod is handled at a time, in event order: a later event for a pod waits for the earlier one.
  let chain: Promise<void> = Promise.resolve();

  const inNamespace = (ns: string): ResourceInterface<Pod> => opts.client.resource<Pod>(podsGVR, ns);

  async function handle(pod: Pod): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const client = inNamespace(ns);
    try {
      if (pod.metadata?.deletionTimestamp) {
        if (pod.spec?.nodeName && ours.has(pod.spec.nodeName)) {
          await client.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
          stats.deletionsConfirmed++;
        }
        return;
      }
      let nodeName = pod.spec?.nodeName;
      if (!nodeName) {
        if (!schedule) return;
        nodeName = nodeNames[nextNode++ % nodeNames.length]!;
        await client.createSubresource(name, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace: ns, uid: pod.metadata?.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        });
        stats.bound++;
        // The bound pod comes back as a MODIFIED event; its status is written then.
        return;
      }
      if (!ours.has(nodeName)) return;
      // A finished pod (a test plays its containers' exit) stays finished, as with a real kubelet.
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const wantReady = ready(pod);
      if (isReportedAs(pod, wantReady)) return;
      const status = runningPodStatus(pod, wantReady, now(), podIndex++);
      await client.patch(name, 'merge', { status }, { subresource: 'status' });
      stats.statusUpdates++;
    } catch (err) {
      // The pod changed or went away meanwhile: its next event (or none) decides.
      if (isNotFound(err) || isConflict(err)) return;
      if (stop.signal.aborted) return;
      throw err;
    }
  }

  function enqueue(pod: Pod): void {
    chain = chain.then(() => handle(pod)).catch(() => undefined);
  }

  async function registerNodes(): Promise<void> {
    const nodes = opts.client.resource<Node>(nodesGVR, '');
    for (const name of nodeNames) {
      try {
        await nodes.create({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
          spec: {},
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const t = metaTime(now());
      await nodes.patch(
        name,
        'merge',
        {
          status: {
            conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }],
            addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
            capacity: { cpu: '64', memory: '256Gi', pods: '10000' },
            allocatable: { cpu: '64', memory: '256Gi', pods: '10000' },
            nodeInfo: { kubeletVersion: 'v1.36.0-harness', containerRuntimeVersion: 'harness://1.0', operatingSystem: 'linux', architecture: 'amd64', osImage: 'k8ts harness', kernelVersion: '', kubeProxyVersion: '', machineID: '', systemUUID: '', bootID: '' },
          },
        },
        { subresource: 'status' },
      );
    }
  }

  /** The kubelet's heartbeat: without it the node-lifecycle controller marks the nodes Unknown after its grace period. */
  async function renewLeases(): Promise<void> {
    const leases = opts.client.resource(leasesGVR, 'kube-node-lease');
    const renewTime = new Date(now()).toISOString().replace('Z', '000Z');
    for (const name of nodeNames) {
      const spec = { holderIdentity: name, leaseDurationSeconds, renewTime };
      try {
        await leases.patch(name, 'merge', { spec });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });
      }
    }
  }

  let resolveSynced!: () => void;
  const synced = new Promise<void>((r) => (resolveSynced = r));

  async function loop(): Promise<void> {
    if (opts.registerNodes ?? true) {
      await registerNodes();
      await renewLeases().catch(() => undefined);
      const heartbeat = setInterval(() => void renewLeases().catch(() => undefined), leaseRenewMs);
      heartbeat.unref();
      stop.signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
    }
    while (!stop.signal.aborted) {
      try {
        const list = await pods.list({ signal: stop.signal });
        known.clear();
        for (const pod of list.items) {
          known.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, pod);
          enqueue(pod);
        }
        await chain;
        resolveSynced();
        const events = await pods.watch({ resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, signal: stop.signal });
        for await (const ev of events) {
          if (ev.type === 'ERROR') break;
          if (ev.type === 'BOOKMARK') continue;
          const key = `${ev.object.metadata?.namespace}/${ev.object.metadata?.name}`;
          if (ev.type === 'DELETED') {
            known.delete(key);
            continue;
          }
          known.set(key, ev.object);
          enqueue(ev.object);
        }
      } catch {
        if (stop.signal.aborted) break;
      }
      // Relist after a broken or ended watch, after a short pause (bounded retry rate).
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const running = loop().catch(() => undefined);
  return {
    stats,
    synced,
    async setReady(next) {
      ready = next;
      for (const pod of known.values()) enqueue(pod);
      await chain;
    },
    async stop() {
      stop.abort();
      opts.signal?.removeEventListener('abort', onOuterAbort);
      await running;
      await chain;
    },
  };
}
