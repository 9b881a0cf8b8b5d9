// `npm run -s bench [-- <workload>... --backend=sqlite,etcd --runs=N --set=param=value]`: runs the workloads of bench/workloads/
// against `bin/k8ts apiserver` per backend and prints one JSON report on stdout (progress goes to stderr).
import { cpus, loadavg, totalmem } from 'node:os';
import { ensureBuilt, type Backend } from '../test/harness/apiserver-process.js';
import { measureNamed } from './measures.js';
import { microBenchmarks, runMicro } from './micro.js';
import { medianOfRuns, round } from './stats.js';
import { checkTargets, loadWorkloads, type Workload } from './workload.js';

interface Args {
  names: string[];
  backends?: Backend[];
  runs?: number;
  /** --set=name=value: overrides a workload parameter (for exploring; the report shows the params used). */
  overrides: Record<string, number>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { names: [], overrides: {} };
  for (const a of argv) {
    if (a.startsWith('--backend=')) args.backends = a.slice('--backend='.length).split(',') as Backend[];
    else if (a.startsWith('--runs=')) args.runs = Number(a.slice('--runs='.length));
    else if (a.startsWith('--set=')) {
      const [name, value] = a.slice('--set='.length).split('=');
      if (!name || value === undefined || !Number.isFinite(Number(value))) throw new Error(`--set wants name=number, got ${a}`);
      args.overrides[name] = Number(value);
    }
    else if (a === '--help' || a === '-h') {
      process.stderr.write('usage: npm run -s bench -- [workload...] [--backend=sqlite,memory,etcd] [--runs=N] [--set=param=value]\n');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
    else args.names.push(a);
  }
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1 && args.runs <= 10)) throw new Error('--runs must be 1..10');
  return args;
}

interface BackendReport {
  backend: Backend;
  runs: Array<Record<string, number>>;
  median?: Record<string, number>;
  targets?: ReturnType<typeof checkTargets>;
  error?: string;
}

async function runWorkload(w: Workload, args: Args, signal: AbortSignal): Promise<{ name: string; description: string; params: Workload['params']; results: BackendReport[] }> {
  const params = { ...w.params, ...args.overrides };
  const measure = measureNamed(w.measure);
  if (!measure) throw new Error(`workload ${w.name}: no measure named ${w.measure}`);
  const backends = w.backends.filter((b) => !args.backends || args.backends.includes(b));
  const results: BackendReport[] = [];
  for (const backend of backends) {
    const report: BackendReport = { backend, runs: [] };
    results.push(report);
    const runs = args.runs ?? w.runs;
    try {
      for (let i = 0; i < runs && !signal.aborted; i++) {
        process.stderr.write(`bench ${w.name} on ${backend}: run ${i + 1}/${runs}\n`);
        const result = await measure.run({ backend, params, signal, log: (m) => process.stderr.write(`  ${m}\n`) });
        // Other work on the machine skews every number: keep the 1-minute load average next to each run.
        report.runs.push({ ...result, loadAverage1m: round(loadavg()[0]!) });
      }
      report.median = medianOfRuns(report.runs);
      report.targets = checkTargets(report.median, w.targets[backend]);
    } catch (err) {
      report.error = err instanceof Error ? err.message : String(err);
      process.stderr.write(`bench ${w.name} on ${backend} failed: ${report.error}\n`);
    }
  }
  return { name: w.name, description: w.description, params, results };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const all = loadWorkloads();
  const known = [...all.map((w) => w.name), ...microBenchmarks.map((m) => m.name)];
  const unknown = args.names.filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`unknown workload ${unknown.join(', ')}; have ${known.join(', ')}`);
  const selected = args.names.length ? all.filter((w) => args.names.includes(w.name)) : all;
  const selectedMicro = args.names.length ? microBenchmarks.filter((m) => args.names.includes(m.name)) : microBenchmarks;
  ensureBuilt();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const started = new Date().toISOString();
  const workloads = [];
  for (const w of selected) {
    if (abort.signal.aborted) break;
    workloads.push(await runWorkload(w, args, abort.signal));
  }
  const micro = [];
  for (const m of selectedMicro) {
    if (abort.signal.aborted) break;
    process.stderr.write(`bench ${m.name} (in-process)\n`);
    micro.push(await runMicro(m, abort.signal));
  }
  const report = {
    started,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    transport: 'plain HTTP/1.1 on the lab port (--insecure-port), keep-alive; load from wrk (creates, GETs) or Node clients (prepare, LIST, watch)',
    workloads,
    micro,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  const failed = workloads.some((w) => w.results.some((r) => r.error)) || micro.some((m) => m.error);
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
