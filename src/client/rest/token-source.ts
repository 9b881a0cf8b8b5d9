// The credentials header of a config: a fixed bearer token, a token file re-read at most once a minute
// (client-go's cachingTokenSource over a file, so rotated service-account tokens are picked up), or basic auth.
import { readFileSync } from 'node:fs';
import { type Clock, realClock } from '../../base/clock.js';
import type { RESTConfig } from './config.js';

/** client-go re-reads a token file when its cached copy is older than this. */
export const tokenFileRefreshMs = 60_000;

export interface AuthorizationSource {
  /** The Authorization header value, or undefined for none. */
  header(): string | undefined;
}

export function authorizationFor(config: RESTConfig, clock: Clock = realClock): AuthorizationSource {
  if (config.bearerToken) {
    const value = `Bearer ${config.bearerToken}`;
    return { header: () => value };
  }
  if (config.bearerTokenFile) return new FileTokenSource(config.bearerTokenFile, clock);
  if (config.username !== undefined || config.password !== undefined) {
    const value = `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`;
    return { header: () => value };
  }
  return { header: () => undefined };
}

/**
 * A token file, read on first use and again once the cached token is a minute old. A failed re-read keeps
 * the last good token (the file may be mid-rotation); a failed first read throws.
 */
export class FileTokenSource implements AuthorizationSource {
  private token?: string;
  private readAt = 0;

  constructor(
    private readonly path: string,
    private readonly clock: Clock = realClock,
  ) {}

  header(): string {
    const now = this.clock.now();
    if (this.token === undefined || now - this.readAt >= tokenFileRefreshMs) {
      try {
        this.token = readFileSync(this.path, 'utf8').trim();
        this.readAt = now;
      } catch (err) {
        if (this.token === undefined) throw err;
      }
    }
    return `Bearer ${this.token}`;
  }
}
