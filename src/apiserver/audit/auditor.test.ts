// RequestAudit: the events a request produces per level and stage, with upstream's fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { parseRequestInfo } from '../request-info.js';
import { Auditor, microTime, type AuditEvent } from './auditor.js';
import { newPolicyRuleEvaluator, parsePolicy } from './policy.js';

function setup(rules: string) {
  const lines: string[] = [];
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0) + 0.5);
  const policy = parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${rules}`, 'p');
  const auditor = new Auditor({ evaluate: newPolicyRuleEvaluator(policy), sink: { write: (l) => void lines.push(l), close: () => undefined }, clock });
  const events = () => lines.map((l) => JSON.parse(l) as AuditEvent);
  return { auditor, clock, events };
}

const alice = { name: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'] };
const secretBody = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', managedFields: [{ manager: 'kubectl' }] }, data: { a: 'Yg==' } };

function request(method: string, url: string, body?: unknown) {
  const u = new URL(url, 'https://x');
  const req = {
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: { 'user-agent': 'kubectl/v1.33.0', 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.9' } as Record<string, string>,
    body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)),
    connection: { remoteAddress: '::ffff:127.0.0.1' },
  };
  return { req, info: parseRequestInfo(method, u.pathname, u.searchParams) };
}

const reply = (status: number, body: unknown) => ({ status, headers: { 'Content-Type': 'application/json' } as Record<string, string>, body: JSON.stringify(body) });

test('a create at RequestResponse: both stages, upstream fields, objectRef from the body, Audit-Id header', () => {
  const { auditor, clock, events } = setup('omitManagedFields: true\nrules:\n- level: RequestResponse\n');
  const { req, info } = request('POST', '/api/v1/namespaces/default/secrets?fieldManager=kubectl-create', secretBody);
  const audit = auditor.begin(req, info);
  audit.authenticated(alice);
  audit.authorized({ decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "x"' });
  clock.step(2);
  const res = audit.finish(reply(201, { ...secretBody, metadata: { ...secretBody.metadata, uid: 'obj-1' } }));
  assert.equal(res.headers['Audit-Id'], audit.auditID);
  const [received, complete] = events();
  assert.deepEqual(Object.keys(complete), [
    'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent', 'objectRef',
    'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations',
  ]);
  assert.equal(received.stage, 'RequestReceived');
  assert.equal(received.annotations, undefined, 'the decision comes after RequestReceived');
  assert.deepEqual({ ...complete, requestObject: undefined, responseObject: undefined }, {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: audit.auditID,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/secrets?fieldManager=kubectl-create',
    verb: 'create',
    user: { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'] },
    sourceIPs: ['10.0.0.9', '127.0.0.1'],
    userAgent: 'kubectl/v1.33.0',
    objectRef: { resource: 'secrets', namespace: 'default', name: 's1', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: undefined,
    responseObject: undefined,
    requestReceivedTimestamp: '2026-11-22T09:00:00.000500Z',
    stageTimestamp: '2026-11-22T09:00:00.002500Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "x"' },
  });
  const objects = [complete.requestObject, complete.responseObject] as Array<{ metadata: Record<string, unknown> }>;
  for (const o of objects) assert.equal(o.metadata.managedFields, undefined, 'omitManagedFields');
  assert.equal(objects[1].metadata.uid, 'obj-1');
});

test('levels decide which objects are logged; omitStages drops stages; None logs nothing', () => {
  const cases = [
    { level: 'Metadata', stages: ['RequestReceived', 'ResponseComplete'], requestObject: false, responseObject: false },
    { level: 'Request', stages: ['RequestReceived', 'ResponseComplete'], requestObject: true, responseObject: false },
    { level: 'RequestResponse', stages: ['ResponseComplete'], omit: 'RequestReceived', requestObject: true, responseObject: true },
    { level: 'None', stages: [], requestObject: false, responseObject: false },
  ];
  for (const c of cases) {
    const { auditor, events } = setup(`rules:\n- level: ${c.level}\n${c.omit ? `  omitStages: [${c.omit}]\n` : ''}`);
    const { req, info } = request('PUT', '/api/v1/namespaces/default/secrets/s1', secretBody);
    const audit = auditor.begin(req, info);
    audit.authenticated(alice);
    audit.finish(reply(200, secretBody));
    const got = events();
    assert.deepEqual(got.map((e) => e.stage), c.stages, c.level);
    for (const e of got) {
      assert.equal('requestObject' in e, c.requestObject, `${c.level} requestObject`);
      assert.equal('responseObject' in e && e.stage === 'ResponseComplete', c.responseObject, `${c.level} responseObject`);
    }
  }
});

test('failures: 401 without a user, 403 with the forbid decision, Panic for unexpected errors', () => {
  const { auditor, events } = setup('rules:\n- level: Metadata\n');
  const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  let r = request('GET', '/api/v1/namespaces/default/secrets');
  auditor.begin(r.req, r.info).finish(reply(401, status(401, 'Unauthorized', 'Unauthorized')));
  r = request('GET', '/api/v1/namespaces/default/secrets');
  const denied = auditor.begin(r.req, r.info);
  denied.authenticated(alice);
  denied.authorized({ decision: 'noOpinion', reason: '' });
  denied.finish(reply(403, status(403, 'Forbidden', 'secrets is forbidden')));
  r = request('GET', '/version');
  const crashed = auditor.begin(r.req, r.info);
  crashed.authenticated(alice);
  crashed.finish(reply(500, status(500, 'InternalError', 'x')), new Error('boom'));
  const got = events().filter((e) => e.stage !== 'RequestReceived');
  assert.deepEqual(got[0].user, {});
  assert.deepEqual(got[0].responseStatus, { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  assert.deepEqual(got[1].annotations, { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' });
  assert.equal(got[1].responseStatus?.code, 403);
  assert.equal(got[2].stage, 'Panic');
  assert.equal(got[2].objectRef, undefined, 'non-resource requests have no objectRef');
  assert.equal(got[2].responseStatus?.message, "APIServer panic'd: boom");
});

test('streams: ResponseStarted when the reply starts, ResponseComplete when the stream ends; impersonation', async () => {
  const { auditor, events } = setup('rules:\n- level: Metadata\n  omitStages: [RequestReceived]\n');
  const { req, info } = request('GET', '/api/v1/namespaces/default/pods?watch=1');
  req.headers['audit-id'] = 'from-the-client';
  const audit = auditor.begin(req, info);
  audit.authenticated(alice);
  audit.impersonated({ name: 'bob', groups: ['system:authenticated'] });
  const res = audit.finish({ status: 200, headers: {} as Record<string, string>, stream: (async function* () { yield 'a'; })() });
  assert.deepEqual(events().map((e) => e.stage), ['ResponseStarted']);
  const chunks: string[] = [];
  for await (const c of res.stream) chunks.push(c);
  assert.deepEqual(chunks, ['a']);
  const got = events();
  assert.deepEqual(got.map((e) => `${e.stage} ${e.verb} ${e.auditID} ${e.impersonatedUser?.username}`), ['ResponseStarted watch from-the-client bob', 'ResponseComplete watch from-the-client bob']);
  assert.equal(res.headers['Audit-Id'], 'from-the-client');
});

test('microTime has six fractional digits', () => {
  for (const [ms, text] of [
    [Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.9, '2026-01-02T03:04:05.678900Z'],
    [Date.UTC(2026, 0, 2, 3, 4, 5), '2026-01-02T03:04:05.000000Z'],
  ] as const) {
    assert.equal(microTime(ms), text);
  }
});
