// Mapping of non-2xx replies: the server's Status verbatim, otherwise client-go's generic wording per code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlreadyExists, isConflict, isForbidden, isNotFound } from '../../apimachinery/errors.js';
import { errorFromResponse, retryAfterSeconds } from './response-error.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

test('a Status body becomes a StatusError carrying it', () => {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', kind: 'pods' } };
  const err = errorFromResponse({ status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(status)) }, { method: 'GET', resource: pods, name: 'x' });
  assert.ok(isNotFound(err));
  assert.deepEqual(err.status, status);
});

test('other bodies get client-go generic messages', () => {
  const text = { 'content-type': 'text/plain; charset=utf-8' };
  const html = { 'content-type': 'text/html' };
  const binary = { 'content-type': 'application/octet-stream' };
  const cases = [
    { code: 404, method: 'GET', headers: text, body: '404 page not found', name: 'x', resource: pods, wantMessage: 'the server could not find the requested resource (get pods x)', wantReason: 'NotFound', check: isNotFound },
    { code: 404, method: 'GET', headers: text, body: 'nope', resource: undefined, wantMessage: 'the server could not find the requested resource', wantReason: 'NotFound' },
    { code: 409, method: 'POST', headers: text, body: '', resource: deployments, wantMessage: 'the server reported a conflict (post deployments.apps)', wantReason: 'AlreadyExists', check: isAlreadyExists },
    { code: 409, method: 'PUT', headers: text, body: '', name: 'd', resource: deployments, wantMessage: 'the server reported a conflict (put deployments.apps d)', wantReason: 'Conflict', check: isConflict },
    { code: 403, method: 'GET', headers: text, body: 'go away', resource: pods, wantMessage: 'go away (get pods)', wantReason: 'Forbidden', check: isForbidden },
    { code: 500, method: 'GET', headers: text, body: ' boom \n', resource: pods, wantMessage: 'an error on the server ("boom") has prevented the request from succeeding (get pods)', wantReason: 'InternalError' },
    { code: 502, method: 'GET', headers: html, body: '<html>bad gateway</html>', resource: undefined, wantMessage: 'an error on the server ("<html>bad gateway</html>") has prevented the request from succeeding', wantReason: 'InternalError' },
    { code: 502, method: 'GET', headers: binary, body: 'xx', resource: undefined, wantMessage: 'an error on the server ("unknown") has prevented the request from succeeding', wantReason: 'InternalError' },
    { code: 500, method: 'GET', headers: {}, body: 'no type', resource: undefined, wantMessage: 'an error on the server ("no type") has prevented the request from succeeding', wantReason: 'InternalError' },
    { code: 503, method: 'GET', headers: text, body: '', resource: undefined, wantMessage: 'the server is currently unable to handle the request', wantReason: 'ServiceUnavailable' },
    { code: 418, method: 'GET', headers: text, body: '', resource: undefined, wantMessage: 'the server responded with the status code 418 but did not return more information', wantReason: '' },
  ];
  for (const c of cases) {
    const err = errorFromResponse({ status: c.code, headers: c.headers, body: Buffer.from(c.body) }, { method: c.method, resource: c.resource, name: c.name });
    assert.equal(err.message, c.wantMessage);
    assert.equal(err.reason, c.wantReason);
    assert.equal(err.code, c.code);
    if (c.check) assert.ok(c.check(err));
  }
});

test('Retry-After is read as whole seconds only', () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    ['3', 3],
    ['0', 0],
    [' 12 ', 12],
    ['1.5', undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) assert.equal(retryAfterSeconds({ 'retry-after': header }), want, String(header));
});
