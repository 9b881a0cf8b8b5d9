import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDialError, escapeExtraKey, proxyRequestHeaders, ProxyTransports } from './proxy-transport.js';

test('escapeExtraKey percent-encodes what a header name cannot hold', () => {
  const cases: Array<[string, string]> = [
    ['scopes', 'scopes'],
    ['authentication.kubernetes.io/credential-id', 'authentication.kubernetes.io%2Fcredential-id'],
    ['100%', '100%25'],
    ['a b', 'a%20b'],
    ['ü', '%C3%BC'],
  ];
  for (const [key, want] of cases) assert.equal(escapeExtraKey(key), want, key);
});

test('proxyRequestHeaders drops credentials, hop-by-hop and smuggled identity headers and adds X-Remote-*', () => {
  const got = proxyRequestHeaders(
    {
      ':method': 'GET',
      ':path': '/apis/x/v1',
      accept: 'application/json',
      'user-agent': 'kubectl/v1.33',
      authorization: 'Bearer secret',
      connection: 'keep-alive',
      host: 'apiserver:6443',
      'impersonate-user': 'root',
      'x-remote-user': 'mallory',
      'X-Remote-Group': 'system:masters',
      'content-length': '10',
    },
    { name: 'alice', groups: ['devs', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': ['JTI=1'], empty: [] } },
  );
  assert.deepEqual(got, {
    accept: 'application/json',
    'user-agent': 'kubectl/v1.33',
    'X-Remote-User': 'alice',
    'X-Remote-Group': ['devs', 'system:authenticated'],
    'X-Remote-Extra-authentication.kubernetes.io%2Fcredential-id': ['JTI=1'],
  });
});

test('proxyRequestHeaders appends the client address to X-Forwarded-For', () => {
  const user = { name: 'alice', groups: [] };
  assert.equal(proxyRequestHeaders({}, user, '::ffff:10.1.2.3')['x-forwarded-for'], '10.1.2.3');
  assert.equal(proxyRequestHeaders({ 'x-forwarded-for': '192.0.2.7' }, user, '10.1.2.3')['x-forwarded-for'], '192.0.2.7, 10.1.2.3');
  assert.equal(proxyRequestHeaders({}, user)['x-forwarded-for'], undefined);
});

test('describeDialError words node errors as Go does', () => {
  const err = (code: string, message = code) => Object.assign(new Error(message), { code });
  const cases: Array<[unknown, string, number, string]> = [
    [err('ECONNREFUSED'), '127.0.0.1', 8443, 'dial tcp 127.0.0.1:8443: connect: connection refused'],
    [err('ECONNREFUSED'), '::1', 8443, 'dial tcp [::1]:8443: connect: connection refused'],
    [err('ETIMEDOUT'), '10.0.0.1', 443, 'dial tcp 10.0.0.1:443: i/o timeout'],
    [err('ENOTFOUND'), 'nowhere.example', 443, 'dial tcp: lookup nowhere.example: no such host'],
    [err('ECONNRESET'), '10.0.0.1', 443, 'read tcp 10.0.0.1:443: read: connection reset by peer'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), '10.0.0.1', 443, 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    [err('CERT_HAS_EXPIRED', 'certificate has expired'), '10.0.0.1', 443, 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid'],
    [new Error('socket hang up'), '10.0.0.1', 443, 'socket hang up'],
  ];
  for (const [e, host, port, want] of cases) assert.equal(describeDialError(e, host, port), want);
});

test('ProxyTransports: one agent per APIService TLS setup, replaced on change, dropped with the APIService', () => {
  const transports = new ProxyTransports(undefined);
  try {
    const svc = (caBundle: string) => ({ metadata: { name: 'v1.x.io' }, spec: { group: 'x.io', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1, caBundle, service: { namespace: 'm', name: 'api', port: 443 } } });
    const first = transports.agentFor(svc('Y2E='));
    assert.equal(transports.agentFor(svc('Y2E=')), first);
    assert.equal(transports.tlsOptions(svc('Y2E=')).servername, 'api.m.svc');
    assert.equal(transports.tlsOptions(svc('Y2E=')).ca, 'ca');
    assert.equal(transports.tlsOptions(svc('Y2E='), true).rejectUnauthorized, false);
    const probe = transports.agentFor(svc('Y2E='), true);
    assert.notEqual(probe, first);
    const rotated = transports.agentFor(svc('Y2Ey'));
    assert.notEqual(rotated, first);
    transports.retain(new Set(['v1.x.io']));
    assert.equal(transports.agentFor(svc('Y2Ey')), rotated);
    transports.retain(new Set());
    assert.notEqual(transports.agentFor(svc('Y2Ey')), rotated);
  } finally {
    transports.close();
  }
});
