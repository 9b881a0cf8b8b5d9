// CPU time of a process from /proc, to tell whether the apiserver or the load generator was the bottleneck.
import { readFileSync } from 'node:fs';

const clockTicksPerSecond = 100; // USER_HZ on Linux

/** User + system CPU seconds `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Starts a CPU-time meter for `pid`; calling the result gives the busy percentage of one core since then. */
export function cpuMeter(pid: number): () => number {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
}
