// Parse+canonicalize throughput on the quantities real manifests carry; a floor 40× below the measured rate
// (about 2 million/s on the 2-core dev machine) catches accidental slow paths without flaking on a busy host.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuantity } from './parse.js';

const inputs = ['500m', '1Gi', '0.5', '1024Mi', '100M', '1.5', '2', '128974848', '129e6', '129M', '123Mi', '1e3', '250m', '64Mi', '3.5Gi', '0.1'];

/** Parses and canonicalizes n inputs; returns a checksum so the work cannot be skipped. */
function parseAndCanonicalize(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = parseQuantity(inputs[i % inputs.length]);
    total += r.quantity!.canonical().length;
  }
  return total;
}

test('parse+canonicalize runs well over 50,000 ops/s', (t) => {
  parseAndCanonicalize(20_000); // warm up
  const n = 50_000;
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    assert.ok(parseAndCanonicalize(n) > n);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, n / seconds);
  }
  t.diagnostic(`parse+canonicalize: ${Math.round(best)} ops/s`);
  assert.ok(best > 50_000, `only ${Math.round(best)} ops/s`);
});
