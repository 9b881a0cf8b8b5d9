// Benchmark workload files: every committed one is well-formed and names a registered measure; malformed
// ones are rejected with the file and the problem; targets are checked against results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureNamed } from '../../bench/measures.js';
import { checkTargets, loadWorkloads, parseWorkload } from '../../bench/workload.js';

test('every workload in bench/workloads parses and names a registered measure', () => {
  const workloads = loadWorkloads();
  assert.deepEqual(workloads.map((w) => w.name).sort(), ['create', 'create-tls', 'get', 'list', 'ready', 'rss', 'watch']);
  for (const w of workloads) assert.ok(measureNamed(w.measure), `${w.name}: no measure ${w.measure}`);
});

test('parseWorkload rejects malformed workloads', () => {
  const good = { name: 'x', measure: 'create-throughput', description: 'd', params: { a: 1 } };
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 3, /not an object/],
    ['no name', { ...good, name: '' }, /"name"/],
    ['bad backend', { ...good, backends: ['mysql'] }, /"backends"/],
    ['bad runs', { ...good, runs: 0 }, /"runs"/],
    ['string param', { ...good, params: { a: 'one' } }, /"params"/],
    ['target for unknown backend', { ...good, targets: { mysql: {} } }, /unknown backend mysql/],
    ['empty target', { ...good, targets: { sqlite: { p99Ms: {} } } }, /sqlite\.p99Ms/],
    ['odd target key', { ...good, targets: { sqlite: { p99Ms: { below: 5 } } } }, /sqlite\.p99Ms/],
  ];
  for (const [name, raw, want] of cases) assert.throws(() => parseWorkload('w.json', raw), want, name);
  const w = parseWorkload('w.json', good);
  assert.deepEqual(w.backends, ['sqlite', 'memory', 'etcd']);
  assert.equal(w.runs, 3);
});

test('checkTargets compares results with min and max bounds', () => {
  const got = checkTargets({ rate: 6000, p99Ms: 7 }, { rate: { min: 5000 }, p99Ms: { max: 5 }, missing: { max: 1 } });
  assert.deepEqual(got, {
    rate: { value: 6000, target: { min: 5000 }, ok: true },
    p99Ms: { value: 7, target: { max: 5 }, ok: false },
    missing: { value: null, target: { max: 1 }, ok: false },
  });
});
