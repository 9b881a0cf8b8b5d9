// The x509 authenticator: who a client certificate makes you, and upstream's errors for those it rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FakeClock } from '../../base/clock.js';
import { generatePrivateKey } from '../../pki/keys.js';
import { newSelfSignedCACert, newSignedCert, type CertificateConfig } from '../../pki/certificate.js';
import { certificateBlocks } from '../../pki/pem.js';
import type { AuthenticationRequest } from './interface.js';
import { credentialIDKey, newX509Authenticator } from './x509.js';

const start = Date.UTC(2026, 3, 1, 12, 0, 0);
const hour = 3600;

async function newCA(commonName: string) {
  const key = await generatePrivateKey('ecdsa');
  return { key, certPEM: await newSelfSignedCACert({ key, commonName, now: new Date(start), validitySeconds: 48 * hour }) };
}

function request(chain: Uint8Array[]): AuthenticationRequest {
  return { method: 'GET', path: '/api', query: new URLSearchParams(), headers: {}, connection: { peerCertificates: chain } };
}

test('x509 authenticator table', async () => {
  const ca = await newCA('kubernetes');
  const other = await newCA('other');
  const issue = async (issuer: typeof ca, config: CertificateConfig, at = start, validitySeconds = hour) =>
    certificateBlocks(await newSignedCert({ config, publicKey: await generatePrivateKey('ecdsa'), ca: issuer, now: new Date(at), validitySeconds }));
  const admin: CertificateConfig = { commonName: 'kubernetes-admin', organization: ['system:masters'], extKeyUsages: ['client auth'] };
  const good = await issue(ca, admin);
  const cases: Array<{ name: string; chain: Uint8Array[]; want: undefined | { user: string; groups: string[] } | RegExp }> = [
    { name: 'no certificate', chain: [], want: undefined },
    { name: 'admin', chain: good, want: { user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } },
    { name: 'node', chain: await issue(ca, { commonName: 'system:node:n1', organization: ['system:nodes'], extKeyUsages: ['client auth'] }), want: { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] } },
    { name: 'no groups', chain: await issue(ca, { commonName: 'jane', extKeyUsages: ['client auth'] }), want: { user: 'jane', groups: ['system:authenticated'] } },
    { name: 'empty CN: no opinion', chain: await issue(ca, { commonName: '', organization: ['x'], extKeyUsages: ['client auth'] }), want: undefined },
    { name: 'other CA', chain: await issue(other, admin), want: /^verifying certificate SN=\d+, SKID=, AKID=([0-9A-F]{2}:)+[0-9A-F]{2} failed: x509: certificate signed by unknown authority$/ },
    { name: 'expired', chain: await issue(ca, admin, start - 3 * hour * 1000), want: /failed: x509: certificate has expired or is not yet valid: current time 2026-04-01T12:00:00Z is after 2026-04-01T10:00:00Z$/ },
    { name: 'not yet valid', chain: await issue(ca, admin, start + 2 * hour * 1000), want: /failed: x509: certificate has expired or is not yet valid: current time 2026-04-01T12:00:00Z is before 2026-04-01T13:55:00Z$/ },
    { name: 'server auth only', chain: await issue(ca, { ...admin, extKeyUsages: ['server auth'] }), want: /failed: x509: certificate specifies an incompatible key usage$/ },
    { name: 'truncated DER', chain: [good[0]!.subarray(0, good[0]!.length - 40)], want: /^x509: failed to parse client certificate/ },
  ];
  for (const c of cases) {
    const auth = newX509Authenticator({ caBundlePEM: ca.certPEM, clock: new FakeClock(start) });
    const got = await auth.authenticate(request(c.chain));
    if (c.want === undefined) assert.equal(got, undefined, c.name);
    else if (c.want instanceof RegExp) {
      assert.ok(got && 'error' in got, c.name);
      assert.match(got.error, c.want, c.name);
    } else {
      assert.ok(got && 'user' in got, `${c.name}: ${JSON.stringify(got)}`);
      assert.deepEqual({ user: got.user.name, groups: got.user.groups }, c.want, c.name);
      assert.deepEqual(got.user.extra?.[credentialIDKey], [`X509SHA256=${createHash('sha256').update(c.chain[0]!).digest('hex')}`], c.name);
    }
  }
});

test('a remembered certificate still expires with the clock', async () => {
  const ca = await newCA('kubernetes');
  const chain = certificateBlocks(await newSignedCert({ config: { commonName: 'jane', extKeyUsages: ['client auth'] }, publicKey: await generatePrivateKey('rsa'), ca, now: new Date(start), validitySeconds: hour }));
  const clock = new FakeClock(start);
  const auth = newX509Authenticator({ caBundlePEM: ca.certPEM, clock });
  for (let i = 0; i < 2; i++) {
    const r = await auth.authenticate(request(chain));
    assert.ok(r && 'user' in r && r.user.name === 'jane');
  }
  clock.step(hour * 1000 + 1000);
  const r = await auth.authenticate(request(chain));
  assert.ok(r && 'error' in r);
  assert.match(r.error, /has expired/);
});

test('a CA bundle without certificates is refused at construction', () => {
  assert.throws(() => newX509Authenticator({ caBundlePEM: 'not a bundle' }), /does not contain any valid/);
});
