// `node --import tsx bench/printers.ts [--pods=N] [--runs=N]`: how long the server-side printers take to
// turn a list of pods into a meta.k8s.io Table (and to serialise it), in process, with no HTTP. Prints one
// JSON report on stdout. Pods look like a busy cluster's: two containers, one sidecar, statuses with
// restarts, labels and managedFields, a spread of phases.
import { podPrinter } from '../src/apiserver/printers/pod-printer.js';
import { renderListTable } from '../src/apiserver/printers/render-table.js';
import type { APIObject } from '../src/apiserver/registry/strategy.js';
import { median, percentile, round } from './stats.js';

function arg(name: string, fallback: number, max: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer in 1..${max}`);
  return n;
}

const podCount = arg('pods', 10_000, 200_000);
const runs = arg('runs', 15, 100);
const now = Date.parse('2026-03-01T12:00:00Z');
const iso = (msAgo: number): string => new Date(now - msAgo).toISOString().replace('.000Z', 'Z');

function pod(i: number): APIObject {
  const phase = i % 10 === 0 ? 'Pending' : i % 17 === 0 ? 'Succeeded' : 'Running';
  const restarts = i % 7;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-${i.toString(36).padStart(5, '0')}-x7k2p`,
      namespace: `team-${i % 20}`,
      uid: `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: iso((i % 5000) * 61_000),
      labels: { app: 'web', 'pod-template-hash': '5d8f7c', tier: i % 2 ? 'frontend' : 'backend' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: iso(60_000), fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
    },
    spec: {
      nodeName: `node-${i % 100}`,
      initContainers: [{ name: 'proxy', image: 'envoy:1.31', restartPolicy: 'Always' }],
      containers: [
        { name: 'app', image: 'nginx:1.27' },
        { name: 'log', image: 'fluent-bit:3' },
      ],
    },
    status: {
      phase,
      podIPs: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: phase === 'Running' ? 'True' : 'False' },
      ],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, image: 'envoy:1.31', imageID: '', state: { running: {} } }],
      containerStatuses: [
        {
          name: 'app',
          ready: phase === 'Running',
          restartCount: restarts,
          image: 'nginx:1.27',
          imageID: '',
          state: phase === 'Pending' ? { waiting: { reason: 'ContainerCreating' } } : { running: {} },
          lastState: restarts ? { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: iso(restarts * 90_000) } } : {},
        },
        { name: 'log', ready: true, restartCount: 0, image: 'fluent-bit:3', imageID: '', state: { running: {} } },
      ],
    },
  };
}

const pods = Array.from({ length: podCount }, (_, i) => pod(i));
const render = () => renderListTable({ items: pods, printer: podPrinter, now, listMeta: { resourceVersion: String(1000 + podCount) } });

// One warm-up so JIT compilation is not measured.
let bytes = JSON.stringify(render()).length;
const renderMs: number[] = [];
const renderAndSerializeMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const table = render();
  const t1 = performance.now();
  bytes = JSON.stringify(table).length;
  const t2 = performance.now();
  renderMs.push(t1 - t0);
  renderAndSerializeMs.push(t2 - t0);
}

process.stdout.write(
  `${JSON.stringify(
    {
      name: 'printers',
      description: `meta.k8s.io/v1 Table of ${podCount} pods (includeObject=Metadata), median of ${runs} runs after one warm-up`,
      params: { pods: podCount, runs },
      results: {
        renderMedianMs: round(median(renderMs)),
        renderP90Ms: round(percentile(renderMs, 90)),
        renderAndJSONMedianMs: round(median(renderAndSerializeMs)),
        renderUsPerPod: round((median(renderMs) * 1000) / podCount),
        tableJSONBytes: bytes,
      },
      node: process.version,
    },
    null,
    2,
  )}\n`,
);
