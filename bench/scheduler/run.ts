// scheduler_perf for k8ts: runs a workload (workloads/*.json) against a real `k8ts apiserver` and a real
// `k8ts scheduler` process, binding through the apiserver, and prints JSON: pods/s and per-pod latency from
// create to bound (p50/p99), plus the scheduler's CPU time. `--cpu-prof` writes a V8 profile of the
// scheduler and summarizes where its time went in the measured phase; `--apiserver-cpu-prof` does the same for
// the apiserver (`--from-source` runs both from src/ so the profiles name source files).
//
//   node --import tsx bench/scheduler/run.ts [workload-name ...] [--backend=memory|sqlite] [--runs=N] [--plain-http]
//     [--cpu-prof] [--apiserver-cpu-prof]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../src/api/generated/core/v1.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { loadClientConfig } from '../../src/client/kubeconfig/loader.js';
import { ensureBuilt, repoRoot, startAPIServer, type Backend } from '../../test/harness/apiserver-process.js';
import { percentile, round } from '../stats.js';
import { categorizeProfile, summarizeProfile, type CpuProfile, type ProfileWindow } from './profile-summary.js';
import { schedulingThroughput, type SchedulingThroughput } from './throughput.js';
import { scrapeSchedulerMetrics } from './scrape.js';
import { freePort } from '../../test/harness/free-port.js';
import { expandIndex, loadWorkload, type PodTemplate, type SchedulerWorkload } from './workload.js';

const podsGVR = { group: '', version: 'v1', resource: 'pods' };
const nodesGVR = { group: '', version: 'v1', resource: 'nodes' };
const namespace = 'sched-bench';
const creators = 64;
const phaseTimeoutMs = 300_000;

function progress(msg: string): void {
  process.stderr.write(`[scheduler-bench] ${msg}\n`);
}

