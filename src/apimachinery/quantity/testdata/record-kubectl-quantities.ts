// Records what real kubectl prints for a corpus of quantity texts into kubectl-quantities.json:
//   node --import tsx src/apimachinery/quantity/testdata/record-kubectl-quantities.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { junkText, quantityText } from './arbitraries.js';
import { kubectlQuantities, oracleKubectl } from './kubectl-oracle.js';

const handPicked = [
  '0', '0.0', '-0', '00', '.', '-.', '+', '-', '1', '+1', '-1', '1.', '.5', '0.5', '1.5', '1500m', '1000m', '1k', '1000',
  '1e3', '1E3', '1e+3', '1.2e3', '12e3', '120e3', '1200e3', '12000e3', '1e-3', '1e-7', '0.5e-9', '1e2000000000',
  '1Ki', '8Ki', '1024Ki', '1025Ki', '+1Ki', '1Gi', '1024Mi', '1.5Gi', '1.5Ki', '0.1Ki', '.001Ki', '.000000000001Ki',
  '-0.001Ki', '9Ei', '8Ei', '7.99Ei', '9223372036854775807Ki', '-9Ei', '100M', '1000M', '1000E', '12E', '10E', '1E',
  '1000000000000000000', '999999999999999999.1', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
  '0000000000000000000001', '3.001n', '0.00000012345', '1.1E-9', '0.9n', '1e4294967297', '100.035Ki', '0.025Ti',
  // errors
  '', ' 1', '1 ', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '++', '.e-20',
  '1Ei3', '1e99999999999999999999', 'Non-Numeric', '1µ',
];

const kubectl = oracleKubectl();
if (!kubectl) throw new Error('no kubectl to record from (set K8TS_KUBECTL)');
const generated = fc.sample(quantityText, { seed: 1301, numRuns: 1200 });
const junk = fc.sample(junkText, { seed: 1302, numRuns: 150 });
const inputs = [...new Set([...handPicked, ...generated, ...junk])];
const outcomes = kubectlQuantities(kubectl, inputs);
const file = join(import.meta.dirname, 'kubectl-quantities.json');
const lines = outcomes.map((o) => `  ${JSON.stringify(o)}`).join(',\n');
writeFileSync(file, `{\n "kubectl": ${JSON.stringify(kubectl)},\n "cases": [\n${lines}\n ]\n}\n`);
console.error(`recorded ${outcomes.length} cases from ${kubectl} into ${file}`);
