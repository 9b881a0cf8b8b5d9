import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { createCSR } from '../../../pki/csr.js';
import type { Attributes, Authorizer } from '../../authorization/interface.js';
import { testAttributes } from '../test-attributes.js';
import { newCertificateApproval } from './certificate-approval.js';
import { newCertificateSigning } from './certificate-signing.js';
import { newCertificateSubjectRestriction } from './certificate-subject-restriction.js';

/** Allows exactly the (user, verb, signer name) triples listed. */
function allowing(grants: string[]): Authorizer {
  return { authorize: async (a: Attributes) => ({ decision: grants.includes(`${a.user.name} ${a.verb} ${a.resource}/${a.name}`) ? 'allow' : 'noOpinion', reason: '' }) };
}

const csr = (signerName: string, status?: { certificate?: string }) => ({ metadata: { name: 'req' }, spec: { signerName, request: '', usages: ['client auth'] }, status });
const write = (subresource: string, user: string, obj: object, old: object) =>
  testAttributes({ operation: 'UPDATE', group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', resource: 'certificatesigningrequests', subresource, object: obj as never, oldObject: old as never, user: { name: user, groups: [] } });

test('approve and sign take the verb on the signer (or its domain wildcard)', async () => {
  const authorizer = allowing(['alice approve signers/example.com/foo', 'bob approve signers/example.com/*', 'carol sign signers/example.com/foo']);
  const approval = newCertificateApproval({ authorizer });
  const signing = newCertificateSigning({ authorizer });
  const cases = [
    { plugin: approval, sub: 'approval', user: 'alice', obj: csr('example.com/foo'), old: csr('example.com/foo'), err: undefined },
    { plugin: approval, sub: 'approval', user: 'bob', obj: csr('example.com/foo'), old: csr('example.com/foo'), err: undefined },
    { plugin: approval, sub: 'approval', user: 'carol', obj: csr('example.com/foo'), old: csr('example.com/foo'), err: 'user not permitted to approve requests with signerName "example.com/foo"' },
    { plugin: signing, sub: 'status', user: 'carol', obj: csr('example.com/foo', { certificate: 'Y2VydA==' }), old: csr('example.com/foo'), err: undefined },
    { plugin: signing, sub: 'status', user: 'alice', obj: csr('example.com/foo', { certificate: 'Y2VydA==' }), old: csr('example.com/foo'), err: 'user not permitted to sign requests with signerName "example.com/foo"' },
    { plugin: signing, sub: 'status', user: 'alice', obj: csr('example.com/foo', {}), old: csr('example.com/foo'), err: undefined },
  ];
  for (const c of cases) {
    const run = c.plugin.validate!(write(c.sub, c.user, c.obj, c.old));
    if (c.err) await assert.rejects(run, { code: 403, message: `certificatesigningrequests.certificates.k8s.io "req" is forbidden: ${c.err}` });
    else await run;
  }
});

test('no system:masters certificates from the kube-apiserver-client signer', async () => {
  const plugin = newCertificateSubjectRestriction();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const request = async (organization: string[]) => Buffer.from(await createCSR({ key: privateKey, subject: { commonName: 'mallory', organization } })).toString('base64');
  const create = async (signerName: string, req: string) =>
    plugin.validate!(
      testAttributes({ group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', resource: 'certificatesigningrequests', object: { metadata: { name: 'req' }, spec: { signerName, request: req } } as never }),
    );
  await create('kubernetes.io/kube-apiserver-client', await request(['developers']));
  await create('example.com/foo', await request(['system:masters']));
  await assert.rejects(create('kubernetes.io/kube-apiserver-client', await request(['developers', 'system:masters'])), {
    code: 403,
    message: 'certificatesigningrequests.certificates.k8s.io "req" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
  });
  await assert.rejects(create('kubernetes.io/kube-apiserver-client', 'bm90IGEgY3Ny'), (e: Error) => e.message.includes('failed to parse CSR: PEM block type must be CERTIFICATE REQUEST'));
});
