// Service-account issuer discovery (upstream pkg/serviceaccount/openidmetadata.go): the OpenID provider
// configuration and the JSON Web Key Set that let others verify service-account tokens.

import type { KeyObject } from 'node:crypto';
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from '../http-types.js';
import { keyIDFor, publicKeyOf, signingAlgorithmFor } from './jwt.js';

export const openIDConfigurationPath = '/.well-known/openid-configuration';
export const jwksPath = '/openid/v1/jwks';

/** The JWK of a public key, fields in go-jose's order. */
export function jwkOf(key: KeyObject): Record<string, string> {
  const pub = publicKeyOf(key);
  const jwk = pub.export({ format: 'jwk' });
  const out: Record<string, string> = { use: 'sig', kty: jwk.kty ?? '', kid: keyIDFor(pub) };
  if (jwk.crv) out.crv = jwk.crv;
  out.alg = signingAlgorithmFor(pub);
  for (const f of ['n', 'e', 'x', 'y'] as const) {
    const v = jwk[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

export interface OIDCDiscoveryOptions {
  /** The first --service-account-issuer; discovery is served only when it is an https URL, as upstream. */
  issuer: string;
  /** --service-account-jwks-uri, else https://<external address>/openid/v1/jwks. */
  jwksURI: string;
  /** The verification keys (--service-account-key-file). */
  keys: KeyObject[];
}

/**
 * Serves both documents (GET only; other methods fall through to the 404/405 of other handlers) with
 * upstream's content types and a one-hour public cache lifetime. Undefined when the issuer is not https.
 */
export function newOIDCDiscoveryHandler(opts: OIDCDiscoveryOptions): NonResourceHandler | undefined {
  let issuerURL: URL;
  try {
    issuerURL = new URL(opts.issuer);
  } catch {
    return undefined;
  }
  if (issuerURL.protocol !== 'https:' || opts.keys.length === 0) return undefined;
  const algorithms = [...new Set(opts.keys.map((k) => signingAlgorithmFor(k)))].sort();
  const configuration = JSON.stringify({
    issuer: opts.issuer,
    jwks_uri: opts.jwksURI,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algorithms,
  });
  const jwks = JSON.stringify({ keys: opts.keys.map(jwkOf) });
  const reply = (contentType: string, body: string): HTTPResponse => ({ status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'public, max-age=3600' }, body });
  return {
    async handle(req: HTTPRequest) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
      if (req.path === openIDConfigurationPath) return reply('application/json', configuration);
      if (req.path === jwksPath) return reply('application/jwk-set+json', jwks);
      return undefined;
    },
  };
}
