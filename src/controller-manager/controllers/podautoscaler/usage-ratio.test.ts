// Table tests of the total-usage proposals (Object and External metrics) and the ready-pod count they scale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultReplicaCalculatorOptions, type CalculatorPod } from './replica-calculator.js';
import { perPodReplicas, readyPodCount, usageRatioReplicas } from './usage-ratio.js';

function pod(name: string, phase: string, ready: boolean): CalculatorPod {
  return { metadata: { name }, spec: { containers: [] }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

const options = defaultReplicaCalculatorOptions;
const three = [pod('a', 'Running', true), pod('b', 'Running', false), pod('c', 'Pending', true)];

test('readyPodCount: Running and Ready only; no pods is an error', () => {
  assert.equal(readyPodCount(three), 1);
  assert.deepEqual(readyPodCount([]), { error: 'no pods returned by selector while calculating replica count' });
});

for (const tc of [
  { name: 'ratio 3 scales the one ready pod', args: { currentReplicas: 3, usage: 6000, target: 2000, pods: three }, want: { ok: true, replicas: 3, usage: 6000 } },
  { name: 'within tolerance', args: { currentReplicas: 3, usage: 2100, target: 2000, pods: three }, want: { ok: true, replicas: 3, usage: 2100 } },
  { name: 'from zero replicas the ratio alone decides', args: { currentReplicas: 0, usage: 2500, target: 1000, pods: [] }, want: { ok: true, replicas: 3, usage: 2500 } },
  {
    name: 'no pods to count',
    args: { currentReplicas: 2, usage: 5000, target: 1000, pods: [] },
    want: { ok: false, message: 'unable to calculate ready pods: no pods returned by selector while calculating replica count' },
  },
] as const) {
  test(`usageRatioReplicas: ${tc.name}`, () => assert.deepEqual(usageRatioReplicas({ ...tc.args, pods: [...tc.args.pods] }, options), tc.want));
}

for (const tc of [
  { name: 'total over target', args: { statusReplicas: 2, usage: 9000, targetAverage: 1000 }, want: { replicas: 9, usage: 4500 } },
  { name: 'within tolerance per replica', args: { statusReplicas: 3, usage: 3100, targetAverage: 1000 }, want: { replicas: 3, usage: 1034 } },
  { name: 'no replicas yet', args: { statusReplicas: 0, usage: 2500, targetAverage: 1000 }, want: { replicas: 3, usage: 2500 } },
]) {
  test(`perPodReplicas: ${tc.name}`, () => assert.deepEqual(perPodReplicas(tc.args, options), tc.want));
}
