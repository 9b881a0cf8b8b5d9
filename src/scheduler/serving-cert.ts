// The certificate of kube-scheduler's secure port, as upstream: --tls-cert-file/--tls-private-key-file when
// given; otherwise an in-memory self-signed pair made at start (CA `localhost-ca@<unix time>`, serving
// certificate `localhost@<unix time>` for localhost, this host's name and 127.0.0.1).
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Clock } from '../base/clock.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../pki/certificate.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../pki/keys.js';

/** PEM certificate chain (serving certificate first) and its private key. */
export interface ServingCertKey {
  cert: string;
  key: string;
}

export async function schedulerServingCert(opts: { certFile: string; keyFile: string; clock: Clock }): Promise<ServingCertKey> {
  if (opts.certFile !== '' || opts.keyFile !== '') {
    if (opts.certFile === '' || opts.keyFile === '') throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
    const [cert, key] = await Promise.all([readFile(opts.certFile, 'utf8'), readFile(opts.keyFile, 'utf8')]);
    return { cert, key };
  }
  const now = new Date(opts.clock.now());
  const stamp = Math.floor(now.getTime() / 1000);
  // ECDSA keys: generating them costs about a millisecond, so start-up does not notice.
  const [caKey, servingKey] = await Promise.all([generatePrivateKey('ecdsa'), generatePrivateKey('ecdsa')]);
  const ca = await newSelfSignedCACert({ key: caKey, commonName: `localhost-ca@${stamp}`, now, validitySeconds: oneYearSeconds });
  const serving = await newSignedCert({
    config: { commonName: `localhost@${stamp}`, dnsNames: [...new Set(['localhost', hostname()])], ips: ['127.0.0.1'], extKeyUsages: ['server auth'] },
    publicKey: servingKey,
    ca: { certPEM: ca, key: caKey },
    now,
    validitySeconds: oneYearSeconds,
  });
  return { cert: serving + ca, key: encodePrivateKeyPEM(servingKey) };
}
