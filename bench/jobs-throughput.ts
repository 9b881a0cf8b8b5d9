// Job controller benchmark: Jobs of 10 completions (10 in parallel) completed per second, against the real
// binaries (`k8ts apiserver` on SQLite, `k8ts controller-manager --controllers=job-controller`); the
// benchmark plays the kubelet, marking every pod Succeeded as soon as it sees it. Runs once with upstream's
// client limits (--kube-api-qps=20 --kube-api-burst=30) and once unthrottled. Prints JSON on stdout.
//
//   node --import tsx bench/jobs-throughput.ts [--jobs=20] [--completions=10] [--parallelism=10] [--timeout=180]
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer } from '../test/harness/apiserver-process.js';
import { startControllerManager } from '../test/harness/controller-manager-process.js';
import { loadRESTConfig } from '../src/client/kubeconfig/loader.js';
import { newClient } from '../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../src/client/rest/interface.js';
import { cpuMeter } from './process-cpu.js';

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

const jobCount = arg('jobs', 20);
const completions = arg('completions', 10);
const parallelism = arg('parallelism', 10);
const timeoutMs = arg('timeout', 180) * 1000;
const ns = 'jobs';

const gvr = {
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  pods: { group: '', version: 'v1', resource: 'pods' },
};

interface Pod extends KubeObject {
  status?: { phase?: string };
}
interface Job extends KubeObject {
  status?: { succeeded?: number; conditions?: Array<{ type: string; status: string }> };
}

function job(name: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { completions, parallelism, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

/**
 * The benchmark's kubelet: every 50 ms, marks each pod not yet finished Succeeded (at most 50 status writes
 * in flight). Stops when `signal` aborts; resolves with the number of pods it finished.
 */
async function finishPods(client: Interface, signal: AbortSignal): Promise<number> {
  const done = new Set<string>();
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  while (!signal.aborted) {
    const pods = (await client.resource<Pod>(gvr.pods, ns).list()).items.filter((p) => !done.has(p.metadata?.uid ?? '') && !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded');
    for (let i = 0; i < pods.length; i += 50) {
      await Promise.all(
        pods.slice(i, i + 50).map(async (p) => {
          const at = now();
          await client
            .resource(gvr.pods, ns)
            .patch(p.metadata!.name!, 'merge', { status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } } }] } }, { subresource: 'status' })
            .then(() => done.add(p.metadata!.uid!), () => undefined);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return done.size;
}

async function runOnce(label: string, qpsArgs: string[]) {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-jobs-'));
  const server = await startAPIServer({ backend: 'sqlite', dataDir });
  const cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: dataDir, extraArgs: ['--controllers=job-controller', ...qpsArgs] });
  const client = newClient({ ...loadRESTConfig({ kubeconfig: server.kubeconfigPath }), qps: 0 });
  const stopKubelet = new AbortController();
  try {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // The serviceaccount controller's work, which this run does not start.
    await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, ns).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    const kubelet = finishPods(client, stopKubelet.signal);
    const cmCpu = cpuMeter(cm.pid);
    const apiCpu = cpuMeter(server.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: jobCount }, (_, i) => client.resource(gvr.jobs, ns).create(job(`j${i}`))));
    let complete = 0;
    let elapsed = 0;
    for (;;) {
      const jobs = (await client.resource<Job>(gvr.jobs, ns).list()).items;
      complete = jobs.filter((j) => j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).length;
      elapsed = performance.now() - t0;
      if (complete >= jobCount || elapsed > timeoutMs) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpu = { controllerManager: Math.round(cmCpu()), apiserver: Math.round(apiCpu()) };
    stopKubelet.abort();
    const podsFinished = await kubelet;
    return {
      label,
      controllerManagerFlags: ['--controllers=job-controller', ...qpsArgs],
      jobs: jobCount,
      completionsEach: completions,
      parallelism,
      complete,
      allComplete: complete >= jobCount,
      seconds: Number((elapsed / 1000).toFixed(2)),
      jobsPerSecond: Number(((complete / elapsed) * 1000).toFixed(2)),
      podsPerSecond: Number(((complete * completions) / elapsed * 1000).toFixed(1)),
      podsMarkedSucceeded: podsFinished,
      cpuPercent: cpu,
    };
  } finally {
    stopKubelet.abort();
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
  `${JSON.stringify({ benchmark: 'jobs-throughput', backend: 'sqlite', cpu: cpus()[0]?.model, cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))), results }, null, 2)}\n`,
);
