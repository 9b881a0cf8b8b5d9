// Quantity text against real kubectl: every recorded case (testdata/kubectl-quantities.json, made by
// testdata/record-kubectl-quantities.ts) must print and fail exactly as upstream, and fresh random text is checked
// live against the kubectl binary of this machine kind.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseQuantity } from './parse.js';
import { quantityText } from './testdata/arbitraries.js';
import { kubectlQuantities, oracleKubectl, type QuantityOutcome } from './testdata/kubectl-oracle.js';

const recorded = JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', 'kubectl-quantities.json'), 'utf8')) as {
  cases: QuantityOutcome[];
};

function ours(input: string): QuantityOutcome {
  const r = parseQuantity(input);
  return r.error !== undefined ? { input, error: r.error } : { input, output: r.quantity.toString() };
}

test('every recorded kubectl outcome is reproduced', () => {
  assert.ok(recorded.cases.length > 1000);
  const mismatches = recorded.cases.filter((c) => JSON.stringify(ours(c.input)) !== JSON.stringify(c));
  assert.deepEqual(mismatches.map((c) => ({ kubectl: c, ours: ours(c.input) })), []);
});

test('fresh random quantity text prints as live kubectl prints it', () => {
  const kubectl = oracleKubectl();
  assert.ok(kubectl, 'kubectl 1.33 (or $K8TS_KUBECTL) is needed as the oracle');
  const inputs = [...new Set(fc.sample(quantityText, 400))];
  const theirs = kubectlQuantities(kubectl, inputs);
  assert.deepEqual(theirs.map((c) => ours(c.input)), theirs);
});
