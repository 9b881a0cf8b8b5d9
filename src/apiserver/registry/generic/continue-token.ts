// List continuation tokens in upstream's format: base64url(JSON {"v":"meta.k8s.io/v1","rv":N,"start":"key"}),
// where `start` is the next key relative to the list's prefix. rv -1 means "continue at the latest revision".

import { newBadRequest } from '../../../apimachinery/errors.js';

export interface ContinueToken {
  /** Revision the list is read at; -1 = the latest (issued after the original revision was compacted). */
  rv: number;
  /** Absolute key to start at (inclusive). */
  startKey: string;
}

const tokenVersion = 'meta.k8s.io/v1';

export function encodeContinue(opts: { nextKey: string; prefix: string; rv: number }): string {
  const start = opts.nextKey.startsWith(opts.prefix) ? opts.nextKey.slice(opts.prefix.length) : opts.nextKey;
  return Buffer.from(JSON.stringify({ v: tokenVersion, rv: opts.rv, start })).toString('base64url');
}

/** Normalizes a path like Go's path.Clean, enough to detect traversal ("..", "//", "."). */
function isCleanPath(p: string): boolean {
  if (p.includes('//')) return false;
  return !p.split('/').some((seg, i) => (seg === '.' || seg === '..') && i > 0);
}

/** Decodes a token for a list of `prefix`; 400 BadRequest (`invalid continue token: …`) when it is not valid. */
export function decodeContinue(token: string, prefix: string): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    const text = Buffer.from(token.replace(/=+$/, ''), 'base64url').toString('utf8');
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw newBadRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (parsed.v !== tokenVersion) {
    throw newBadRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${JSON.stringify(String(parsed.v ?? ''))}`);
  }
  const rv = parsed.rv;
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv === 0 || rv < -1) {
    throw newBadRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  const start = typeof parsed.start === 'string' ? parsed.start : '';
  if (!start) throw newBadRequest('invalid continue token: continue key is not valid: encoded start key empty');
  const abs = start.startsWith('/') ? start : `/${start}`;
  if (!isCleanPath(abs)) throw newBadRequest(`invalid continue token: continue key is not valid: ${start}`);
  return { rv, startKey: prefix + abs.slice(1) };
}
