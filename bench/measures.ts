// The measure registry: every kind of measurement a workload file can name, in one explicit list.
import type { Measure } from './measure.js';
import { createThroughput } from './measures/create-throughput.js';
import { getLatency } from './measures/get-latency.js';
import { listLatency } from './measures/list-latency.js';
import { memoryFootprint } from './measures/memory-footprint.js';
import { readyTime } from './measures/ready-time.js';
import { watchLatency } from './measures/watch-latency.js';

export const measures: readonly Measure[] = [createThroughput, getLatency, listLatency, watchLatency, memoryFootprint, readyTime];

export function measureNamed(name: string): Measure | undefined {
  return measures.find((m) => m.name === name);
}
