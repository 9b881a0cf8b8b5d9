// Per-index failure counts and backoff of Indexed Jobs with backoffLimitPerIndex.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { jobCompletionIndexAnnotation } from './indexes.js';
import { indexBackoff, indexFailures, jobIndexFailureCountAnnotation } from './per-index-backoff.js';

function failedPod(index: number, priorFailures: number, finishedAt: string, exitCode = 1): corev1.Pod {
  return {
    metadata: { name: `p${index}-${priorFailures}`, annotations: { [jobCompletionIndexAnnotation]: String(index), [jobIndexFailureCountAnnotation]: String(priorFailures) } },
    status: { phase: 'Failed', containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt } } }] },
  };
}

test('indexFailures takes the newest count per index; ignored failures do not add one', () => {
  const pods = [failedPod(0, 0, '2026-01-01T00:00:00Z'), failedPod(0, 1, '2026-01-01T00:01:00Z'), failedPod(2, 0, '2026-01-01T00:02:00Z', 7), { metadata: { name: 'ok' }, status: { phase: 'Succeeded' } }];
  const got = indexFailures(pods, 3, (p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 7, 0);
  assert.deepEqual(got.get(0), { failures: 2, lastFailure: Date.parse('2026-01-01T00:01:00Z') });
  assert.deepEqual(got.get(2), { failures: 0, lastFailure: Date.parse('2026-01-01T00:02:00Z') });
  assert.equal(got.get(1), undefined);
  const opts = { baseMs: 10_000, maxMs: 600_000 };
  assert.equal(indexBackoff(got.get(0), Date.parse('2026-01-01T00:01:05Z'), opts), 15_000);
  assert.equal(indexBackoff(got.get(2), Date.parse('2026-01-01T00:02:00Z'), opts), 0);
  assert.equal(indexBackoff(undefined, 0, opts), 0);
});
