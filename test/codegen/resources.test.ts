// The resource-table generator on small hand-made OpenAPI documents: path parsing, scope, verbs, subresources.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenAPIDocument, PathItem } from '../../tools/codegen/openapi.js';
import { buildResourceTable, parsePath } from '../../tools/codegen/resources.js';

test('parsePath', () => {
  const cases: Array<[string, ReturnType<typeof parsePath>]> = [
    ['/api/v1/pods', { group: '', version: 'v1', namespaced: false, plural: 'pods' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}/log', { group: '', version: 'v1', namespaced: true, plural: 'pods', subresource: 'log' }],
    ['/api/v1/namespaces/{name}', { group: '', version: 'v1', namespaced: false, plural: 'namespaces' }],
    ['/api/v1/namespaces/{name}/finalize', { group: '', version: 'v1', namespaced: false, plural: 'namespaces', subresource: 'finalize' }],
    ['/apis/apps/v1/watch/namespaces/{namespace}/deployments', { group: 'apps', version: 'v1', namespaced: true, plural: 'deployments' }],
    ['/api/v1/nodes/{name}/proxy/{path}', { group: '', version: 'v1', namespaced: false, plural: 'nodes', subresource: 'proxy' }],
    ['/apis/apps/v1/', undefined],
    ['/version/', undefined],
    ['/api/v1/namespaces/{namespace}/pods/{name}/{path}', undefined],
  ];
  for (const [path, want] of cases) assert.deepEqual(parsePath(path), want, path);
});

const gvk = (group: string, version: string, kind: string) => ({ 'x-kubernetes-group-version-kind': { group, version, kind } });
const op = (action: string, g = gvk('example.io', 'v1', 'Widget')) => ({ 'x-kubernetes-action': action, ...g });

function doc(paths: Record<string, PathItem>): OpenAPIDocument {
  return {
    paths,
    definitions: {
      'io.example.v1.Widget': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'example.io', version: 'v1', kind: 'Widget' }] },
      'io.example.v1beta1.Widget': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'example.io', version: 'v1beta1', kind: 'Widget' }] },
      'io.k8s.api.autoscaling.v1.Scale': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] },
    },
  };
}

test('buildResourceTable derives verbs, scope and subresources from paths', () => {
  const table = buildResourceTable(
    doc({
      '/apis/example.io/v1/widgets': { get: op('list') },
      '/apis/example.io/v1/namespaces/{namespace}/widgets': { get: op('list'), post: op('post'), delete: op('deletecollection') },
      '/apis/example.io/v1/namespaces/{namespace}/widgets/{name}': { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') },
      '/apis/example.io/v1/watch/namespaces/{namespace}/widgets': { get: op('watchlist') },
      '/apis/example.io/v1/namespaces/{namespace}/widgets/{name}/status': { get: op('get'), put: op('put') },
      '/apis/example.io/v1/namespaces/{namespace}/widgets/{name}/scale': { get: op('get', gvk('autoscaling', 'v1', 'Scale')), patch: op('patch', gvk('autoscaling', 'v1', 'Scale')) },
      '/apis/example.io/v1/namespaces/{namespace}/widgets/{name}/proxy': { get: op('connect'), head: op('connect'), options: op('connect'), post: op('connect') },
      '/apis/example.io/v1beta1/widgets': { get: op('list', gvk('example.io', 'v1beta1', 'Widget')) },
    }),
  );
  assert.deepEqual(table, [
    {
      group: 'example.io',
      version: 'v1',
      kind: 'Widget',
      listKind: 'WidgetList',
      plural: 'widgets',
      singular: 'widget',
      namespaced: true,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: [],
      categories: [],
      subresources: [
        { name: 'proxy', kind: 'Widget', verbs: ['create', 'get'] },
        { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch'] },
        { name: 'status', kind: 'Widget', verbs: ['get', 'update'] },
      ],
      definition: 'io.example.v1.Widget',
    },
  ]);
});

test('buildResourceTable: create-only resources and missing definitions', () => {
  const reviews = buildResourceTable(doc({ '/apis/example.io/v1/widgets': { post: op('post') } }));
  assert.deepEqual(reviews.map((r) => [r.plural, r.namespaced, r.verbs]), [['widgets', false, ['create']]]);
  assert.throws(
    () => buildResourceTable(doc({ '/apis/example.io/v1/gadgets': { post: op('post', gvk('example.io', 'v1', 'Gadget')) } })),
    /no definition for kind Gadget/,
  );
});
