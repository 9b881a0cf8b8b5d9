// The contract between bench/main.ts and one kind of measurement (bench/measures/*.ts).
import type { Backend } from '../test/harness/apiserver-process.js';

export interface MeasureContext {
  backend: Backend;
  /** The workload's parameters; each measure documents the ones it reads. */
  params: Record<string, number>;
  /** Progress for humans, on stderr (stdout carries only the JSON report). */
  log(message: string): void;
  /** Aborted on Ctrl-C: stop early and clean up. */
  signal: AbortSignal;
}

/** One kind of measurement. Each run starts its own apiserver (and etcd) and stops it before resolving. */
export interface Measure {
  name: string;
  /** Metric name → value; names carry their unit (createsPerSecond, p99Ms, rssMiB). */
  run(ctx: MeasureContext): Promise<Record<string, number>>;
}
