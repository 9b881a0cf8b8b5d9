// An in-process apiserver with authentication configured (a token file, a service-account key and issuer),
// driven through its socket-free handler, for the tests of authentication, the filter chain and reviews.

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openMemoryStore } from '../../../storage/memory/memory-store.js';
import type { Authorizer } from '../../authorization/interface.js';
import { buildRequestFilter } from '../../filters/request-filter.js';
import { defaultAPIServerOptions, type APIServerOptions } from '../../options.js';
import { runAPIServer, type APIServer } from '../../server.js';

export const testIssuer = 'https://kubernetes.default.svc.cluster.local';

/** Static tokens of the test server: alice (groups dev, ops) and admin (system:masters). */
export const testTokens = 'alice-token,alice,1001,"dev,ops"\nadmin-token,admin,1,system:masters\n';

export interface SecureTestServer {
  server: APIServer;
  /** The service-account signing key. */
  signingKey: KeyObject;
  /** One request through the handler; JSON bodies in and out. */
  call(method: string, url: string, headers?: Record<string, string | string[]>, body?: unknown): Promise<{ status: number; text: string; json: any; headers: Record<string, string> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Allows every request, like AlwaysAllow, but without switching anonymous access off. */
export const allowAll: Authorizer = { authorize: async () => ({ decision: 'allow', reason: '' }) };

/**
 * Starts the server (closed and its files removed by `t.after`). Without `opts.authorizationMode`, requests
 * are authorized by `authorizer` (default allowAll) standing in for RBAC, so anonymous access stays on;
 * with it, the real --authorization-mode chain decides.
 */
export async function startSecureTestServer(t: { after(fn: () => Promise<void>): void }, opts: Partial<APIServerOptions> = {}, authorizer?: Authorizer): Promise<SecureTestServer> {
  const injected = opts.authorizationMode ? authorizer : (authorizer ?? allowAll);
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-authn-'));
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(path.join(dir, 'sa.key'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(path.join(dir, 'tokens.csv'), testTokens);
  const ac = new AbortController();
  const server = await runAPIServer(
    {
      ...defaultAPIServerOptions(dir),
      securePort: 0,
      bindAddress: '127.0.0.1',
      tokenAuthFile: path.join(dir, 'tokens.csv'),
      serviceAccountSigningKeyFile: path.join(dir, 'sa.key'),
      serviceAccountKeyFiles: [path.join(dir, 'sa.key')],
      serviceAccountIssuers: [testIssuer],
      ...(injected ? { authorizationMode: ['RBAC'] } : {}),
      ...opts,
    },
    ac.signal,
    { openStore: async () => openMemoryStore(), ...(injected ? { requestFilter: (ctx) => buildRequestFilter(ctx, { authorizer: injected }) } : {}) },
  );
  t.after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const call: SecureTestServer['call'] = async (method, url, headers = {}, body) => {
    const u = new URL(url, 'https://x');
    const res = await server.handler(
      { method, path: u.pathname, query: u.searchParams, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)), connection: { peerCertificates: [] } },
      new AbortController().signal,
    );
    assert.ok('body' in res, 'not a stream');
    const text = typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString();
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return { server, signingKey: key.privateKey, call };
}
