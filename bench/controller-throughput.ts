// Controller-manager benchmark: reconcile throughput (Deployments of 10 replicas until every ReplicaSet and
// Pod exists) and time from one 1,000-replica Deployment to 1,000 pods created, against the real binaries
// (`k8ts apiserver` on SQLite, `k8ts controller-manager`), once with the upstream client limits
// (--kube-api-qps=20 --kube-api-burst=30) and once unthrottled. Prints JSON on stdout.
//
//   node --import tsx bench/controller-throughput.ts [--deployments=50] [--replicas=10] [--big=1000] [--timeout=180]
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer } from '../test/harness/apiserver-process.js';
import { startControllerManager } from '../test/harness/controller-manager-process.js';
import { loadRESTConfig } from '../src/client/kubeconfig/loader.js';
import { newClient } from '../src/client/rest/rest-client.js';
import type { Interface } from '../src/client/rest/interface.js';
import { cpuMeter } from './process-cpu.js';

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

const deployments = arg('deployments', 50);
const replicas = arg('replicas', 10);
const big = arg('big', 1000);
const timeoutMs = arg('timeout', 180) * 1000;

const gvr = {
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  pods: { group: '', version: 'v1', resource: 'pods' },
};

function deployment(name: string, n: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: n,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

/** Counts ReplicaSets and Pods of a namespace every 100 ms until both reach their targets (or time runs out). */
async function waitForCounts(client: Interface, ns: string, want: { rs: number; pods: number }): Promise<{ ms: number; rs: number; pods: number; done: boolean }> {
  const t0 = performance.now();
  for (;;) {
    const rs = (await client.resource(gvr.replicaSets, ns).list()).items.length;
    const pods = (await client.resource(gvr.pods, ns).list()).items.length;
    const ms = performance.now() - t0;
    if ((rs >= want.rs && pods >= want.pods) || ms > timeoutMs) return { ms, rs, pods, done: rs >= want.rs && pods >= want.pods };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runOnce(label: string, qpsArgs: string[]) {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-cm-'));
  const server = await startAPIServer({ backend: 'sqlite', dataDir });
  const cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: dataDir, extraArgs: qpsArgs });
  const client = newClient({ ...loadRESTConfig({ kubeconfig: server.kubeconfigPath }), qps: 0 });
  try {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'many' } });
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } });

    // Throughput: every Deployment created at once; the clock runs from the first create.
    const cmCpu = cpuMeter(cm.pid);
    const apiCpu = cpuMeter(server.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: deployments }, (_, i) => client.resource(gvr.deployments, 'many').create(deployment(`d${i}`, replicas))));
    const many = await waitForCounts(client, 'many', { rs: deployments, pods: deployments * replicas });
    const manyMs = performance.now() - t0;
    const manyCpu = { controllerManager: cmCpu(), apiserver: apiCpu() };

    const cmCpu2 = cpuMeter(cm.pid);
    const apiCpu2 = cpuMeter(server.pid);
    const t1 = performance.now();
    await client.resource(gvr.deployments, 'big').create(deployment('big', big));
    const one = await waitForCounts(client, 'big', { rs: 1, pods: big });
    const bigMs = performance.now() - t1;
    return {
      label,
      controllerManagerFlags: qpsArgs,
      throughput: {
        deployments,
        replicasEach: replicas,
        complete: many.done,
        seconds: Number((manyMs / 1000).toFixed(2)),
        deploymentsPerSecond: Number(((deployments / manyMs) * 1000).toFixed(1)),
        podsPerSecond: Number(((many.pods / manyMs) * 1000).toFixed(1)),
        cpuPercent: { controllerManager: Math.round(manyCpu.controllerManager), apiserver: Math.round(manyCpu.apiserver) },
      },
      bigDeployment: {
        replicas: big,
        complete: one.done,
        podsCreated: one.pods,
        secondsToAllPods: Number((bigMs / 1000).toFixed(2)),
        podsPerSecond: Number(((one.pods / bigMs) * 1000).toFixed(1)),
        cpuPercent: { controllerManager: Math.round(cmCpu2()), apiserver: Math.round(apiCpu2()) },
      },
    };
  } finally {
    client.close();
    await cm.stop();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const results = [];
results.push(await runOnce('upstream client limits (qps 20, burst 30)', ['--kube-api-qps=20', '--kube-api-burst=30']));
results.push(await runOnce('unthrottled client (qps 0)', ['--kube-api-qps=0']));
process.stdout.write(
  `${JSON.stringify({ benchmark: 'controller-throughput', backend: 'sqlite', cpu: cpus()[0]?.model, cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))), results }, null, 2)}\n`,
);
