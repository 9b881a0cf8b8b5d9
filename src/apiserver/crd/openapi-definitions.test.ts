import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceInfo } from '../../api/resource-info.js';
import { renderDefinition } from '../openapi/schema-render.js';
import { customResourceDefinitions } from './openapi-definitions.js';

const r: ResourceInfo = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'CronTab',
  listKind: 'CronTabList',
  plural: 'crontabs',
  singular: 'crontab',
  namespaced: true,
  verbs: [],
  shortNames: [],
  categories: [],
  subresources: [],
  definition: 'com.example.stable.v1.CronTab',
};

test('a CRD schema becomes the kind and list definitions, nested objects inline', () => {
  const [kind, list, ...rest] = customResourceDefinitions(r, {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['cronSpec'],
        properties: {
          cronSpec: { type: 'string' },
          port: { 'x-kubernetes-int-or-string': true },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  });
  assert.equal(rest.length, 0);
  assert.equal(list?.name, 'com.example.stable.v1.CronTabList');
  assert.deepEqual(list?.gvks, [{ group: 'stable.example.com', version: 'v1', kind: 'CronTabList' }]);
  assert.deepEqual(renderDefinition(kind!, 'v3'), {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      spec: {
        type: 'object',
        required: ['cronSpec'],
        properties: {
          cronSpec: { type: 'string' },
          port: { type: 'string', format: 'int-or-string' },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }],
  });
});

test('a version without a schema is published as a free-form object', () => {
  const [kind] = customResourceDefinitions(r, undefined);
  const rendered = renderDefinition(kind!, 'v3');
  assert.equal(rendered['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(Object.keys(rendered.properties as object), ['apiVersion', 'kind', 'metadata']);
});
