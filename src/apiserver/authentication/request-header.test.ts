import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../../pki/certificate.js';
import { generatePrivateKey } from '../../pki/keys.js';
import { certificateBlocks } from '../../pki/pem.js';
import type { AuthenticationResult } from './interface.js';
import { newRequestHeaderAuthenticator } from './request-header.js';

const now = new Date('2026-06-01T00:00:00Z');

async function ca(commonName: string) {
  const key = await generatePrivateKey('ecdsa');
  return { certPEM: await newSelfSignedCACert({ key, commonName, now, validitySeconds: oneYearSeconds }), key };
}

async function clientCert(issuer: { certPEM: string; key: import('node:crypto').KeyObject }, commonName: string): Promise<Uint8Array> {
  const key = await generatePrivateKey('ecdsa');
  const pem = await newSignedCert({ config: { commonName, extKeyUsages: ['client auth'] }, publicKey: key, ca: issuer, now, validitySeconds: oneYearSeconds });
  return certificateBlocks(pem)[0]!;
}

test('request-header authenticator: the proxy certificate vouches for the headers', async () => {
  const frontProxyCA = await ca('front-proxy-ca');
  const otherCA = await ca('other-ca');
  const proxy = await clientCert(frontProxyCA, 'front-proxy-client');
  const stranger = await clientCert(frontProxyCA, 'someone-else');
  const foreign = await clientCert(otherCA, 'front-proxy-client');
  const authn = newRequestHeaderAuthenticator({
    caBundlePEM: frontProxyCA.certPEM,
    allowedNames: ['front-proxy-client'],
    usernameHeaders: ['X-Remote-User'],
    uidHeaders: ['X-Remote-Uid'],
    groupHeaders: ['X-Remote-Group'],
    extraHeaderPrefixes: ['X-Remote-Extra-'],
    clock: new FakeClock(now.getTime()),
  });
  const identity = { 'x-remote-user': 'alice', 'x-remote-group': 'devs, system:authenticated', 'x-remote-extra-authentication.kubernetes.io%2fcredential-id': 'JTI=7', 'x-remote-uid': 'u-1' };
  const cases: Array<{ name: string; chain: Uint8Array[]; headers: Record<string, string>; want: AuthenticationResult | RegExp }> = [
    { name: 'no certificate: no opinion', chain: [], headers: identity, want: undefined },
    {
      name: 'proxy certificate and headers',
      chain: [proxy],
      headers: identity,
      want: { user: { name: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': ['JTI=7'] } } },
    },
    { name: 'proxy certificate without a user header: no opinion', chain: [proxy], headers: {}, want: undefined },
    { name: 'CN outside the allowed names', chain: [stranger], headers: identity, want: /^x509: subject with cn=someone-else is not in the allowed list$/ },
    { name: 'certificate of another CA', chain: [foreign], headers: identity, want: /^unable to verify the front-proxy client certificate: x509: certificate signed by unknown authority/ },
  ];
  for (const c of cases) {
    const got = await authn.authenticate({ method: 'GET', path: '/api', query: new URLSearchParams(), headers: c.headers, connection: { peerCertificates: c.chain } });
    if (c.want instanceof RegExp) {
      assert.ok(got && 'error' in got, c.name);
      assert.match(got.error, c.want, c.name);
    } else {
      assert.deepEqual(got, c.want, c.name);
    }
  }
});
