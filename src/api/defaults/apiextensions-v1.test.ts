import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCustomResourceDefinition } from './apiextensions-v1.js';
import type { JSONObject } from './fields.js';

const versions = [
  { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
  { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
];

test('CustomResourceDefinition defaults', () => {
  const cases: Array<{ name: string; obj: JSONObject; want: JSONObject }> = [
    {
      name: 'the CronTab of the CRD tutorial',
      obj: { spec: { group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] }, versions } },
      want: {
        spec: {
          group: 'stable.example.com', scope: 'Namespaced', versions,
          names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'], singular: 'crontab', listKind: 'CronTabList' },
          conversion: { strategy: 'None' },
        },
        status: { storedVersions: ['v1'] },
      },
    },
    {
      name: 'webhook conversion and known stored versions',
      obj: {
        spec: {
          group: 'g', scope: 'Cluster', names: { plural: 'things', kind: 'Thing', singular: 'thing', listKind: 'Things' }, versions,
          conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'n', name: 'conv' } } } },
        },
        status: { storedVersions: ['v1beta1', 'v1'] },
      },
      want: {
        spec: {
          group: 'g', scope: 'Cluster', names: { plural: 'things', kind: 'Thing', singular: 'thing', listKind: 'Things' }, versions,
          conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'n', name: 'conv', port: 443 } } } },
        },
        status: { storedVersions: ['v1beta1', 'v1'] },
      },
    },
    {
      name: 'no kind, no storage version: nothing derived',
      obj: { spec: { names: { plural: 'x' }, versions: [{ name: 'v1', served: true, storage: false }] } },
      want: { spec: { names: { plural: 'x' }, versions: [{ name: 'v1', served: true, storage: false }], conversion: { strategy: 'None' } } },
    },
  ];
  for (const c of cases) {
    defaultCustomResourceDefinition(c.obj);
    assert.deepEqual(c.obj, c.want, c.name);
  }
});
