// scheduler_perf's SchedulingThroughput, computed from the times pods were seen bound: the bound count is
// sampled every second from the start of the measured phase; samples before the first bound pod are
// skipped, and so is the first sample with any (scheduling and pod creation start independently, so it is
// an outlier); every later full second gives one pods/s sample. The last, partial second is not a sample.

import { percentile, round } from '../stats.js';

export interface SchedulingThroughput {
  /** Mean of the per-second samples (upstream's "Average"); undefined when the phase had no full sample. */
  average?: number;
  perc50?: number;
  perc90?: number;
  perc99?: number;
  samples: number[];
}

/**
 * `boundAt`: when each measured pod was first seen bound (ms, same clock as `start`); `start`: when the
 * measured phase began; `intervalMs`: the sampling period (upstream: 1 s).
 */
export function schedulingThroughput(boundAt: readonly number[], start: number, intervalMs = 1000): SchedulingThroughput {
  const sorted = [...boundAt].sort((a, b) => a - b);
  const end = sorted[sorted.length - 1] ?? start;
  const countBy = (t: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const samples: number[] = [];
  let last: number | undefined;
  for (let t = start + intervalMs; t <= end; t += intervalMs) {
    const n = countBy(t);
    if (n === 0) continue;
    if (last !== undefined) samples.push(round(((n - last) * 1000) / intervalMs, 1));
    last = n;
  }
  if (samples.length === 0) return { samples };
  return {
    average: round(samples.reduce((a, b) => a + b, 0) / samples.length, 1),
    perc50: round(percentile(samples, 50), 1),
    perc90: round(percentile(samples, 90), 1),
    perc99: round(percentile(samples, 99), 1),
    samples,
  };
}
