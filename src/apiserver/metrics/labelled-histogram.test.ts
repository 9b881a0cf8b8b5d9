import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from './labelled-histogram.js';

test('renders exactly as a prom-client Histogram with the same observations; reset zeroes held series', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const buckets = [0.005, 0.025, 0.1, 0.5, 1, 2.5];
  const h = new LabelledHistogram({ name: 'x_seconds', help: 'help text', labelNames: ['name', 'rejected'], buckets, registry: ours });
  const p = new Histogram({ name: 'x_seconds', help: 'help text', labelNames: ['name', 'rejected'], buckets, registers: [theirs] });
  const held = h.with('A', 'false');
  for (const [name, rejected, v] of [['A', 'false', 0.001], ['A', 'false', 0.3], ['B', 'true', 3], ['A', 'false', 0.1], ['B', 'true', 0.005]] as const) {
    (name === 'A' && rejected === 'false' ? held : h.with(name, rejected)).observe(v);
    p.observe({ name, rejected }, v);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  ours.resetMetrics();
  held.observe(0.2);
  const text = await ours.metrics();
  assert.match(text, /x_seconds_count\{name="A",rejected="false"\} 1/);
  assert.match(text, /x_seconds_count\{name="B",rejected="true"\} 0/);
});
