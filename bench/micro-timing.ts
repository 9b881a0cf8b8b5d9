// Timing of one synchronous operation for in-process micro-benchmarks: µs per call after a warm-up.
import { round } from './stats.js';

/** Runs `op` for about `seconds` (at most 2,000,000 calls) after 50 warm-up calls; µs per operation. */
export function microsPerOp(op: () => unknown, seconds: number): number {
  for (let i = 0; i < 50; i++) op();
  const budget = seconds * 1e9;
  const start = process.hrtime.bigint();
  let n = 0;
  let elapsed = 0;
  while (elapsed < budget && n < 2_000_000) {
    for (let i = 0; i < 10; i++) op();
    n += 10;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return round(elapsed / n / 1000, 2);
}
