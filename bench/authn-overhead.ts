// Authenticated request overhead: GET /api/v1/namespaces/default through the in-process apiserver handler
// (no sockets) with no request filter, as anonymous, with a client certificate, a static token, and a
// service-account JWT with and without the 10 s token cache; plus raw token verifications per second. Every
// request is allowed (an allow-all authorizer), so the difference is authentication alone. Prints JSON.
// Run: node --import tsx bench/authn-overhead.ts [--requests=3000]
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newAuthentication } from '../src/apiserver/authentication/authenticator.js';
import type { Authorizer } from '../src/apiserver/authorization/interface.js';
import { newSelfSignedCACert, newSignedCert } from '../src/pki/certificate.js';
import { generatePrivateKey } from '../src/pki/keys.js';
import { certificateBlocks } from '../src/pki/pem.js';
import { buildRequestFilter } from '../src/apiserver/filters/request-filter.js';
import { defaultAPIServerOptions, type APIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer, type APIServer, type APIServerDeps } from '../src/apiserver/server.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { median, percentile, round } from './stats.js';

const requests = Math.min(20_000, Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 3000));
const timeBudgetMs = 15_000;
const issuer = 'https://kubernetes.default.svc.cluster.local';

interface Result {
  requestsPerSecond: number;
  medianUs: number;
  p99Us: number;
  requests: number;
}

/** Allows everything without switching anonymous access off (as AlwaysAllow would). */
const allowAll: Authorizer = { authorize: async () => ({ decision: 'allow', reason: '' }) };

/** Sends GET requests one after another with `headers` (and a client certificate chain); bounded by count and time. */
async function timeRequests(server: APIServer, headers: Record<string, string>, tag: string, peerCertificates: Uint8Array[] = []): Promise<Result> {
  const samples: number[] = [];
  const send = async () => {
    const res = await server.handler({ method: 'GET', path: '/api/v1/namespaces/default', query: new URLSearchParams(), headers, body: new Uint8Array(), connection: { peerCertificates } }, new AbortController().signal);
    if (res.status !== 200) throw new Error(`${tag}: answered ${res.status}`);
  };
  for (let i = 0; i < 200; i++) await send(); // warm-up
  const deadline = performance.now() + timeBudgetMs;
  const started = performance.now();
  for (let i = 0; i < requests && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await send();
    samples.push((performance.now() - t0) * 1000);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { requestsPerSecond: round(samples.length / elapsed, 0), medianUs: round(median(samples), 1), p99Us: round(percentile(samples, 99), 1), requests: samples.length };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-bench-authn-'));
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(path.join(dir, 'sa.key'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(path.join(dir, 'tokens.csv'), 'bench-token,bench,1,system:masters\n');
  const caKey = await generatePrivateKey('ecdsa');
  const caPEM = await newSelfSignedCACert({ key: caKey, commonName: 'bench-ca', now: new Date(), validitySeconds: 3600 });
  await writeFile(path.join(dir, 'ca.crt'), caPEM);
  const clientKey = await generatePrivateKey('ecdsa');
  const clientPEM = await newSignedCert({ config: { commonName: 'bench', organization: ['system:masters'], extKeyUsages: ['client auth'] }, publicKey: clientKey, ca: { certPEM: caPEM, key: caKey }, now: new Date(), validitySeconds: 3600 });
  const clientChain = certificateBlocks(clientPEM);
  const opts: APIServerOptions = {
    ...defaultAPIServerOptions(dir),
    securePort: 0,
    bindAddress: '127.0.0.1',
    tokenAuthFile: path.join(dir, 'tokens.csv'),
    serviceAccountSigningKeyFile: path.join(dir, 'sa.key'),
    serviceAccountIssuers: [issuer],
    clientCAFile: path.join(dir, 'ca.crt'),
    // Not AlwaysAllow, which would switch anonymous access off; allowAll decides in its place.
    authorizationMode: ['RBAC'],
  };
  const report: Record<string, unknown> = { requests, node: process.version, request: 'GET /api/v1/namespaces/default, in-process handler, allow-all authorizer' };
  const start = async (requestFilter: APIServerDeps['requestFilter'] = (ctx) => buildRequestFilter(ctx, { authorizer: allowAll })) =>
    runAPIServer(opts, new AbortController().signal, { openStore: async () => openMemoryStore(), requestFilter });
  try {
    const unfiltered = await start(async () => undefined);
    report.noFilter = await timeRequests(unfiltered, {}, 'no filter');
    await unfiltered.close();

    const server = await start();
    await server.handler({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from('{"metadata":{"name":"bench"}}') }, new AbortController().signal);
    const tr = await server.handler(
      { method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/bench/token', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from('{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{}}') },
      new AbortController().signal,
    );
    if (!('body' in tr) || tr.status !== 201) throw new Error(`TokenRequest answered ${tr.status}`);
    const saToken = JSON.parse(String(tr.body)).status.token as string;
    report.anonymous = await timeRequests(server, {}, 'anonymous');
    report.clientCertificate = await timeRequests(server, {}, 'client certificate', clientChain);
    report.staticToken = await timeRequests(server, { authorization: 'Bearer bench-token' }, 'static token');
    report.serviceAccountTokenCached = await timeRequests(server, { authorization: `Bearer ${saToken}` }, 'SA token (cache)');
    await server.close();

    let uncachedAuthn: Awaited<ReturnType<typeof newAuthentication>> | undefined;
    const uncached = await start(async (ctx) => {
      uncachedAuthn = await newAuthentication(ctx, { tokenCacheTTLMs: 0 });
      return buildRequestFilter(ctx, { authentication: uncachedAuthn, authorizer: allowAll });
    });
    await uncached.handler({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from('{"metadata":{"name":"bench"}}') }, new AbortController().signal);
    const tr2 = await uncached.handler(
      { method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/bench/token', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from('{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{}}') },
      new AbortController().signal,
    );
    const saToken2 = JSON.parse(String('body' in tr2 ? tr2.body : '')).status.token as string;
    report.serviceAccountTokenUncached = await timeRequests(uncached, { authorization: `Bearer ${saToken2}` }, 'SA token (no cache)');
    // Raw verification (RS256 signature + service-account lookup), no HTTP handling.
    const tokens = uncachedAuthn?.tokens;
    if (tokens) {
      const n = Math.min(requests, 2000);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const r = await tokens.authenticateToken(saToken2);
        if (!r || !('user' in r)) throw new Error('verification failed');
      }
      report.serviceAccountVerificationsPerSecond = round(n / ((performance.now() - t0) / 1000), 0);
    }
    await uncached.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const base = (report.noFilter as Result).medianUs;
  report.overheadMedianUs = Object.fromEntries(
    ['anonymous', 'clientCertificate', 'staticToken', 'serviceAccountTokenCached', 'serviceAccountTokenUncached'].map((k) => [k, round((report[k] as Result).medianUs - base, 1)]),
  );
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
