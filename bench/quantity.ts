// resource.Quantity parse+canonicalize throughput on the quantities real manifests carry.
// Prints one JSON report on stdout. Run: node --import tsx bench/quantity.ts
import { parseQuantity } from '../src/apimachinery/quantity/parse.js';

const inputs = ['500m', '1Gi', '0.5', '1024Mi', '100M', '1.5', '2', '128974848', '129e6', '129M', '123Mi', '1e3', '250m', '64Mi', '3.5Gi', '0.1'];

/** Parses and canonicalizes n inputs; returns a checksum so the work cannot be optimised away. */
function parseAndCanonicalize(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += parseQuantity(inputs[i % inputs.length]).quantity!.canonical().length;
  return total;
}

parseAndCanonicalize(20_000); // warm up
const n = 200_000;
const rates: number[] = [];
for (let round = 0; round < 5; round++) {
  const started = process.hrtime.bigint();
  parseAndCanonicalize(n);
  rates.push(n / (Number(process.hrtime.bigint() - started) / 1e9));
}
rates.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ benchmark: 'quantity-parse-canonicalize', opsPerSecondMedian: Math.round(rates[2]), runs: rates.map(Math.round) }, null, 2)}\n`);
