import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Defaulter, JSONObject } from './fields.js';
import { defaultFlowSchema, defaultPriorityLevelConfiguration } from './flowcontrol-v1.js';

test('API Priority and Fairness defaults', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; spec: JSONObject; want: JSONObject }> = [
    {
      name: 'FlowSchema precedence',
      defaulter: defaultFlowSchema,
      spec: { priorityLevelConfiguration: { name: 'workload-low' } },
      want: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: 1000 },
    },
    {
      name: 'limited level with queues',
      defaulter: defaultPriorityLevelConfiguration,
      spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 16 } } } },
      want: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: 30, lendablePercent: 0,
          limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 8, queueLengthLimit: 50 } },
        },
      },
    },
    {
      name: 'a jail: zero shares stay zero',
      defaulter: defaultPriorityLevelConfiguration,
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Reject' } } },
      want: { type: 'Limited', limited: { nominalConcurrencyShares: 0, lendablePercent: 0, limitResponse: { type: 'Reject' } } },
    },
    {
      name: 'exempt level',
      defaulter: defaultPriorityLevelConfiguration,
      spec: { type: 'Exempt', exempt: {} },
      want: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } },
    },
  ];
  for (const c of cases) {
    const obj: JSONObject = { spec: c.spec };
    c.defaulter(obj, { now: () => 0 });
    assert.deepEqual(obj.spec, c.want, c.name);
  }
});
