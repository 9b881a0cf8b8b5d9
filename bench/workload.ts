// Benchmark workloads are data (bench/workloads/*.json, like scheduler_perf's): which measure to run, on
// which backends, with which parameters, and the targets the result is compared with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backends as allBackends, type Backend } from '../test/harness/apiserver-process.js';

/** A bound on one result metric: the value must be >= min and/or <= max. */
export interface Target {
  min?: number;
  max?: number;
}

export interface Workload {
  /** What `npm run bench -- <name>` selects. */
  name: string;
  /** Key into the measure registry (bench/measures.ts). */
  measure: string;
  description: string;
  backends: Backend[];
  /** Runs per backend; the report gives each metric's median (default 3). */
  runs: number;
  /** Parameters of the measure; every measure documents its own. */
  params: Record<string, number>;
  /** Per backend, per metric. */
  targets: Partial<Record<Backend, Record<string, Target>>>;
}

export const workloadsDir = new URL('./workloads/', import.meta.url).pathname;
const knownBackends: readonly string[] = allBackends;

/** Checks the shape of one parsed workload file; throws naming the file and the problem. */
export function parseWorkload(file: string, raw: unknown): Workload {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const w = raw as Record<string, unknown>;
  for (const key of ['name', 'measure', 'description']) if (typeof w[key] !== 'string' || !w[key]) fail(`"${key}" must be a non-empty string`);
  const backends = w.backends ?? knownBackends;
  if (!Array.isArray(backends) || backends.some((b) => !knownBackends.includes(b))) fail(`"backends" must list some of ${knownBackends.join(', ')}`);
  const runs = w.runs ?? 3;
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > 10) fail('"runs" must be an integer from 1 to 10');
  const params = w.params ?? {};
  if (typeof params !== 'object' || params === null || Object.values(params).some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail('"params" must map names to numbers');
  const targets = w.targets ?? {};
  if (typeof targets !== 'object' || targets === null) fail('"targets" must be an object');
  for (const [backend, metrics] of Object.entries(targets as object)) {
    if (!knownBackends.includes(backend)) fail(`target for unknown backend ${backend}`);
    for (const [metric, t] of Object.entries(metrics as object)) {
      const ok = typeof t === 'object' && t !== null && Object.keys(t).length > 0 && Object.entries(t).every(([k, v]) => (k === 'min' || k === 'max') && typeof v === 'number');
      if (!ok) fail(`target ${backend}.${metric} must be {min?: number, max?: number}`);
    }
  }
  return {
    name: w.name as string,
    measure: w.measure as string,
    description: w.description as string,
    backends: backends as Backend[],
    runs: runs as number,
    params: params as Record<string, number>,
    targets: targets as Workload['targets'],
  };
}

/** Every workload in `dir`, in file-name order. */
export function loadWorkloads(dir = workloadsDir): Workload[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseWorkload(f, JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

/** Reads a required numeric parameter; throws when the workload lacks it. */
export function param(params: Record<string, number>, name: string): number {
  const v = params[name];
  if (v === undefined) throw new Error(`workload parameter "${name}" is missing`);
  return v;
}

/** Compares results with targets: metric → {value, target, ok}. Metrics without a result count as not ok. */
export function checkTargets(results: Record<string, number>, targets: Record<string, Target> | undefined): Record<string, { value: number | null; target: Target; ok: boolean }> {
  const out: Record<string, { value: number | null; target: Target; ok: boolean }> = {};
  for (const [metric, target] of Object.entries(targets ?? {})) {
    const value = results[metric];
    const ok = value !== undefined && !Number.isNaN(value) && (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max);
    out[metric] = { value: value ?? null, target, ok };
  }
  return out;
}
