// End to end auditing with the real binary and kubectl: --audit-policy-file + --audit-log-path under RBAC with
// --token-auth-file users; a kubectl create/get/delete produces the events and levels the policy asks for,
// secrets never reach the log at Metadata level, a denied request carries the forbid decision, impersonation
// names both users, and every response has the event's Audit-Id.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditEvent } from '../../src/apiserver/audit/auditor.js';
import { startAPIServer } from '../harness/apiserver-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl, type KubectlVersion } from '../harness/kubectl.js';

const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitManagedFields: true
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/api", "/api/*", "/apis", "/apis/*", "/openapi/*"]
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
    omitStages: [RequestReceived]
  - level: RequestResponse
    users: [alice]
    resources:
      - group: ""
        resources: [configmaps]
  - level: Request
    verbs: [delete, list]
`;

/** GET with a bearer token; resolves to the status and the Audit-Id header. */
function get(port: number, path: string, token: string): Promise<{ status: number; auditID: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, auditID: String(res.headers['audit-id'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('kubectl create/get/delete are audited with the levels the policy asks for', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-'));
  await writeFile(join(dir, 'policy.yaml'), policy);
  await writeFile(join(dir, 'tokens.csv'), 'alice-token,alice,1001,"dev,system:masters"\nbob-token,bob,1002,dev\n');
  const server = await startAPIServer({
    backend: 'memory',
    dataDir: dir,
    extraArgs: [
      '--authorization-mode=RBAC',
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      `--audit-policy-file=${join(dir, 'policy.yaml')}`,
      `--audit-log-path=${join(dir, 'audit.log')}`,
      '--audit-log-maxsize=10',
      '--audit-log-maxbackup=2',
    ],
  });
  t.after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const kubeconfig = join(server.dataDir, 'alice.yaml');
  await writeKubeconfig({ path: kubeconfig, server: server.url, caPEM: server.caPEM, token: 'alice-token' });
  const run = async (args: string[], version: KubectlVersion = '1.33') => {
    const r = await kubectl({ version, kubeconfig, args });
    assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
    return r.stdout;
  };
  await run(['create', 'configmap', 'c1', '--from-literal=k=v']);
  await run(['get', 'configmap', 'c1', '-o', 'json'], '1.27');
  await run(['delete', 'configmap', 'c1']);
  await run(['create', 'secret', 'generic', 's1', '--from-literal=password=p4ssw0rd-in-the-log?']);
  await run(['get', 'secret', 's1', '-o', 'yaml']);
  await run(['delete', 'secret', 's1']);
  const impersonating = await kubectl({ version: '1.33', kubeconfig, args: ['get', 'configmap', 'impersonated', '--as=bob'] });
  assert.match(impersonating.stderr, /configmaps "impersonated" is forbidden: User "bob" cannot get resource "configmaps"/);
  const denied = await get(server.securePort, '/api/v1/namespaces/default/configmaps', 'bob-token');
  assert.equal(denied.status, 403);
  const allowed = await get(server.securePort, '/api/v1/namespaces/default/configmaps', 'alice-token');
  assert.equal(allowed.status, 200);

  const text = await readFile(join(server.dataDir, 'audit.log'), 'utf8');
  assert.ok(!text.includes('p4ssw0rd') && !text.includes(Buffer.from('p4ssw0rd-in-the-log?').toString('base64')), 'secret data is never logged at Metadata');
  const events = text.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
  for (const e of events) {
    assert.equal(e.kind, 'Event');
    assert.equal(e.apiVersion, 'audit.k8s.io/v1');
    assert.match(e.stageTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepEqual(e.sourceIPs, ['127.0.0.1']);
  }
  const about = (resource: string, verb: string) => events.filter((e) => e.objectRef?.resource === resource && e.verb === verb).map((e) => `${e.level} ${e.stage} ${e.objectRef?.name ?? ''} ${e.responseStatus?.code ?? ''}`);
  assert.deepEqual(about('configmaps', 'create'), ['RequestResponse RequestReceived c1 ', 'RequestResponse ResponseComplete c1 201']);
  // kubectl delete waits for the object to be gone: its GETs answer 404.
  const gets = about('configmaps', 'get').filter((g) => g.includes(' c1 '));
  assert.deepEqual(gets.slice(0, 2), ['RequestResponse RequestReceived c1 ', 'RequestResponse ResponseComplete c1 200']);
  assert.ok(gets.slice(2).every((g) => g === 'RequestResponse RequestReceived c1 ' || g === 'RequestResponse ResponseComplete c1 404'), gets.join('\n'));
  assert.deepEqual(about('configmaps', 'delete'), ['RequestResponse RequestReceived c1 ', 'RequestResponse ResponseComplete c1 200']);
  assert.deepEqual(about('secrets', 'create'), ['Metadata ResponseComplete s1 201']);
  assert.deepEqual(about('secrets', 'get')[0], 'Metadata ResponseComplete s1 200');
  assert.deepEqual(about('secrets', 'delete'), ['Metadata ResponseComplete s1 200']);

  const created = events.find((e) => e.verb === 'create' && e.objectRef?.resource === 'configmaps' && e.stage === 'ResponseComplete')!;
  assert.deepEqual(created.user, { username: 'alice', uid: '1001', groups: ['dev', 'system:masters', 'system:authenticated'] });
  assert.match(created.userAgent ?? '', /^kubectl/);
  assert.deepEqual((created.requestObject as { data: unknown }).data, { k: 'v' });
  const response = created.responseObject as { kind: string; metadata: Record<string, unknown> };
  assert.equal(response.kind, 'ConfigMap');
  assert.equal(response.metadata.managedFields, undefined, 'omitManagedFields');
  assert.equal(created.annotations?.['authorization.k8s.io/decision'], 'allow');
  // system:masters is allowed by upstream's privileged-group authorizer, which gives no reason.
  assert.equal(created.annotations?.['authorization.k8s.io/reason'], '');
  assert.match(created.requestURI, /^\/api\/v1\/namespaces\/default\/configmaps\?fieldManager=kubectl-create/);

  // bob's list: the Request rule (verbs), a 403 with the forbid decision; alice's list matched her own rule.
  const bobs = events.filter((e) => e.auditID === denied.auditID);
  assert.deepEqual(bobs.map((e) => `${e.level} ${e.stage} ${e.user.username} ${e.responseStatus?.code ?? ''}`), ['Request RequestReceived bob ', 'Request ResponseComplete bob 403']);
  assert.equal(bobs[1].annotations?.['authorization.k8s.io/decision'], 'forbid');
  assert.equal(bobs[1].responseStatus?.reason, 'Forbidden');
  assert.deepEqual(events.filter((e) => e.auditID === allowed.auditID).map((e) => e.level), ['RequestResponse', 'RequestResponse']);
  // Impersonation: the policy saw the requestor (alice's rule), the event names both users.
  const asBob = events.filter((e) => e.objectRef?.name === 'impersonated' && e.stage === 'ResponseComplete');
  assert.deepEqual(
    asBob.map((e) => `${e.level} ${e.user.username} ${e.impersonatedUser?.username} ${e.responseStatus?.code} ${e.annotations?.['authorization.k8s.io/decision']}`),
    ['RequestResponse alice bob 403 forbid'],
  );
  assert.equal(events.filter((e) => e.requestURI.startsWith('/readyz') || e.requestURI === '/version').length, 0, 'None-level paths are not logged');
});
