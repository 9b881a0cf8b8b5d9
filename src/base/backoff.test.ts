// Backoff grows by its factor up to the cap, adds bounded jitter, and starts over on reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('Backoff delay sequences', () => {
  const cases: { name: string; opts: ConstructorParameters<typeof Backoff>[0]; want: number[] }[] = [
    { name: 'doubling', opts: { initialMs: 100 }, want: [100, 200, 400, 800] },
    { name: 'capped', opts: { initialMs: 100, factor: 3, capMs: 500 }, want: [100, 300, 500, 500] },
    { name: 'factor 1 is constant', opts: { initialMs: 50, factor: 1 }, want: [50, 50, 50] },
    { name: 'initial above cap', opts: { initialMs: 1000, capMs: 10 }, want: [10, 10] },
    { name: 'max jitter', opts: { initialMs: 100, jitter: 0.5, random: () => 0.999999 }, want: [150, 300, 600] },
    { name: 'zero jitter draw', opts: { initialMs: 100, jitter: 1, random: () => 0 }, want: [100, 200] },
  ];
  for (const c of cases) {
    const b = new Backoff(c.opts);
    const got = c.want.map(() => Math.round(b.next()));
    assert.deepEqual(got, c.want, c.name);
    assert.equal(b.steps, c.want.length, c.name);
  }
});

test('Backoff jitter stays within [d, d × (1 + jitter))', () => {
  const b = new Backoff({ initialMs: 1000, factor: 1, jitter: 0.2 });
  for (let i = 0; i < 1000; i++) {
    const d = b.next();
    assert.ok(d >= 1000 && d < 1200, `delay ${d}`);
  }
});

test('Backoff.reset starts the sequence over', () => {
  const b = new Backoff({ initialMs: 10 });
  b.next();
  b.next();
  b.reset();
  assert.equal(b.steps, 0);
  assert.equal(b.next(), 10);
});

test('Backoff rejects nonsense options', () => {
  assert.throws(() => new Backoff({ initialMs: -1 }), /initialMs/);
  assert.throws(() => new Backoff({ initialMs: 1, factor: 0.5 }), /factor/);
});
