// CSR approval and status subresources through the in-process apiserver: what each of the main resource,
// /approval and /status may change, with upstream's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestServer, type TestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../strategies.js';

const url = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const now = new Date('2026-01-02T03:04:05Z');

async function newServer(): Promise<TestServer> {
  return newTestServer({ strategyFor: (g, r) => strategyFor(g, r, { now: () => now }) });
}

async function createCSR(s: TestServer, name: string) {
  const res = await s.request('POST', url, {
    body: { metadata: { name }, spec: { request: 'LS0tLS1CRUdJTg==', signerName: 'example.com/signer', usages: ['client auth'] }, status: { conditions: [{ type: 'Approved', status: 'True' }] } },
  });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.status, {}, 'create drops the status');
  return res.json;
}

const approve = (type: string, extra: Record<string, unknown> = {}) => ({ type, status: 'True', reason: 'KubectlApprove', message: 'approved', ...extra });

test('/approval adds an Approved condition with timestamps; the main resource cannot', async () => {
  const s = await newServer();
  const csr = await createCSR(s, 'c1');
  const viaMain = await s.request('PUT', `${url}/c1`, { body: { ...csr, status: { conditions: [approve('Approved')] } } });
  assert.equal(viaMain.status, 200, viaMain.text);
  assert.deepEqual(viaMain.json.status, {}, 'the main resource ignores status');

  const res = await s.request('PUT', `${url}/c1/approval`, { body: { ...csr, spec: { ...csr.spec, signerName: 'other/x' }, status: { conditions: [approve('Approved')] } } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.spec.signerName, 'example.com/signer', 'approval keeps the spec');
  assert.deepEqual(res.json.status.conditions, [
    { ...approve('Approved'), lastUpdateTime: '2026-01-02T03:04:05Z', lastTransitionTime: '2026-01-02T03:04:05Z' },
  ]);
  const got = await s.request('GET', `${url}/c1/approval`);
  assert.equal(got.status, 200);
  assert.equal(got.json.status.conditions[0].type, 'Approved');
  s.close();
});

test('condition rules on /approval, /status and the main resource', async () => {
  const s = await newServer();
  const base = await createCSR(s, 'c2');
  const approved = (await s.request('PUT', `${url}/c2/approval`, { body: { ...base, status: { conditions: [approve('Approved')] } } })).json;
  const cases: Array<{ name: string; path: string; conditions: unknown[]; extra?: Record<string, unknown>; message: string }> = [
    {
      name: 'Approved and Denied together',
      path: 'approval',
      conditions: [approve('Approved'), approve('Denied')],
      message: 'CertificateSigningRequest.certificates.k8s.io "c2" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    },
    { name: 'removing Approved', path: 'approval', conditions: [], message: 'CertificateSigningRequest.certificates.k8s.io "c2" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Approved"' },
    {
      name: 'Approved must be True',
      path: 'approval',
      conditions: [approve('Approved', { status: 'False' })],
      message: 'CertificateSigningRequest.certificates.k8s.io "c2" is invalid: status.conditions[0].status: Unsupported value: "False": supported values: "True"',
    },
    {
      name: 'status cannot add Denied',
      path: 'status',
      conditions: [approve('Approved'), approve('Denied')],
      message: 'CertificateSigningRequest.certificates.k8s.io "c2" is invalid: [status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive, status.conditions: Forbidden: updates may not add a condition of type "Denied"]',
    },
  ];
  for (const c of cases) {
    const res = await s.request('PUT', `${url}/c2/${c.path}`, { body: { ...approved, status: { conditions: c.conditions } } });
    assert.equal(res.status, 422, `${c.name}: ${res.text}`);
    assert.equal(res.json.message, c.message, c.name);
  }
  s.close();
});

test('/status sets the certificate once and keeps the approval conditions', async () => {
  const s = await newServer();
  const base = await createCSR(s, 'c3');
  const approved = (await s.request('PUT', `${url}/c3/approval`, { body: { ...base, status: { conditions: [approve('Approved')] } } })).json;
  const viaApproval = await s.request('PUT', `${url}/c3/approval`, { body: { ...approved, status: { ...approved.status, certificate: 'Y2VydA==' } } });
  assert.equal(viaApproval.status, 200, viaApproval.text);
  assert.equal(viaApproval.json.status.certificate, undefined, '/approval ignores the certificate');

  const issued = await s.request('PUT', `${url}/c3/status`, { body: { ...approved, status: { ...approved.status, certificate: 'Y2VydA==' } } });
  assert.equal(issued.status, 200, issued.text);
  assert.equal(issued.json.status.certificate, 'Y2VydA==');
  assert.equal(issued.json.status.conditions[0].type, 'Approved');

  const again = await s.request('PUT', `${url}/c3/status`, { body: { ...issued.json, status: { ...issued.json.status, certificate: 'b3RoZXI=' } } });
  assert.equal(again.status, 422, again.text);
  assert.match(again.json.message, /status.certificate: Forbidden: updates may not modify existing certificate content$/);

  const failed = await s.request('PUT', `${url}/c3/status`, {
    body: { ...issued.json, status: { ...issued.json.status, conditions: [...issued.json.status.conditions, { type: 'Failed', status: 'True', reason: 'SignerError' }] } },
  });
  assert.equal(failed.status, 200, failed.text);
  assert.deepEqual(failed.json.status.conditions.map((c: { type: string }) => c.type), ['Approved', 'Failed']);
  s.close();
});

test('create records the requesting user in spec and ignores what the body claims', () => {
  const strategy = strategyFor('certificates.k8s.io', 'certificatesigningrequests')!;
  const obj = { spec: { request: 'x', signerName: 'kubernetes.io/kube-apiserver-client', username: 'forged', groups: ['system:masters'] }, status: { conditions: [{ type: 'Approved' }] } };
  strategy.prepareForCreate!(obj, { namespace: '', dryRun: false, user: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': ['x'] } } });
  assert.deepEqual(obj.spec, {
    request: 'x',
    signerName: 'kubernetes.io/kube-apiserver-client',
    username: 'system:bootstrap:abcdef',
    groups: ['system:bootstrappers', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': ['x'] },
  });
  assert.deepEqual(obj.status, {}, 'never created approved');
  const anonymous = { spec: { request: 'x', username: 'forged' } };
  strategy.prepareForCreate!(anonymous, { namespace: '', dryRun: false });
  assert.deepEqual(anonymous.spec, { request: 'x' });
});
