// Controller-logic benchmark for the node lifecycle, CSR signing and resource quota controllers, in process
// on fakes (no apiserver: what the controllers' own code costs): one health pass over N healthy nodes, the
// pass that marks them all Unknown (status writes, NodeNotReady, pods marked not ready), CSR signatures
// per second, and one quota recomputation over P pods. Prints JSON on stdout.
//
//   node --import tsx bench/node-lifecycle.ts [--nodes=2000] [--pods-per-node=10] [--csrs=50] [--quota-pods=5000]
import { cpus } from 'node:os';
import { FakeClock } from '../src/base/clock.js';
import { newLogger } from '../src/base/logger.js';
import type { GroupVersionResource, KubeObject } from '../src/client/rest/interface.js';
import { metaTime } from '../src/controller-manager/conditions.js';
import { CSRSigningController } from '../src/controller-manager/controllers/certificates/signing-controller.js';
import type { CertificateSigningRequest } from '../src/controller-manager/controllers/certificates/csr.js';
import { NodeLifecycleController, nodesResource, podsResource, type Lease, type Node, type Pod } from '../src/controller-manager/controllers/nodelifecycle/node-lifecycle-controller.js';
import { ResourceQuotaController, type ResourceQuota } from '../src/controller-manager/controllers/resourcequota/resource-quota-controller.js';
import { FakeClient } from '../src/controller-manager/testing/fake-client.js';
import { FakeInformer } from '../src/controller-manager/testing/fake-informer.js';
import { RecordingQueue } from '../src/controller-manager/testing/recording-queue.js';
import { RecordingRecorder } from '../src/controller-manager/testing/recording-recorder.js';
import { newSelfSignedCACert } from '../src/pki/certificate.js';
import { createCSR } from '../src/pki/csr.js';
import { generatePrivateKey } from '../src/pki/keys.js';

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

const nodeCount = arg('nodes', 2000);
const podsPerNode = arg('pods-per-node', 10);
const csrCount = arg('csrs', 50);
const quotaPods = arg('quota-pods', 5000);
const logger = newLogger({ write: () => {} });
const start = Date.UTC(2026, 0, 1);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: Math.round((performance.now() - t0) * 10) / 10, result };
}

async function nodeLifecycle() {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `node-${i}`;
    const node: Node = { metadata: { name, resourceVersion: '1', labels: { 'topology.kubernetes.io/zone': `z${i % 3}` } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: metaTime(start) }] } };
    nodes.push(node);
    client.seed(nodesResource, node);
    for (let j = 0; j < podsPerNode; j++) {
      const pod: Pod = { metadata: { name: `p-${i}-${j}`, namespace: 'default', resourceVersion: '1' }, spec: { nodeName: name, containers: [] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
      pods.push(pod);
      client.seed(podsResource, pod);
    }
  }
  const nodeInformer = new FakeInformer<Node>(nodes);
  const podInformer = new FakeInformer<Pod>(pods);
  client.onWrite = (gvr: GroupVersionResource, obj: KubeObject) => (gvr.resource === 'nodes' ? nodeInformer.set(obj as Node) : podInformer.set(obj as Pod));
  const leases = new FakeInformer<Lease>(nodes.map((n) => ({ metadata: { name: n.metadata!.name, namespace: 'kube-node-lease' }, spec: { renewTime: new Date(start).toISOString() } })));
  const controller = new NodeLifecycleController({
    client,
    nodes: nodeInformer,
    leases,
    pods: podInformer,
    recorder: new RecordingRecorder(),
    queue: new RecordingQueue(),
    options: { nodeMonitorPeriodMs: 5000, nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000, evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55 },
    clock,
    logger,
  });
  const first = await timed(() => controller.monitorNodeHealth());
  clock.step(5000);
  const healthy = await timed(() => controller.monitorNodeHealth());
  clock.step(60_000);
  const before = client.writes().length;
  const allUnknown = await timed(() => controller.monitorNodeHealth());
  return { nodes: nodeCount, pods: pods.length, firstPassMs: first.ms, healthyPassMs: healthy.ms, allUnknownPassMs: allUnknown.ms, writesInUnknownPass: client.writes().length - before };
}

async function csrSigning() {
  const caKey = await generatePrivateKey('ecdsa');
  const ca = { certPEM: await newSelfSignedCACert({ key: caKey, commonName: 'bench-ca', now: new Date(start), validitySeconds: 10 * 365 * 86400 }), key: caKey };
  const client = new FakeClient(() => start);
  const csrs: CertificateSigningRequest[] = [];
  for (let i = 0; i < csrCount; i++) {
    const request = Buffer.from(await createCSR({ key: await generatePrivateKey('ecdsa'), subject: { commonName: `user-${i}` } })).toString('base64');
    const csr: CertificateSigningRequest = {
      metadata: { name: `csr-${i}`, resourceVersion: '1' },
      spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
      status: { conditions: [{ type: 'Approved', status: 'True' }] },
    };
    csrs.push(csr);
    client.seed({ group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' }, csr);
  }
  const controller = new CSRSigningController({
    client,
    csrs: new FakeInformer(csrs),
    signers: new Map([['kubernetes.io/kube-apiserver-client', ca]]),
    certTTLSeconds: 86400,
    queue: new RecordingQueue(),
    clock: new FakeClock(start),
    logger,
  });
  const { ms } = await timed(async () => {
    for (const c of csrs) await controller.sync(c.metadata!.name!);
  });
  return { csrs: csrCount, ms, perSecond: Math.round((csrCount / ms) * 1000 * 10) / 10 };
}

async function quota() {
  const pods: KubeObject[] = [];
  for (let i = 0; i < quotaPods; i++) {
    pods.push({ metadata: { name: `p${i}`, namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } } }] }, status: { phase: 'Running' } } as KubeObject);
  }
  const q: ResourceQuota = { metadata: { name: 'q', namespace: 'team', resourceVersion: '1' }, spec: { hard: { pods: '100000', 'requests.cpu': '1000', 'requests.memory': '1Ti', 'limits.memory': '1Ti' } } };
  const client = new FakeClient();
  client.seed({ group: '', version: 'v1', resource: 'resourcequotas' }, q);
  const controller = new ResourceQuotaController({
    client,
    quotas: new FakeInformer([q]),
    watched: new Map([['pods', new FakeInformer(pods)]]),
    queue: new RecordingQueue(),
    resyncPeriodMs: 300_000,
    clock: new FakeClock(),
    logger,
  });
  const { ms, result } = await timed(() => controller.computeUsage(q));
  return { pods: quotaPods, recomputeMs: ms, used: result };
}

const out = { cpus: cpus().length, nodeLifecycle: await nodeLifecycle(), csrSigning: await csrSigning(), resourceQuota: await quota() };
console.log(JSON.stringify(out, null, 2));