/** Runs `fn(i)` for i in [0, n) with at most `width` in flight. */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function nodeObject(w: SchedulerWorkload, i: number): KubeObject {
  const t = w.nodeTemplate;
  const capacity = { cpu: t.cpu, memory: t.memory, pods: String(t.pods) };
  const name = `node-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  for (const [k, v] of Object.entries(t.labels ?? {})) labels[k] = expandIndex(v, i);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: t.taints ? { taints: t.taints } : {},
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function podObject(t: PodTemplate, name: string): KubeObject {
  const requests: Record<string, string> = {};
  if (t.cpu) requests.cpu = t.cpu;
  if (t.memory) requests.memory = t.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: t.labels },
    spec: {
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests } }],
      nodeSelector: t.nodeSelector,
      ...t.spec,
    },
  };
}

/**
 * Watches the namespace's pods and records when each one first shows spec.nodeName. A watch the apiserver
 * ends (a watcher that fell too far behind is dropped, as upstream's cacher does) is resumed from the last
 * resourceVersion seen, or re-listed when that has been compacted away (410).
 */
async function watchBindings(client: Interface, signal: AbortSignal, bound: Map<string, number>, onBound: () => void): Promise<void> {
  const pods = client.resource<KubeObject>(podsGVR, namespace);
  const see = (p: KubeObject) => {
    const name = p.metadata?.name ?? '';
    if ((p as Pod).spec?.nodeName && !bound.has(name)) {
      bound.set(name, performance.now());
      onBound();
    }
  };
  let rv: string | undefined;
  while (!signal.aborted) {
    try {
      if (rv === undefined) {
        const list = await pods.list();
        for (const p of list.items) see(p);
        rv = list.metadata.resourceVersion;
      }
      const events = await pods.watch({ signal, resourceVersion: rv, allowWatchBookmarks: true });
      for await (const ev of events) {
        if (ev.type === 'ERROR') {
          // 410 Gone: the resourceVersion is too old to resume from; list again.
          rv = undefined;
          break;
        }
        rv = ev.object.metadata?.resourceVersion ?? rv;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') see(ev.object);
      }
    } catch (err) {
      if (signal.aborted) return;
      if ((err as { code?: number }).code === 410) rv = undefined;
      else throw err;
    }
  }
}

async function waitFor(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface RunResult {
  mode: 'backlog' | 'streaming';
  /** Measured pods / (start → last bound); backlog starts when the scheduler process is spawned. */
  podsPerSecond: number;
  /** Measured pods / (first bound → last bound): the scheduler's rate once it runs. */
  bindingWindowPodsPerSecond: number;
  /** scheduler_perf's SchedulingThroughput: 1 s samples of the bound count, the first one skipped. */
  schedulingThroughput: SchedulingThroughput;
  latencyP50Ms: number;
  latencyP99Ms: number;
  measuredMs: number;
  firstBoundAfterMs: number;
  schedulerCpuSeconds: number;
  schedulerCpuPercent: number;
  /** Scheduler CPU (user+system) per measured pod: the figure least disturbed by other load on the machine. */
  schedulerCpuMsPerPod: number;
  apiserverCpuPercent: number;
  /** Apiserver CPU per measured pod (create, binding, Event, watch fan-out to the scheduler and the bench). */
  apiserverCpuMsPerPod: number;
  /** The machine is shared: the 1-minute load average when the run ended. */
  loadAverage1m: number;
  /** klog error lines the scheduler wrote (e.g. Events dropped because the recorder's queue was full). */
  schedulerErrorLogLines: number;
  /** The first of them, to tell what they were. */
  firstSchedulerError?: string;
  /** From the scheduler's /metrics: Bind (pods/binding round trip) and whole-attempt latency, bucket upper bounds. */
  bindP50MsAtMost?: number;
  bindP99MsAtMost?: number;
  attemptP50MsAtMost?: number;
  attemptP99MsAtMost?: number;
}

interface RunOptions {
  backend: Backend;
  cpuProf: boolean;
  /** Profile the apiserver process too (its whole life: node and init-pod creation included). */
  apiserverCpuProf: boolean;
  tls: boolean;
  fromSource: boolean;
}

/** Where a process's CPU went in the measured phase (`window`), per function, file and category, per measured pod. */
function profileReport(dir: string, pods: number, window: ProfileWindow): unknown {
  const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'));
  if (!f) return undefined;
  const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
  return { ...summarizeProfile(p, 25, window), categories: categorizeProfile(p, { pods, window }) };
}

/** Now on the clock V8 profiles stamp their samples with (monotonic, µs). */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function runOnce(w: SchedulerWorkload, opts: RunOptions): Promise<{ result: RunResult; profile?: unknown; apiserverProfile?: unknown }> {
  const apiProfDir = mkdtempSync(join(tmpdir(), 'k8ts-apiserver-prof-'));
  // The harness runs K8TS_E2E_COMMAND when set: this process's Node with --cpu-prof on bin/k8ts.
  const savedCommand = process.env.K8TS_E2E_COMMAND;
  if (opts.apiserverCpuProf) {
    if (!opts.fromSource) ensureBuilt(); // the harness only checks the build for its own command line
    const program = opts.fromSource ? `--import tsx ${join(repoRoot, 'src', 'cli', 'main.ts')}` : join(repoRoot, 'bin', 'k8ts');
    process.env.K8TS_E2E_COMMAND = `${process.execPath} --cpu-prof --cpu-prof-dir=${apiProfDir} ${program}`;
  }
  const server = await startAPIServer({
    backend: opts.backend,
    insecurePort: true,
    readyTimeoutMs: 120_000,
    // No node lifecycle controller runs to lift the not-ready taint admission would put on new nodes.
    extraArgs: ['--disable-admission-plugins=TaintNodesByCondition'],
  }).finally(() => {
    if (savedCommand === undefined) delete process.env.K8TS_E2E_COMMAND;
    else process.env.K8TS_E2E_COMMAND = savedCommand;
  });
  // Under --tls the bench's own client (pod creation, the binding watch) is HTTPS/HTTP2 too, as client-go's.
  const client = opts.tls
    ? newClient({ ...loadClientConfig({ kubeconfig: server.kubeconfigPath }).config, qps: -1 })
    : newClient({ host: server.insecureURL ?? server.url, qps: -1 });
  const profDir = mkdtempSync(join(tmpdir(), 'k8ts-sched-prof-'));
  const ac = new AbortController();
  let scheduler: ReturnType<typeof spawn> | undefined;
  try {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (const pc of w.priorityClasses ?? []) {
      await client.resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' }).create({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: pc.name },
        value: pc.value,
        ...(pc.preemptionPolicy ? { preemptionPolicy: pc.preemptionPolicy } : {}),
      });
    }
    progress(`${w.name}: creating ${w.nodes} nodes`);
    await pool(w.nodes, creators, async (i) => void (await client.resource(nodesGVR).create(nodeObject(w, i))));

    const mode = w.mode ?? 'backlog';
    const createInitPods = (preBound: boolean) =>
      pool(w.initPods, creators, async (i) => {
        const p = podObject(w.initPodTemplate ?? w.podTemplate, `init-${i}`);
        if (preBound) (p.spec as { nodeName?: string }).nodeName = `node-${i % w.nodes}`;
        await client.resource(podsGVR, namespace).create(p);
      });
    if (mode === 'backlog') {
      progress(`${w.name}: creating ${w.initPods} pods already bound`);
      await createInitPods(true);
    }
    const created = new Map<string, number>();
    const createMeasured = () =>
      pool(w.measurePods, creators, async (i) => {
        const name = `measure-${i}`;
        created.set(name, performance.now());
        await client.resource(podsGVR, namespace).create(podObject(w.podTemplate, name));
      });
    if (mode === 'backlog') {
      progress(`${w.name}: creating ${w.measurePods} pending pods before the scheduler starts`);
      await createMeasured();
    }

    const metricsPort = await freePort();
    const args = [
      ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
      ...(opts.fromSource ? ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')] : [join(repoRoot, 'bin', 'k8ts')]),
      'scheduler',
      ...(opts.tls ? [`--kubeconfig=${server.kubeconfigPath}`] : [`--master=${server.insecureURL}`]),
      '--leader-elect=false',
      `--secure-port=${metricsPort}`,
      '--bind-address=127.0.0.1',
      '--kube-api-qps=5000',
      '--kube-api-burst=5000',
    ];
    if (w.schedulerConfig) {
      const file = join(profDir, 'config.json');
      writeFileSync(file, JSON.stringify(w.schedulerConfig));
      args.push(`--config=${file}`);
    }
    const bound = new Map<string, number>();
    let waiters: Array<() => void> = [];
    const watching = watchBindings(client, ac.signal, bound, () => {
      const ws = waiters;
      waiters = [];
      for (const f of ws) f();
    });
    const schedulerStart = performance.now();
    scheduler = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let schedLog = '';
    let schedErrorLines = 0;
    let firstSchedError: string | undefined;
    scheduler.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      const errors = text.split('\n').filter((l) => l.startsWith('E'));
      schedErrorLines += errors.length;
      firstSchedError ??= errors[0]?.slice(0, 300);
      schedLog = (schedLog + text).slice(-20_000);
    });
    if (mode === 'streaming') {
      // As scheduler_perf's init phase: the running scheduler places the init pods, and the measured phase
      // starts once they are all bound.
      progress(`${w.name}: the scheduler places ${w.initPods} init pods`);
      await createInitPods(false);
      await waitFor(
        () => Array.from({ length: w.initPods }, (_, i) => `init-${i}`).every((n) => bound.has(n)),
        `the init pods to be bound; scheduler log: ${schedLog.slice(-2000)}`,
        phaseTimeoutMs,
      );
    }

    progress(`${w.name}: measuring ${w.measurePods} pods (${mode})`);
    const cpuBefore = cpuSeconds(scheduler.pid);
    const apiCpuBefore = cpuSeconds(server.pid);
    const start = mode === 'backlog' ? schedulerStart : performance.now();
    const startUs = monotonicUs() - (performance.now() - start) * 1000;
    if (mode === 'streaming') await createMeasured();
    await waitFor(() => [...created.keys()].every((n) => bound.has(n)), `measured pods to be bound; scheduler log: ${schedLog.slice(-2000)}`, phaseTimeoutMs);
    const end = Math.max(...[...created.keys()].map((n) => bound.get(n) ?? 0));
    const schedCpu = cpuSeconds(scheduler.pid) - cpuBefore;
    const apiCpu = cpuSeconds(server.pid) - apiCpuBefore;
    const window: ProfileWindow = { startUs, endUs: monotonicUs() };
    const boundTimes = [...created.keys()].map((n) => bound.get(n) ?? 0).sort((a, b) => a - b);
    // Backlog pods wait from their creation (before the scheduler started); latency counts from the start.
    const latencies = [...created].map(([n, t]) => (bound.get(n) ?? t) - Math.max(t, start));
    const measuredMs = end - start;
    const windowMs = boundTimes[boundTimes.length - 1] - boundTimes[0];
    const result: RunResult = {
      mode,
      podsPerSecond: round((w.measurePods / measuredMs) * 1000, 1),
      bindingWindowPodsPerSecond: round((w.measurePods / windowMs) * 1000, 1),
      schedulingThroughput: schedulingThroughput(boundTimes, start),
      latencyP50Ms: round(percentile(latencies, 50), 1),
      latencyP99Ms: round(percentile(latencies, 99), 1),
      measuredMs: round(measuredMs, 1),
      firstBoundAfterMs: round(boundTimes[0] - start, 1),
      schedulerCpuSeconds: round(schedCpu, 2),
      schedulerCpuPercent: round((schedCpu / (measuredMs / 1000)) * 100, 1),
      schedulerCpuMsPerPod: round((schedCpu * 1000) / w.measurePods, 3),
      loadAverage1m: round(loadavg()[0], 2),
      schedulerErrorLogLines: schedErrorLines,
      ...(firstSchedError ? { firstSchedulerError: firstSchedError } : {}),
      apiserverCpuPercent: round((apiCpu / (measuredMs / 1000)) * 100, 1),
      apiserverCpuMsPerPod: round((apiCpu * 1000) / w.measurePods, 3),
    };
    // Bind and attempt latencies as the scheduler measured them (upper bounds of histogram buckets).
    Object.assign(result, await scrapeSchedulerMetrics(metricsPort).catch(() => ({})));
    ac.abort();
    await watching.catch(() => undefined);
    scheduler.kill('SIGTERM');
    await once(scheduler, 'exit');
    scheduler = undefined;
    const profile = opts.cpuProf ? profileReport(profDir, w.measurePods, window) : undefined;
    let apiserverProfile: unknown;
    if (opts.apiserverCpuProf) {
      client.close();
      await server.stop(); // the profile is written when the process exits
      apiserverProfile = profileReport(apiProfDir, w.measurePods, window);
    }
    return { result, profile, apiserverProfile };
  } finally {
    ac.abort();
    if (scheduler && scheduler.exitCode === null) {
      scheduler.kill('SIGKILL');
      await once(scheduler, 'exit');
    }
    client.close();
    await server.stop();
    rmSync(profDir, { recursive: true, force: true });
    rmSync(apiProfDir, { recursive: true, force: true });
  }
}

/** utime+stime of a process (and its reaped children) from /proc, in seconds. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const backend = (flag('backend') ?? 'memory') as Backend;
  const runs = Number(flag('runs') ?? '1');
  const cpuProf = argv.includes('--cpu-prof');
  const apiserverCpuProf = argv.includes('--apiserver-cpu-prof');
  // The scheduler and the bench's client talk HTTPS (HTTP/2) through a kubeconfig, as in a real cluster;
  // --plain-http: HTTP/1.1 on the apiserver's lab port instead.
  const tls = !argv.includes('--plain-http');
  // --from-source: run the scheduler from src/ through tsx, so a profile names source files.
  const fromSource = argv.includes('--from-source');
  const names = argv.filter((a) => !a.startsWith('--'));
  const dir = new URL('./workloads/', import.meta.url).pathname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => names.length === 0 || names.some((n) => f.includes(n)));
  const report: unknown[] = [];
  for (const f of files) {
    const w = loadWorkload(join(dir, f));
    const results: RunResult[] = [];
    let profile: unknown;
    let apiserverProfile: unknown;
    for (let r = 0; r < runs; r++) {
      const out = await runOnce(w, { backend, cpuProf, apiserverCpuProf, tls, fromSource });
      results.push(out.result);
      profile ??= out.profile;
      apiserverProfile ??= out.apiserverProfile;
      progress(`${w.name} run ${r + 1}: ${JSON.stringify(out.result)}`);
    }
    const medianOf = (xs: number[]): number | undefined => (xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
    const pps = medianOf(results.map((x) => x.podsPerSecond))!;
    const throughput = medianOf(results.flatMap((x) => (x.schedulingThroughput.average === undefined ? [] : [x.schedulingThroughput.average])));
    // Like scheduler_perf's thresholds, the target is checked against SchedulingThroughput's average when the
    // measured phase was long enough to sample it, else against end-to-end pods/s.
    const judged = throughput ?? pps;
    report.push({
      workload: w.name,
      backend,
      transport: tls ? 'https (HTTP/2)' : 'http (HTTP/1.1)',
      runs: results,
      medianPodsPerSecond: pps,
      medianSchedulingThroughputAverage: throughput,
      target: w.targets?.podsPerSecond,
      meetsTarget: w.targets?.podsPerSecond === undefined ? undefined : judged >= w.targets.podsPerSecond,
      ...(profile ? { schedulerProfile: profile } : {}),
      ...(apiserverProfile ? { apiserverProfile } : {}),
    });
  }
  process.stdout.write(`${JSON.stringify({ cpu: cpus()[0]?.model, cpus: cpus().length, node: process.version, results: report }, null, 2)}\n`);
}

await main();
