// The certificate of the controller manager's secure port, as upstream: --tls-cert-file/--tls-private-key-file
// when given, else a self-signed pair made in memory at start (a `localhost-ca@<unix time>` CA and a
// `localhost@<unix time>` serving certificate for localhost, 127.0.0.1 and this host's name).
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Clock } from '../base/clock.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../pki/certificate.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../pki/keys.js';

export interface ServingCertKey {
  /** PEM chain: the serving certificate, then (self-signed case) its CA. */
  cert: string;
  key: string;
}

export async function controllerManagerServingCert(opts: { tlsCertFile: string; tlsPrivateKeyFile: string; clock: Clock }): Promise<ServingCertKey> {
  if (opts.tlsCertFile || opts.tlsPrivateKeyFile) {
    if (!opts.tlsCertFile || !opts.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
    return { cert: await readFile(opts.tlsCertFile, 'utf8'), key: await readFile(opts.tlsPrivateKeyFile, 'utf8') };
  }
  const now = new Date(opts.clock.now());
  const stamp = Math.floor(now.getTime() / 1000);
  // ECDSA P-256: a fresh key per start costs a millisecond, RSA 2048 tens of them.
  const caKey = await generatePrivateKey('ecdsa');
  const caCert = await newSelfSignedCACert({ key: caKey, commonName: `localhost-ca@${stamp}`, now, validitySeconds: oneYearSeconds });
  const key = await generatePrivateKey('ecdsa');
  const names = [...new Set(['localhost', hostname()])];
  const cert = await newSignedCert({
    config: { commonName: `localhost@${stamp}`, dnsNames: names, ips: ['127.0.0.1'], extKeyUsages: ['server auth'] },
    publicKey: key,
    ca: { certPEM: caCert, key: caKey },
    now,
    validitySeconds: oneYearSeconds,
  });
  return { cert: cert + caCert, key: encodePrivateKeyPEM(key) };
}
