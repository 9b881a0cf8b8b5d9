// The CSR controllers against fakes: which requests each built-in signer may issue (upstream's messages),
// signing with validity capped by --cluster-signing-duration, auto-approval of kubelet client requests
// after a SubjectAccessReview, and the cleaner's deadlines.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { GroupVersionResource, Interface, KubeObject, ResourceInterface } from '../../../client/rest/interface.js';
import { newSelfSignedCACert } from '../../../pki/certificate.js';
import { createCSR, parseCSR, type CSRSubject } from '../../../pki/csr.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../../../pki/keys.js';
import { metaTime } from '../../conditions.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { CSRApprovingController, subjectAccessReviewsResource } from './approving-controller.js';
import { cleanupReason } from './cleaner-controller.js';
import { csrsResource, validateForSigner, type CertificateSigningRequest } from './csr.js';
import { CSRSigningController, signerCAsFromOptions } from './signing-controller.js';

const logger = newLogger({ write: () => {} });
const start = Date.UTC(2026, 5, 1);

async function requestFor(subject: CSRSubject): Promise<string> {
  return Buffer.from(await createCSR({ key: await generatePrivateKey('ecdsa'), subject })).toString('base64');
}

function csr(name: string, request: string, signerName: string, usages: string[], extra: Partial<CertificateSigningRequest['spec']> = {}, conditions: NonNullable<CertificateSigningRequest['status']>['conditions'] = []): CertificateSigningRequest {
  return { metadata: { name, resourceVersion: '1', creationTimestamp: metaTime(start) }, spec: { request, signerName, usages, ...extra }, status: { conditions } };
}

const approved = [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: metaTime(start) }];

test('validateForSigner accepts and refuses with upstream messages', async () => {
  const node = await parseCSR(Buffer.from(await requestFor({ commonName: 'system:node:n1', organization: ['system:nodes'] }), 'base64'));
  const nodeServing = await parseCSR(Buffer.from(await requestFor({ commonName: 'system:node:n1', organization: ['system:nodes'], dnsNames: ['n1'], ips: ['10.0.0.1'] }), 'base64'));
  const user = await parseCSR(Buffer.from(await requestFor({ commonName: 'jane', organization: ['dev'] }), 'base64'));
  const cases: Array<{ name: string; signer: string; req: typeof node; usages: string[]; error?: string }> = [
    { name: 'client ok', signer: 'kubernetes.io/kube-apiserver-client', req: user, usages: ['digital signature', 'client auth'] },
    { name: 'client server auth', signer: 'kubernetes.io/kube-apiserver-client', req: user, usages: ['client auth', 'server auth'], error: 'invalid usage for client certificate: server auth' },
    { name: 'client no client auth', signer: 'kubernetes.io/kube-apiserver-client', req: user, usages: ['digital signature'], error: 'invalid usage for client certificate, missing client auth' },
    { name: 'kubelet client ok', signer: 'kubernetes.io/kube-apiserver-client-kubelet', req: node, usages: ['digital signature', 'key encipherment', 'client auth'] },
    { name: 'kubelet client wrong org', signer: 'kubernetes.io/kube-apiserver-client-kubelet', req: user, usages: ['digital signature', 'client auth'], error: 'subject organization is not system:nodes' },
    { name: 'kubelet client SANs', signer: 'kubernetes.io/kube-apiserver-client-kubelet', req: nodeServing, usages: ['digital signature', 'client auth'], error: 'DNS subjectAltNames are not allowed' },
    { name: 'kubelet client usages', signer: 'kubernetes.io/kube-apiserver-client-kubelet', req: node, usages: ['client auth'], error: 'usages did not match [client auth digital signature key encipherment]' },
    { name: 'serving ok', signer: 'kubernetes.io/kubelet-serving', req: nodeServing, usages: ['digital signature', 'server auth'] },
    { name: 'serving without SANs', signer: 'kubernetes.io/kubelet-serving', req: node, usages: ['digital signature', 'server auth'], error: 'DNS or IP subjectAltName is required' },
    { name: 'legacy anything', signer: 'kubernetes.io/legacy-unknown', req: user, usages: ['server auth'] },
  ];
  for (const c of cases) {
    if (c.error) assert.throws(() => validateForSigner(c.signer, c.req, c.usages), { message: c.error }, c.name);
    else assert.doesNotThrow(() => validateForSigner(c.signer, c.req, c.usages), c.name);
  }
});

