// Request-decoding costs on the write path: the duplicate-field-aware JSON decoder against JSON.parse
// (1 KiB and 100 KiB bodies), and unknown-field detection on a Deployment. Prints one JSON report.
// Run: node --import tsx bench/decode.ts
import { decodeJSON } from '../src/apimachinery/decode/json.js';
import { checkUnknownFields } from '../src/apiserver/field-validation/unknown-fields.js';

/** Milliseconds per call: the median of 5 rounds of `budgetMs / 5` each (the machine is shared). */
function msPerCall(fn: () => void, budgetMs = 300): number {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let runs = 0;
    const start = performance.now();
    while (performance.now() - start < budgetMs / 5) {
      fn();
      runs++;
    }
    rounds.push((performance.now() - start) / runs);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const container = (i: number) => ({ name: `c${i}`, image: 'registry.k8s.io/pause:3.9', ports: [{ containerPort: 80 + i }], env: [{ name: 'A', value: 'b\\"c' }] });
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [0, 1, 2, 3, 4, 5, 6].map(container) } } } };
const small = JSON.stringify(deployment);
const big = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 830 }, (_, i) => container(i)) });

const report: Record<string, number> = {};
for (const [name, text] of [['1KiB', small], ['100KiB', big]] as const) {
  const parse = msPerCall(() => JSON.parse(text));
  const decode = msPerCall(() => decodeJSON(text));
  report[`decodeJSON.${name}.ms`] = Number(decode.toFixed(4));
  report[`decodeJSON.${name}.ratioToJSONParse`] = Number((decode / parse).toFixed(2));
}
report['checkUnknownFields.deployment.ms'] = Number(msPerCall(() => checkUnknownFields(deployment, { group: 'apps', version: 'v1', kind: 'Deployment' })).toFixed(4));
process.stdout.write(`${JSON.stringify({ benchmark: 'decode', ...report }, null, 2)}\n`);
