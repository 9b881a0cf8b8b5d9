import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

test('parseRequestInfo matches upstream RequestInfoFactory', () => {
  const cases: Array<{ m: string; url: string; want: Record<string, unknown> }> = [
    { m: 'GET', url: '/api/v1/namespaces/default/pods', want: { verb: 'list', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: '' } },
    { m: 'GET', url: '/api/v1/namespaces/default/pods/p1', want: { verb: 'get', namespace: 'default', resource: 'pods', name: 'p1' } },
    { m: 'GET', url: '/api/v1/namespaces/default/pods/p1/log', want: { verb: 'get', resource: 'pods', name: 'p1', subresource: 'log' } },
    { m: 'GET', url: '/api/v1/pods?watch=true', want: { verb: 'watch', namespace: '', resource: 'pods' } },
    { m: 'GET', url: '/api/v1/pods?watch=1', want: { verb: 'watch' } },
    { m: 'GET', url: '/api/v1/watch/namespaces/ns/pods/p1', want: { verb: 'watch', namespace: 'ns', resource: 'pods', name: 'p1' } },
    { m: 'GET', url: '/api/v1/watch/pods', want: { verb: 'watch', resource: 'pods', name: '' } },
    { m: 'POST', url: '/apis/apps/v1/namespaces/ns/deployments', want: { verb: 'create', apiGroup: 'apps', resource: 'deployments' } },
    { m: 'PUT', url: '/apis/apps/v1/namespaces/ns/deployments/d/status', want: { verb: 'update', subresource: 'status', name: 'd' } },
    { m: 'PATCH', url: '/apis/apps/v1/namespaces/ns/deployments/d/scale', want: { verb: 'patch', subresource: 'scale' } },
    { m: 'DELETE', url: '/api/v1/namespaces/ns/configmaps', want: { verb: 'deletecollection', resource: 'configmaps' } },
    { m: 'DELETE', url: '/api/v1/namespaces/ns/configmaps/c', want: { verb: 'delete', name: 'c' } },
    { m: 'GET', url: '/api/v1/namespaces/ns', want: { verb: 'get', resource: 'namespaces', name: 'ns', namespace: 'ns' } },
    { m: 'PUT', url: '/api/v1/namespaces/ns/finalize', want: { verb: 'update', resource: 'namespaces', name: 'ns', subresource: 'finalize' } },
    { m: 'GET', url: '/api/v1/namespaces', want: { verb: 'list', resource: 'namespaces', namespace: '' } },
    { m: 'GET', url: '/api/v1/nodes/n1', want: { verb: 'get', resource: 'nodes', name: 'n1', namespace: '' } },
    { m: 'GET', url: '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp1', want: { verb: 'list', name: 'p1', parts: ['pods'] } },
    { m: 'GET', url: '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%21%3Dp1', want: { verb: 'list', name: '' } },
    { m: 'GET', url: '/api/v1/proxy/namespaces/ns/pods/p1/a/b', want: { verb: 'proxy', resource: 'pods', name: 'p1', subresource: '' } },
    { m: 'GET', url: '/api', want: { isResourceRequest: false, verb: 'get' } },
    { m: 'GET', url: '/apis/apps', want: { isResourceRequest: false } },
    { m: 'GET', url: '/apis/apps/v1', want: { isResourceRequest: false } },
    { m: 'GET', url: '/api/v1', want: { isResourceRequest: false } },
    { m: 'GET', url: '/healthz/ping', want: { isResourceRequest: false, path: '/healthz/ping' } },
    { m: 'GET', url: '/api/v1/watch', want: { isResourceRequest: false } },
  ];
  for (const c of cases) {
    const u = new URL(c.url, 'http://x');
    const info = parseRequestInfo(c.m, u.pathname, u.searchParams) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(info[k], v, `${c.m} ${c.url}: ${k}`);
    if (c.want.isResourceRequest === undefined) assert.equal(info.isResourceRequest, true, c.url);
  }
});
