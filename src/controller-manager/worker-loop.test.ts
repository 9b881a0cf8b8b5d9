// The shared worker loop: outcome → queue action, table-driven, plus a run with real queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import { defaultControllerRateLimiter } from '../client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { PrometheusControllerMetrics } from './metrics.js';
import { RecordingQueue } from './testing/recording-queue.js';
import { TerminalError, processItem, runWorkers, type WorkerLoopOptions } from './worker-loop.js';

const logger = newLogger({ write: () => {} });

test('processItem maps each sync outcome onto the queue', async () => {
  const cases: Array<{
    name: string;
    sync: WorkerLoopOptions['sync'];
    priorFailures?: number;
    maxRetries?: number;
    want: { outcome: string; forgotten: boolean; rateLimited: boolean; after?: number };
  }> = [
    { name: 'success forgets', sync: async () => undefined, want: { outcome: 'success', forgotten: true, rateLimited: false } },
    { name: 'requeueAfter', sync: async () => ({ requeueAfterMs: 1500 }), want: { outcome: 'requeue_after', forgotten: true, rateLimited: false, after: 1500 } },
    { name: 'error retries rate limited', sync: async () => Promise.reject(new Error('x')), want: { outcome: 'error', forgotten: false, rateLimited: true } },
    { name: 'terminal error is not retried', sync: async () => Promise.reject(new TerminalError('bad selector')), want: { outcome: 'error', forgotten: true, rateLimited: false } },
    {
      name: 'gives up after maxRetries',
      sync: async () => Promise.reject(new Error('x')),
      priorFailures: 15,
      maxRetries: 15,
      want: { outcome: 'dropped', forgotten: true, rateLimited: false },
    },
    { name: 'retries below maxRetries', sync: async () => Promise.reject(new Error('x')), priorFailures: 3, maxRetries: 15, want: { outcome: 'error', forgotten: false, rateLimited: true } },
  ];
  for (const c of cases) {
    const queue = new RecordingQueue();
    if (c.priorFailures) queue.setRequeues('ns/a', c.priorFailures);
    const metrics = new PrometheusControllerMetrics({ processMetrics: false });
    const outcome = await processItem(
      { name: 'test', queue, sync: c.sync, workers: 1, signal: new AbortController().signal, logger, clock: new FakeClock(), metrics, maxRetries: c.maxRetries },
      'ns/a',
    );
    assert.equal(outcome, c.want.outcome, c.name);
    assert.equal(queue.forgotten.includes('ns/a'), c.want.forgotten, `${c.name}: forgotten`);
    assert.equal(queue.rateLimited.includes('ns/a'), c.want.rateLimited, `${c.name}: rate limited`);
    assert.deepEqual(queue.addedAfter, c.want.after === undefined ? [] : [{ item: 'ns/a', ms: c.want.after }], `${c.name}: addAfter`);
    assert.deepEqual(queue.doneItems, ['ns/a'], `${c.name}: done`);
    assert.match((await metrics.exposition()).body, new RegExp(`controller_sync_total\\{controller="test",result="${c.want.outcome}"\\} 1`), c.name);
  }
});

test('runWorkers syncs every key once, never one key twice at once, and stops on abort', async () => {
  const clock = new FakeClock();
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(clock), { name: 'w', clock });
  const inFlight = new Set<string>();
  const synced: string[] = [];
  let overlap = false;
  const stop = new AbortController();
  let remaining = 40;
  const done = runWorkers({
    name: 'w',
    queue,
    workers: 4,
    signal: stop.signal,
    logger,
    clock,
    async sync(key) {
      if (inFlight.has(key)) overlap = true;
      inFlight.add(key);
      await new Promise((r) => setImmediate(r));
      inFlight.delete(key);
      synced.push(key);
      if (--remaining === 0) stop.abort();
    },
  });
  for (let i = 0; i < 10; i++) for (let k = 0; k < 4; k++) queue.add(`ns/k${k}-${i}`);
  await done;
  assert.equal(overlap, false);
  assert.equal(synced.length, 40);
  assert.equal(new Set(synced).size, 40);
  assert.equal(queue.shuttingDown(), true);
});
