// Job policy fields through the REST core (schema checks and the Job's own): upstream's paths and messages for
// per-index backoff, podFailurePolicy, successPolicy and podReplacementPolicy; the policies are immutable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../strategies.js';
import { indexesFormat } from './validation-job-policies.js';

const job = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } }, ...spec },
});

test('indexes are intervals below completions, strictly increasing (upstream validateIndexesFormat)', () => {
  assert.deepEqual(indexesFormat('0,2-4,7', 10), { total: 5 });
  assert.deepEqual(indexesFormat('', 10), { total: 0 });
  assert.deepEqual(indexesFormat('1-2-3', 10), { error: `the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by '-'` });
  assert.deepEqual(indexesFormat('a', 10), { error: 'cannot convert string to integer for index: "a"' });
  assert.deepEqual(indexesFormat('3,12', 10), { error: 'too large index: "12"' });
  assert.deepEqual(indexesFormat('4,2', 10), { error: 'non-increasing order, previous: 4, current: 2' });
  assert.deepEqual(indexesFormat('5-3', 10), { error: 'non-increasing order, previous: 5, current: 3' });
});

test('Job policies through the REST core: refusals at upstream paths, immutability', async () => {
  const server = await newTestServer({ strategyFor, namespaces: ['default'] });
  try {
    const create = async (name: string, spec: Record<string, unknown>) => {
      const res = await server.request('POST', '/apis/batch/v1/namespaces/default/jobs', { body: job(name, spec) });
      return { status: res.status, causes: (res.json.details?.causes ?? []).map((c: { field: string; message: string }) => `${c.field}: ${c.message}`) };
    };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ successPolicy: { rules: [{ succeededCount: 1 }] } }, ['spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode']],
      [{ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [] } }, ['spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified']],
      [{ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{}] } }, ['spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified']],
      [
        { completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '1-5' }, { succeededIndexes: '0,1', succeededCount: 3 }] } },
        [
          'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-5": error parsing succeededIndexes: too large index: "5"',
          'spec.successPolicy.rules[1].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
        ],
      ],
      [{ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededCount: 4 }] } }, ['spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)']],
      [{ backoffLimitPerIndex: 1 }, ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']],
      [{ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 1 }, ['spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified']],
      [{ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 4 }, ['spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions']],
      [
        { podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [0, 3, 3] } }] } },
        [
          'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
          'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
          'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
        ],
      ],
      [
        { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'nope', operator: 'NotIn', values: [2, 1] } }, { action: 'Ignore' }] } },
        [
          'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
          'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [2,1]: must be ordered',
          'spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
        ],
      ],
      [{ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] }] }, podReplacementPolicy: 'TerminatingOrFailed' }, [
        'spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
        'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
      ]],
    ];
    let n = 0;
    for (const [spec, want] of cases) {
      const got = await create(`bad-${n++}`, spec);
      assert.equal(got.status, 422, JSON.stringify(spec));
      assert.deepEqual(got.causes.sort(), [...want].sort(), JSON.stringify(spec));
    }
    const ok = await create('leader', { completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0', succeededCount: 1 }] } });
    assert.equal(ok.status, 201, ok.causes.join('\n'));
    const changed = await server.request('PATCH', '/apis/batch/v1/namespaces/default/jobs/leader', {
      body: { spec: { successPolicy: { rules: [{ succeededCount: 2 }] } } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(changed.status, 422, changed.text);
    assert.match(changed.json.message, /spec\.successPolicy: Invalid value: .*: field is immutable/);
  } finally {
    server.close();
  }
});