async function signingSetup(csrs: CertificateSigningRequest[], certTTLSeconds = 365 * 24 * 3600) {
  const caKey = await generatePrivateKey('ecdsa');
  const ca = { certPEM: await newSelfSignedCACert({ key: caKey, commonName: 'test-ca', now: new Date(start - 3_600_000), validitySeconds: 10 * 365 * 24 * 3600 }), key: caKey };
  const client = new FakeClient(() => start);
  for (const c of csrs) client.seed(csrsResource, c);
  const signers = new Map([['kubernetes.io/kube-apiserver-client', ca], ['kubernetes.io/kube-apiserver-client-kubelet', ca]]);
  const informer = new FakeInformer(csrs);
  client.onWrite = (_gvr, obj) => informer.update(obj as CertificateSigningRequest);
  const controller = new CSRSigningController({ client, csrs: informer, signers, certTTLSeconds, queue: new RecordingQueue(), clock: new FakeClock(start), logger });
  const stored = (name: string) => client.objects.get(client.key(csrsResource, '', name)) as CertificateSigningRequest;
  return { client, controller, ca, stored };
}

test('the signer issues approved requests of its signers only, capped by the signing duration', async () => {
  const userReq = await requestFor({ commonName: 'jane', organization: ['dev'] });
  const s = await signingSetup(
    [
      csr('ok', userReq, 'kubernetes.io/kube-apiserver-client', ['digital signature', 'client auth'], { expirationSeconds: 3600 }, approved),
      csr('pending', userReq, 'kubernetes.io/kube-apiserver-client', ['client auth']),
      csr('bad-usage', userReq, 'kubernetes.io/kube-apiserver-client', ['server auth'], {}, approved),
      csr('other-signer', userReq, 'example.com/custom', ['client auth'], {}, approved),
      csr('too-long', userReq, 'kubernetes.io/kube-apiserver-client', ['client auth'], { expirationSeconds: 10 * 365 * 24 * 3600 }, approved),
    ],
    30 * 24 * 3600,
  );
  for (const name of ['ok', 'pending', 'bad-usage', 'other-signer', 'too-long']) await s.controller.sync(name);
  const cert = new X509Certificate(Buffer.from(s.stored('ok').status!.certificate!, 'base64'));
  assert.ok(cert.verify(new X509Certificate(s.ca.certPEM).publicKey), 'signed by the CA');
  assert.match(cert.subject, /CN=jane/);
  assert.equal(Date.parse(cert.validTo), start + 3_600_000);
  assert.equal(Date.parse(cert.validFrom), start - 300_000, 'backdated five minutes');
  const long = new X509Certificate(Buffer.from(s.stored('too-long').status!.certificate!, 'base64'));
  assert.equal(Date.parse(long.validTo), start + 30 * 24 * 3_600_000);
  assert.equal(s.stored('pending').status?.certificate, undefined);
  assert.equal(s.stored('other-signer').status?.certificate, undefined);
  const failed = s.stored('bad-usage').status!.conditions!.find((c) => c.type === 'Failed')!;
  assert.deepEqual([failed.status, failed.reason, failed.message], ['True', 'SignerValidationFailure', 'invalid usage for client certificate: server auth']);
  assert.equal(s.controller.durationSeconds(60), 600, 'at least ten minutes');
  const writes = s.client.writes().length;
  await s.controller.sync('ok');
  assert.equal(s.client.writes().length, writes, 'an issued request is not signed again');
});

/** A FakeClient whose SubjectAccessReviews answer `allowed(spec)`. */
function withSAR(client: FakeClient, allowed: (spec: Record<string, unknown>) => boolean): Interface {
  return {
    host: client.host,
    userAgent: client.userAgent,
    raw: (r) => client.raw(r),
    close: () => client.close(),
    resource<T extends KubeObject>(gvr: GroupVersionResource, ns?: string): ResourceInterface<T> {
      const inner = client.resource<T>(gvr, ns);
      if (gvr.resource !== subjectAccessReviewsResource.resource) return inner;
      return { ...inner, create: async (obj: T) => ({ ...obj, status: { allowed: allowed((obj as unknown as { spec: Record<string, unknown> }).spec) } }) as T };
    },
  };
}

