import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Defaulter, JSONObject } from './fields.js';
import { defaultResourceClaim, defaultResourceClaimTemplate, defaultResourceSlice } from './resource-v1.js';

test('resource.k8s.io/v1 defaults', () => {
  const now = Date.UTC(2026, 10, 22, 5, 40, 12, 789);
  const cases: Array<{ name: string; defaulter: Defaulter; obj: JSONObject; want: JSONObject }> = [
    {
      name: 'a claim for one GPU',
      defaulter: defaultResourceClaim,
      obj: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', tolerations: [{ key: 'k', effect: 'NoSchedule' }] } }] } } },
      want: {
        spec: {
          devices: {
            requests: [{
              name: 'gpu',
              exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'ExactCount', count: 1, tolerations: [{ key: 'k', effect: 'NoSchedule', operator: 'Equal' }] },
            }],
          },
        },
      },
    },
    {
      name: 'All takes no count; sub-requests are defaulted too',
      defaulter: defaultResourceClaim,
      obj: {
        spec: {
          devices: {
            requests: [
              { name: 'all', exactly: { deviceClassName: 'c', allocationMode: 'All' } },
              { name: 'any', firstAvailable: [{ name: 'big', deviceClassName: 'big' }, { name: 'small', deviceClassName: 'small', count: 2 }] },
            ],
          },
        },
      },
      want: {
        spec: {
          devices: {
            requests: [
              { name: 'all', exactly: { deviceClassName: 'c', allocationMode: 'All' } },
              {
                name: 'any',
                firstAvailable: [
                  { name: 'big', deviceClassName: 'big', allocationMode: 'ExactCount', count: 1 },
                  { name: 'small', deviceClassName: 'small', count: 2, allocationMode: 'ExactCount' },
                ],
              },
            ],
          },
        },
      },
    },
    {
      name: 'claim template',
      defaulter: defaultResourceClaimTemplate,
      obj: { spec: { spec: { devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'c' } }] } } } },
      want: { spec: { spec: { devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'c', allocationMode: 'ExactCount', count: 1 } }] } } } },
    },
    {
      name: 'slice taints record the time, to the second',
      defaulter: defaultResourceSlice,
      obj: {
        spec: {
          driver: 'd', pool: { name: 'p', resourceSliceCount: 1, generation: 1 }, nodeName: 'n',
          devices: [{
            name: 'dev0',
            taints: [{ key: 'broken', effect: 'NoExecute' }, { key: 'old', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' }],
            nodeAllocatableResourceMappings: { memory: { capacityKey: 'mem' } },
          }],
        },
      },
      want: {
        spec: {
          driver: 'd', pool: { name: 'p', resourceSliceCount: 1, generation: 1 }, nodeName: 'n',
          devices: [{
            name: 'dev0',
            taints: [
              { key: 'broken', effect: 'NoExecute', timeAdded: '2026-11-22T05:40:12Z' },
              { key: 'old', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' },
            ],
            nodeAllocatableResourceMappings: { memory: { capacityKey: 'mem', allocationMultiplier: '1' } },
          }],
        },
      },
    },
  ];
  for (const c of cases) {
    c.defaulter(c.obj, { now: () => now });
    assert.deepEqual(c.obj, c.want, c.name);
  }
});
