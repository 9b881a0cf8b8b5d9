// Reads the keys of --service-account-key-file and --service-account-signing-key-file: PEM files holding
// public keys, private keys (PKCS#1, PKCS#8, SEC 1) or certificates, as upstream's keyutil accepts them.

import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { publicKeyOf } from './jwt.js';

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * The public keys in PEM text (every block that holds one: public and private keys, certificates). Throws
 * with upstream's wording when there is none, naming `source`.
 */
export function parsePublicKeysPEM(pem: string, source: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const m of pem.matchAll(pemBlock)) {
    const [block, type] = m;
    if (type === 'CERTIFICATE') keys.push(new X509Certificate(block).publicKey);
    else if (type.endsWith('PRIVATE KEY')) keys.push(createPublicKey(createPrivateKey(block)));
    else if (type.endsWith('PUBLIC KEY')) keys.push(createPublicKey(block));
  }
  for (const k of keys) {
    if (k.asymmetricKeyType !== 'rsa' && k.asymmetricKeyType !== 'ec') throw new Error(`failed to parse key file ${JSON.stringify(source)}: unsupported key type ${k.asymmetricKeyType}`);
  }
  if (keys.length === 0) throw new Error(`data does not contain any valid RSA or ECDSA public keys in ${JSON.stringify(source)}`);
  return keys;
}

/** The first private key in PEM text; throws naming `source` when there is none. */
export function parsePrivateKeyPEM(pem: string, source: string): KeyObject {
  for (const m of pem.matchAll(pemBlock)) {
    if (m[1].endsWith('PRIVATE KEY')) {
      const key = createPrivateKey(m[0]);
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw new Error(`failed to parse service-account-issuer-key-file ${JSON.stringify(source)}: unsupported key type ${key.asymmetricKeyType}`);
      return key;
    }
  }
  throw new Error(`failed to parse service-account-issuer-key-file ${JSON.stringify(source)}: data does not contain a valid RSA or ECDSA private key`);
}

/** Keys that sign and verify service-account tokens. */
export interface ServiceAccountKeys {
  /** From --service-account-signing-key-file; absent: TokenRequest is not served. */
  signingKey?: KeyObject;
  /** From --service-account-key-file; without it, the public half of the signing key. */
  verifyKeys: KeyObject[];
}

/** Loads the keys the options name. */
export async function loadServiceAccountKeys(opts: { keyFiles?: string[]; signingKeyFile?: string }): Promise<ServiceAccountKeys> {
  const signingKey = opts.signingKeyFile ? parsePrivateKeyPEM(await readFile(opts.signingKeyFile, 'utf8'), opts.signingKeyFile) : undefined;
  const verifyKeys: KeyObject[] = [];
  for (const file of opts.keyFiles ?? []) verifyKeys.push(...parsePublicKeysPEM(await readFile(file, 'utf8'), file));
  if (verifyKeys.length === 0 && signingKey) verifyKeys.push(publicKeyOf(signingKey));
  return { signingKey, verifyKeys };
}