test('kubelet client requests are approved after a SubjectAccessReview for selfnodeclient or nodeclient', async () => {
  const nodeReq = await requestFor({ commonName: 'system:node:n1', organization: ['system:nodes'] });
  const usages = ['digital signature', 'client auth'];
  const signer = 'kubernetes.io/kube-apiserver-client-kubelet';
  const csrs = [
    csr('renewal', nodeReq, signer, usages, { username: 'system:node:n1', groups: ['system:nodes'] }),
    csr('bootstrap', nodeReq, signer, usages, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] }),
    csr('denied-sar', nodeReq, signer, usages, { username: 'mallory' }),
    csr('user-cert', await requestFor({ commonName: 'jane' }), 'kubernetes.io/kube-apiserver-client', ['client auth'], { username: 'jane' }),
  ];
  const fake = new FakeClient(() => start);
  for (const c of csrs) fake.seed(csrsResource, c);
  const reviews: string[] = [];
  const client = withSAR(fake, (spec) => {
    const attrs = spec.resourceAttributes as { subresource: string };
    reviews.push(`${String(spec.user)}:${attrs.subresource}`);
    return spec.user !== 'mallory';
  });
  const controller = new CSRApprovingController({ client, csrs: new FakeInformer(csrs), queue: new RecordingQueue(), clock: new FakeClock(start), logger });
  await controller.sync('renewal');
  await controller.sync('bootstrap');
  await assert.rejects(controller.sync('denied-sar'), /recognized csr "denied-sar" as \[nodeclient\] but subject access review was not approved/);
  await controller.sync('user-cert');
  assert.deepEqual(reviews, ['system:node:n1:selfnodeclient', 'system:bootstrap:abcdef:nodeclient', 'mallory:nodeclient']);
  // The fake keeps status on non-status writes, so look at what was sent to /approval.
  const stored = (n: string) => fake.writes().find((w) => w.name === n)?.body as CertificateSigningRequest | undefined ?? { spec: { request: '', signerName: '' }, status: { conditions: [] } };
  assert.deepEqual(
    stored('renewal').status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
    [['Approved', 'True', 'AutoApproved', 'Auto approving self kubelet client certificate after SubjectAccessReview.']],
  );
  assert.equal(stored('bootstrap').status!.conditions![0]!.message, 'Auto approving kubelet client certificate after SubjectAccessReview.');
  assert.deepEqual(stored('user-cert').status?.conditions, []);
  assert.ok(fake.writes().every((w) => w.subresource === 'approval'));
});

test('the cleaner deletes finished, stale and expired requests only', async () => {
  const req = await requestFor({ commonName: 'jane' });
  const s = await signingSetup([csr('issued', req, 'kubernetes.io/kube-apiserver-client', ['client auth'], { expirationSeconds: 600 }, approved)]);
  await s.controller.sync('issued');
  const issued = s.stored('issued');
  const hour = 3_600_000;
  const at = (ms: number) => metaTime(start + ms);
  const cases: Array<{ name: string; csr: CertificateSigningRequest; now: number; want: string | undefined }> = [
    { name: 'fresh pending', csr: csr('p', req, 's', []), now: start + 23 * hour, want: undefined },
    { name: 'old pending', csr: csr('p', req, 's', []), now: start + 25 * hour, want: 'it is more than 24h0m0s old and unhandled' },
    { name: 'recently denied', csr: csr('d', req, 's', [], {}, [{ type: 'Denied', status: 'True', lastUpdateTime: at(0) }]), now: start + 30 * 60_000, want: undefined },
    { name: 'denied an hour ago', csr: csr('d', req, 's', [], {}, [{ type: 'Denied', status: 'True', lastUpdateTime: at(0) }]), now: start + 2 * hour, want: 'it is more than 1h0m0s old and denied' },
    { name: 'failed', csr: csr('f', req, 's', [], {}, [{ type: 'Failed', status: 'True', lastUpdateTime: at(0) }]), now: start + 2 * hour, want: 'it is more than 1h0m0s old and failed' },
    { name: 'approved, not issued', csr: csr('a', req, 's', [], {}, approved), now: start + 2 * hour, want: undefined },
    { name: 'issued, cert expired', csr: issued, now: start + 11 * 60_000, want: 'its certificate has expired' },
    { name: 'issued, fresh', csr: issued, now: start + 5 * 60_000, want: undefined },
  ];
  for (const c of cases) assert.equal(cleanupReason(c.csr, c.now), c.want, c.name);
});

test('signer CAs: the shared pair for every signer, or per-signer pairs, never both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-signers-'));
  try {
    const write = async (name: string) => {
      const key = await generatePrivateKey('ecdsa');
      writeFileSync(join(dir, `${name}.crt`), await newSelfSignedCACert({ key, commonName: name, now: new Date(start), validitySeconds: 3600 }));
      writeFileSync(join(dir, `${name}.key`), encodePrivateKeyPEM(key));
      return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
    };
    const shared = await write('shared');
    const serving = await write('serving');
    const empty = { certFile: '', keyFile: '' };
    const all = signerCAsFromOptions({ clusterSigningCertFile: shared.certFile, clusterSigningKeyFile: shared.keyFile, clusterSigningSignerFiles: {} });
    assert.deepEqual([...all.keys()].sort(), ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown']);
    const own = signerCAsFromOptions({ clusterSigningCertFile: '', clusterSigningKeyFile: '', clusterSigningSignerFiles: { 'kubelet-serving': serving, 'kubelet-client': empty } });
    assert.deepEqual([...own.keys()], ['kubernetes.io/kubelet-serving']);
    assert.throws(
      () => signerCAsFromOptions({ clusterSigningCertFile: shared.certFile, clusterSigningKeyFile: shared.keyFile, clusterSigningSignerFiles: { 'kubelet-serving': serving } }),
      /cannot specify --cluster-signing-\{cert,key\}-file and other --cluster-signing-\*-file flags at the same time/,
    );
    assert.equal(signerCAsFromOptions({ clusterSigningCertFile: '', clusterSigningKeyFile: '' }).size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
