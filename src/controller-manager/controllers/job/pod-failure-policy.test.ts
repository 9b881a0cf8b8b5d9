// Pod failure policy matching: exit codes (In/NotIn, container names, zero never matches), pod conditions,
// rule order, and upstream's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

function failedPod(exits: Record<string, number>, conditions: Array<{ type: string; status: string }> = []): corev1.Pod {
  return {
    metadata: { name: 'p', namespace: 'ns' },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: Object.entries(exits).map(([name, exitCode]) => ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } })),
    },
  };
}

const policy: batchv1.PodFailurePolicy = {
  rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
  ],
};

test('matchPodFailurePolicy picks the first matching rule', () => {
  const cases: Array<{ name: string; pod: corev1.Pod; want?: { action: string; message: string } }> = [
    { name: 'disruption', pod: failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'True' }]), want: { action: 'Ignore', message: 'Pod ns/p has condition DisruptionTarget matching Ignore rule at index 0' } },
    { name: 'condition false', pod: failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'False' }]) },
    { name: 'exit 42 in main', pod: failedPod({ main: 42 }), want: { action: 'FailJob', message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1' } },
    { name: 'exit 42 in sidecar: NotIn rule', pod: failedPod({ side: 42 }), want: { action: 'Count', message: 'Container side for pod ns/p failed with exit code 42 matching Count rule at index 2' } },
    { name: 'exit 1 listed in NotIn', pod: failedPod({ main: 1 }) },
    { name: 'exit 0 never matches', pod: failedPod({ main: 0 }) },
  ];
  for (const c of cases) assert.deepEqual(matchPodFailurePolicy(policy, c.pod), c.want, c.name);
  assert.equal(matchPodFailurePolicy(undefined, failedPod({ main: 42 })), undefined);
});
