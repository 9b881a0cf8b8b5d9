// Summary statistics for benchmark samples.

/** The p-th percentile (0–100) by nearest rank of `samples` (need not be sorted); NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: readonly number[]): number => {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Rounds to `digits` decimals, for readable JSON. */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The per-metric median over several runs' results (metrics missing from a run are ignored for that run).
 */
export function medianOfRuns(runs: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = round(median(runs.map((r) => r[k]).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v))));
  return out;
}

/** Latency summary of requests sent one at a time. */
export interface SerialTiming {
  requestsPerSecond: number;
  medianUs: number;
  p99Us: number;
  requests: number;
}

/**
 * Awaits `send(i)` one call after another: `warmup` untimed calls (negative i), then up to `count` timed ones
 * within `budgetMs`, so a slow machine ends early rather than running on.
 */
export async function timeSerial(opts: { send: (i: number) => Promise<void>; count: number; budgetMs: number; warmup: number }): Promise<SerialTiming> {
  for (let i = 0; i < opts.warmup; i++) await opts.send(-1 - i);
  const samples: number[] = [];
  const deadline = performance.now() + opts.budgetMs;
  const started = performance.now();
  for (let i = 0; i < opts.count && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await opts.send(i);
    samples.push((performance.now() - t0) * 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  return { requestsPerSecond: round(samples.length / seconds, 0), medianUs: round(median(samples), 1), p99Us: round(percentile(samples, 99), 1), requests: samples.length };
}
