import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapePath, isAvailable, plainError, watchAccept } from './proxy-handler.js';

test('escapePath re-escapes decoded segments the way Go writes paths', () => {
  const cases: Array<[string, string]> = [
    ['/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests'],
    ['/apis/x/v1/namespaces/a/widgets/system:node:n1', '/apis/x/v1/namespaces/a/widgets/system:node:n1'],
    ['/apis/x/v1/widgets/a b', '/apis/x/v1/widgets/a%20b'],
    ['/apis/x/v1/widgets/a?b#c', '/apis/x/v1/widgets/a%3Fb%23c'],
  ];
  for (const [path, want] of cases) assert.equal(escapePath(path), want, path);
});

test('watchAccept asks backends for JSON streams when the client takes JSON too', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['application/json', 'application/json'],
    ['application/vnd.kubernetes.protobuf, application/json', 'application/json'],
    ['application/vnd.kubernetes.protobuf;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'],
  ];
  for (const [accept, want] of cases) assert.equal(watchAccept(accept), want, String(accept));
});

test('isAvailable reads the Available condition; plainError is Go http.Error text', () => {
  const svc = (status?: string) => ({ spec: { groupPriorityMinimum: 1, versionPriority: 1 }, status: status ? { conditions: [{ type: 'Available', status }] } : undefined });
  assert.deepEqual([svc('True'), svc('False'), svc('Unknown'), svc()].map(isAvailable), [true, false, false, false]);
  assert.deepEqual(plainError(503, 'service unavailable'), {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: 'service unavailable\n',
  });
});
