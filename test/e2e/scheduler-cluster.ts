// Shared by the scheduler integration tests: an in-process apiserver on a memory store, a client, Node and
// Pod builders, and a scheduler started in-process against it (stopped when the test ends).
import type { TestContext } from 'node:test';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { Node, Pod } from '../../src/api/generated/core/v1.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { defaultConfiguration } from '../../src/scheduler/config/defaults.js';
import type { KubeSchedulerConfiguration } from '../../src/scheduler/config/types.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { freePort } from '../harness/free-port.js';

export const podsGVR = { group: '', version: 'v1', resource: 'pods' };
export const nodesGVR = { group: '', version: 'v1', resource: 'nodes' };

export interface TestCluster {
  server: APIServer;
  client: Interface;
  url: string;
  pods(ns?: string): ReturnType<Interface['resource']>;
  nodes(): ReturnType<Interface['resource']>;
}

export async function startCluster(t: TestContext): Promise<TestCluster> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1',
    // No service-account controller creates default/default here, and no node lifecycle controller lifts the
    // node.kubernetes.io/not-ready taint TaintNodesByCondition puts on new nodes.
    disableAdmissionPlugins: ['ServiceAccount', 'TaintNodesByCondition'],
  };
  const ac = new AbortController();
  const server = await runAPIServer({ ...opts, insecurePort: await freePort() }, ac.signal, {
    openStore: async () => openMemoryStore(),
    servingCert: cert,
  });
  const url = `http://127.0.0.1:${server.insecurePort}`;
  const client = newClient({ host: url, qps: -1 });
  t.after(async () => {
    client.close();
    ac.abort();
    await server.close();
  });
  return {
    server,
    client,
    url,
    pods: (ns = 'default') => client.resource(podsGVR, ns),
    nodes: () => client.resource(nodesGVR),
  };
}

/** Starts a scheduler in this process; stops it (and waits for it) when the test ends or `stop()` is called. */
export function startScheduler(t: TestContext, c: TestCluster, config: KubeSchedulerConfiguration = {}): { scheduler: Scheduler; stop(): Promise<void> } {
  const client = newClient({ host: c.url, qps: -1 });
  const scheduler = new Scheduler({ client, config: defaultConfiguration(config) });
  const ac = new AbortController();
  const done = scheduler.run(ac.signal);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    ac.abort();
    await done;
    client.close();
  };
  t.after(stop);
  return { scheduler, stop };
}

export interface NodeSpec {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
}

export function node(s: NodeSpec): Node & KubeObject {
  const capacity = { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: String(s.pods ?? 110) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: s.name, labels: { 'kubernetes.io/hostname': s.name, ...s.labels } },
    spec: { taints: s.taints, unschedulable: s.unschedulable },
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node & KubeObject;
}

export interface PodSpecLite {
  name: string;
  cpu?: string;
  memory?: string;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
  priority?: number;
}

export function pod(s: PodSpecLite): Pod & KubeObject {
  const requests: Record<string, string> = {};
  if (s.cpu) requests.cpu = s.cpu;
  if (s.memory) requests.memory = s.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: s.name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: Object.keys(requests).length ? { requests } : undefined }],
      schedulerName: s.schedulerName,
      nodeSelector: s.nodeSelector,
      tolerations: s.tolerations,
    },
  } as Pod & KubeObject;
}

/** Polls `fn` until it returns a value other than undefined (bounded: 200 tries, 25 ms apart). */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
