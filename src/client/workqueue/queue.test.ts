import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FakeClock } from '../../base/clock.js';
import { newQueue } from './queue.js';
import { newPrometheusMetricsProvider } from './prometheus-metrics.js';

/** Takes every item currently available without waiting on an empty queue. */
async function drainNow<T>(q: { len(): number; get(): Promise<{ item?: T; shutdown: boolean }> }): Promise<T[]> {
  const out: T[] = [];
  while (q.len() > 0) {
    const r = await q.get();
    out.push(r.item as T);
  }
  return out;
}

test('queue: adds are deduplicated and FIFO', async () => {
  const cases: Array<{ adds: string[]; want: string[] }> = [
    { adds: ['a', 'b', 'a', 'c', 'b'], want: ['a', 'b', 'c'] },
    { adds: ['x'], want: ['x'] },
    { adds: [], want: [] },
  ];
  for (const c of cases) {
    const q = newQueue<string>();
    for (const a of c.adds) q.add(a);
    assert.deepEqual(await drainNow(q), c.want);
  }
});

test('queue: an item added while processing is re-queued on done, never handed out twice at once', async () => {
  const q = newQueue<string>();
  q.add('a');
  const first = await q.get();
  assert.equal(first.item, 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'a is processing: not queued again yet');
  q.done('a');
  assert.equal(q.len(), 1);
  const second = await q.get();
  assert.equal(second.item, 'a');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('queue: waiting getters receive items in order; shutDown wakes idle getters with shutdown', async () => {
  const q = newQueue<number>();
  const g1 = q.get();
  const g2 = q.get();
  q.add(1);
  q.add(2);
  assert.deepEqual(await g1, { item: 1, shutdown: false });
  assert.deepEqual(await g2, { item: 2, shutdown: false });
  const g3 = q.get();
  q.shutDown();
  assert.deepEqual(await g3, { shutdown: true });
  q.add(3);
  assert.equal(q.len(), 0, 'adds after shutdown are ignored');
  assert.equal(q.shuttingDown(), true);
});

test('queue: after shutDown queued items are still handed out, then shutdown', async () => {
  const q = newQueue<string>();
  q.add('a');
  q.add('b');
  q.shutDown();
  assert.deepEqual(await q.get(), { item: 'a', shutdown: false });
  assert.deepEqual(await q.get(), { item: 'b', shutdown: false });
  assert.deepEqual(await q.get(), { shutdown: true });
});

test('queue: shutDownWithDrain waits until every taken item is done', async () => {
  const q = newQueue<string>();
  q.add('a');
  q.add('b');
  const a = await q.get();
  const b = await q.get();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => {
    drained = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(drained, false);
  q.done(a.item as string);
  await new Promise((r) => setImmediate(r));
  assert.equal(drained, false, 'b still processing');
  q.done(b.item as string);
  await drain;
  assert.equal(drained, true);
  assert.deepEqual(await q.get(), { shutdown: true });
});

test('queue: shutDown ends a shutDownWithDrain still waiting for a worker', async () => {
  const q = newQueue<string>();
  q.add('stuck');
  await q.get();
  const drain = q.shutDownWithDrain();
  q.shutDown();
  await drain;
  assert.equal(q.shuttingDown(), true);
});

test('queue: shutDownWithDrain with nothing in flight returns at once', async () => {
  const q = newQueue<string>();
  await q.shutDownWithDrain();
  assert.equal(q.shuttingDown(), true);
});

test('queue: metrics use upstream names and follow depth, adds, latency and work duration', async () => {
  const registry = new Registry();
  const clock = new FakeClock();
  const q = newQueue<string>({ name: 'deployment', metricsProvider: newPrometheusMetricsProvider(registry), clock });
  q.add('a');
  q.add('b');
  q.add('a');
  clock.step(2000);
  const a = await q.get();
  clock.step(500);
  q.done(a.item as string);
  const metrics = await registry.getMetricsAsJSON();
  const value = (name: string, suffix = ''): number | undefined =>
    metrics
      .find((m) => m.name === name)
      ?.values.find((v) => v.labels.name === 'deployment' && ((v as { metricName?: string }).metricName ?? name) === name + suffix)?.value;
  assert.equal(value('workqueue_depth'), 1);
  assert.equal(value('workqueue_adds_total'), 2);
  assert.equal(value('workqueue_queue_duration_seconds', '_sum'), 2);
  assert.equal(value('workqueue_work_duration_seconds', '_sum'), 0.5);
  assert.equal(value('workqueue_unfinished_work_seconds'), 0);
  for (const n of ['workqueue_retries_total', 'workqueue_longest_running_processor_seconds']) {
    assert.ok(metrics.some((m) => m.name === n), n);
  }
  assert.equal(newPrometheusMetricsProvider(registry), newPrometheusMetricsProvider(registry), 'one provider per registry');
});
