// The front-proxy authenticator (upstream k8s.io/apiserver/pkg/authentication/request/headerrequest): a
// client certificate from --requestheader-client-ca-file (with a CN in --requestheader-allowed-names, when
// given) vouches for the user named in the --requestheader-*-headers, as an aggregator sends them.

import { realClock, type Clock } from '../../base/clock.js';
import { CertPool, verifyClientChain } from '../../pki/verify.js';
import type { AuthenticationRequest, AuthenticationResult, Authenticator, UserInfo } from './interface.js';

export interface RequestHeaderOptions {
  /** Contents of --requestheader-client-ca-file. */
  caBundlePEM: string;
  /** --requestheader-allowed-names: accepted proxy certificate CNs; empty = any CN the CA signed. */
  allowedNames: readonly string[];
  /** --requestheader-username-headers, tried in order (e.g. X-Remote-User). */
  usernameHeaders: readonly string[];
  /** --requestheader-uid-headers. */
  uidHeaders?: readonly string[];
  /** --requestheader-group-headers (e.g. X-Remote-Group). */
  groupHeaders: readonly string[];
  /** --requestheader-extra-headers-prefix (e.g. X-Remote-Extra-). */
  extraHeaderPrefixes: readonly string[];
  clock?: Clock;
}

/** Header values as separate entries: node joins repeated headers with ", ", Go keeps them apart. */
function headerValues(headers: AuthenticationRequest['headers'], name: string): string[] {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** upstream's unescapeExtraKey: percent-decoding, the original on malformed escapes. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * Returns the request-header Authenticator. Throws when the CA bundle holds no certificate. Per request:
 * - no client certificate → undefined (the next authenticator decides);
 * - a certificate that does not verify to the CA, or a CN outside the allowed names → `{ error }`;
 * - no username header → undefined; otherwise the user from the headers (groups and extra as sent; extra keys
 *   lower-cased and percent-decoded).
 */
export function newRequestHeaderAuthenticator(opts: RequestHeaderOptions): Authenticator {
  const roots = CertPool.fromPEM(opts.caBundlePEM);
  const clock = opts.clock ?? realClock;
  const allowed = new Set(opts.allowedNames);
  return {
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResult> {
      const chain = req.connection?.peerCertificates ?? [];
      if (chain.length === 0) return undefined;
      const verified = verifyClientChain(chain, roots, new Date(clock.now()));
      if ('error' in verified) return { error: `unable to verify the front-proxy client certificate: ${verified.error}` };
      const cn = verified.chain[0]!.info.commonName;
      if (allowed.size > 0 && !allowed.has(cn)) return { error: `x509: subject with cn=${cn} is not in the allowed list` };
      const name = opts.usernameHeaders.map((h) => headerValues(req.headers, h)[0]).find((v) => v !== undefined);
      if (!name) return undefined;
      const user: UserInfo = { name, groups: opts.groupHeaders.flatMap((h) => headerValues(req.headers, h)) };
      const uid = (opts.uidHeaders ?? []).map((h) => headerValues(req.headers, h)[0]).find((v) => v !== undefined);
      if (uid) user.uid = uid;
      const extra: Record<string, string[]> = {};
      for (const [header, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const lower = header.toLowerCase();
        const prefix = opts.extraHeaderPrefixes.find((p) => lower.startsWith(p.toLowerCase()));
        if (!prefix) continue;
        const key = unescapeExtraKey(lower.slice(prefix.length));
        (extra[key] ??= []).push(...headerValues(req.headers, lower));
      }
      if (Object.keys(extra).length) user.extra = extra;
      return { user };
    },
  };
}
