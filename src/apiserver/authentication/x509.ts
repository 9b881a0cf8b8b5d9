// The --client-ca-file authenticator (upstream k8s.io/apiserver/pkg/authentication/request/x509): a client
// certificate that chains to the CA bundle authenticates as CN, with the O values as groups.
import { createHash } from 'node:crypto';
import { realClock, type Clock } from '../../base/clock.js';
import { CertPool, parseCertificate, verifyChain, type ParsedCertificate } from '../../pki/verify.js';
import { systemAuthenticated, type AuthenticationRequest, type AuthenticationResult, type Authenticator, type UserInfo } from './interface.js';

/** Upstream user.CredentialIDKey: which credential a request used, for audit. */
export const credentialIDKey = 'authentication.kubernetes.io/credential-id';

export interface X509AuthenticatorOptions {
  /** Contents of --client-ca-file: one or more PEM CA certificates. */
  caBundlePEM: string;
  clock?: Clock;
}

/** Verified chains remembered, keyed by the chain's bytes; bounded so a flood of new certificates costs nothing. */
const cacheSize = 1024;
/** Certificates of a presented chain that are parsed (leaf + intermediates); the rest cannot be on a useful path. */
const maxPresentedCertificates = 16;

interface Verified {
  user: UserInfo;
  /** The chain verifies between these instants (the intersection of its certificates' windows). */
  from: number;
  until: number;
}

/**
 * Returns the x509 Authenticator. Throws when the bundle holds no certificate (the apiserver refuses to
 * start, as upstream). Per request:
 * - no client certificate → undefined (no opinion);
 * - a chain that verifies to the bundle for client auth and a non-empty CN → user CN, groups O plus
 *   system:authenticated, extra credential-id `X509SHA256=<leaf fingerprint>`; an empty CN → undefined;
 * - anything else → `{ error: "verifying certificate SN=…, SKID=…, AKID=… failed: x509: …" }` (upstream's text).
 * Successful verifications are cached by chain bytes and re-checked against the clock on every hit.
 */
export function newX509Authenticator(opts: X509AuthenticatorOptions): Authenticator {
  const roots = CertPool.fromPEM(opts.caBundlePEM);
  const clock = opts.clock ?? realClock;
  const cache = new Map<string, Verified>();
  return {
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResult> {
      const chain = req.connection?.peerCertificates ?? [];
      if (chain.length === 0) return undefined;
      const now = clock.now();
      const hash = createHash('sha256');
      for (const der of chain) hash.update(der);
      const cacheKey = hash.digest('base64');
      const hit = cache.get(cacheKey);
      if (hit && now >= hit.from && now <= hit.until) return { user: hit.user };

      let parsed: ParsedCertificate[];
      try {
        parsed = chain.slice(0, maxPresentedCertificates).map(parseCertificate);
      } catch (err) {
        return { error: `x509: failed to parse client certificate: ${(err as Error).message}` };
      }
      const leaf = parsed[0]!;
      const result = verifyChain(leaf, { roots, intermediates: parsed.slice(1), now: new Date(now) });
      if ('error' in result) return { error: `verifying certificate ${certificateIdentifier(leaf)} failed: ${result.error}` };
      if (!leaf.info.commonName) return undefined;
      const user: UserInfo = {
        name: leaf.info.commonName,
        groups: [...leaf.info.organization.filter((g) => g !== systemAuthenticated), systemAuthenticated],
        extra: { [credentialIDKey]: [`X509SHA256=${createHash('sha256').update(leaf.der).digest('hex')}`] },
      };
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(cacheKey, {
        user,
        from: Math.max(...result.chain.map((c) => c.info.notBefore.getTime())),
        until: Math.min(...result.chain.map((c) => c.info.notAfter.getTime())),
      });
      return { user };
    },
  };
}

/** Upstream's certificateIdentifier: `SN=<decimal>, SKID=<AA:BB…>, AKID=<AA:BB…>`. */
function certificateIdentifier(c: ParsedCertificate): string {
  const colons = (hex: string) => (hex.match(/../g) ?? []).join(':');
  return `SN=${c.info.serialNumber}, SKID=${colons(c.info.subjectKeyId)}, AKID=${colons(c.info.authorityKeyId)}`;
}
