// Garbage-collection benchmark: one owner ConfigMap with N dependent ConfigMaps (default 10,000), against the
// real binaries (`k8ts apiserver` on SQLite, `k8ts controller-manager --controllers=garbagecollector`); the
// clock runs from the owner's background delete until no dependent is left. Unthrottled client by default;
// --upstream-limits also runs with kube-controller-manager's default QPS 20 / burst 30 (slow: ~2 requests per
// dependent). Prints JSON on stdout.
//
//   node --import tsx bench/gc-collection.ts [--dependents=10000] [--timeout=600] [--upstream-limits]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRESTConfig } from '../src/client/kubeconfig/loader.js';
import type { Interface } from '../src/client/rest/interface.js';
import { newClient } from '../src/client/rest/rest-client.js';
import { startAPIServer } from '../test/harness/apiserver-process.js';
import { startControllerManager } from '../test/harness/controller-manager-process.js';
import { cpuMeter } from './process-cpu.js';

/** Resident set size of `pid` in MiB (VmRSS). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

const dependents = arg('dependents', 10_000);
const timeoutMs = arg('timeout', 600) * 1000;
if (!(dependents > 0 && dependents <= 100_000)) throw new Error('--dependents must be in (0, 100000]');

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };

/** Remaining dependents, counted with a metadata-only list (cheap for the apiserver and for us). */
async function remaining(client: Interface, ns: string): Promise<number> {
  return (await client.resource(configmaps, ns, { metadataOnly: true }).list({ labelSelector: 'role=dependent' })).items.length;
}

/** Creates `n` dependents of `owner`, at most 64 requests in flight. */
async function createDependents(client: Interface, ns: string, owner: { name: string; uid: string }, n: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      await client.resource(configmaps, ns).create({
        metadata: { name: `dep-${i}`, labels: { role: 'dependent' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', ...owner, blockOwnerDeletion: true }] },
        data: { i: String(i) },
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

async function runOnce(label: string, flags: string[]) {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-gc-'));
  const server = await startAPIServer({ backend: 'sqlite', dataDir });
  const cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: dataDir, extraArgs: ['--controllers=garbagecollector', ...flags] });
  const client = newClient({ ...loadRESTConfig({ kubeconfig: server.kubeconfigPath }), qps: 0 });
  try {
    await client.resource(namespaces).create({ metadata: { name: 'gc' } });
    const owner = await client.resource(configmaps, 'gc').create({ metadata: { name: 'owner' } });
    await new Promise((r) => setTimeout(r, 2000));
    const rssBefore = await rssMiB(cm.pid);
    const c0 = performance.now();
    await createDependents(client, 'gc', { name: 'owner', uid: owner.metadata!.uid! }, dependents);
    const createSeconds = (performance.now() - c0) / 1000;
    // The collector's metadata informers and graph have taken in the dependents by now (a bench, not a test).
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = await rssMiB(cm.pid);

    const cmCpu = cpuMeter(cm.pid);
    const apiCpu = cpuMeter(server.pid);
    const t0 = performance.now();
    await client.resource(configmaps, 'gc').delete('owner', { propagationPolicy: 'Background' });
    let left = dependents;
    let firstGoneMs: number | undefined;
    for (;;) {
      left = await remaining(client, 'gc');
      const ms = performance.now() - t0;
      if (firstGoneMs === undefined && left < dependents) firstGoneMs = ms;
      if (left === 0 || ms > timeoutMs) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ms = performance.now() - t0;
    return {
      label,
      controllerManagerFlags: flags,
      dependents,
      createSeconds: Number(createSeconds.toFixed(2)),
      controllerManagerRSSMiB: { beforeDependents: rssBefore, withDependents: rssAfter, per10kDependents: Math.round(((rssAfter - rssBefore) / dependents) * 10_000 * 10) / 10 },
      complete: left === 0,
      remaining: left,
      secondsToAllGone: Number((ms / 1000).toFixed(2)),
      secondsToFirstGone: firstGoneMs === undefined ? null : Number((firstGoneMs / 1000).toFixed(2)),
      dependentsPerSecond: Number((((dependents - left) / ms) * 1000).toFixed(1)),
      cpuPercent: { controllerManager: Math.round(cmCpu()), apiserver: Math.round(apiCpu()) },
    };
  } finally {
    client.close();
    await cm.stop();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const results = [];
results.push(await runOnce('unthrottled client (qps 0)', ['--kube-api-qps=0']));
if (process.argv.includes('--upstream-limits')) results.push(await runOnce('upstream client limits (qps 20, burst 30)', ['--kube-api-qps=20', '--kube-api-burst=30']));
process.stdout.write(
  `${JSON.stringify({ benchmark: 'gc-collection', backend: 'sqlite', cpu: cpus()[0]?.model, cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))), results }, null, 2)}\n`,
);
