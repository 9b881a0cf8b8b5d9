// Cost of encryption at rest: creates and GETs of 1 KiB Secrets through the in-process apiserver handler (no
// sockets) over the memory and SQLite stores, plain vs aescbc vs aesgcm (--encryption-provider-config), plus
// raw encrypt/decrypt operations per second. Bounded by count and time. Prints JSON.
// Run: node --import tsx bench/encryption-overhead.ts [--requests=2000]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEncryptionConfiguration } from '../src/apiserver/encryption/config.js';
import { transformersFromConfiguration } from '../src/apiserver/encryption/providers.js';
import { defaultAPIServerOptions, type APIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../src/apiserver/server.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { round, timeSerial, type SerialTiming } from './stats.js';

const requests = Math.min(20_000, Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 2000));
const timeBudgetMs = 10_000;
const secretData = { password: Buffer.alloc(1024, 'k').toString('base64') };


const configFor = (provider: 'aescbc' | 'aesgcm') => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - ${provider}:
          keys: [{name: key1, secret: ${Buffer.alloc(32, 7).toString('base64')}}]
`;

const time = (send: (i: number) => Promise<void>) => timeSerial({ send, count: requests, budgetMs: timeBudgetMs, warmup: 100 });

/**
 * create and get go through the handler (a GET is answered from the watch cache, which holds plaintext: the
 * value was decrypted once, when its watch event arrived); storageGet reads through the decrypting Store.
 */
async function measure(server: APIServer): Promise<{ create: SerialTiming; get: SerialTiming; storageGet: SerialTiming }> {
  const signal = new AbortController().signal;
  const call = async (method: string, p: string, body?: unknown, expect = 200) => {
    const res = await server.handler(
      { method, path: p, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, body: body ? Buffer.from(JSON.stringify(body)) : new Uint8Array() },
      signal,
    );
    if (res.status !== expect) throw new Error(`${method} ${p} answered ${res.status}`);
  };
  const create = await time((i) => call('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: `s${i + 1000}` }, data: secretData }, 201));
  const names = Math.max(1, create.requests);
  const get = await time((i) => call('GET', `/api/v1/namespaces/default/secrets/s${1000 + (Math.abs(i) % names)}`));
  const storageGet = await time(async (i) => {
    if (!(await server.store.get(`/registry/secrets/default/s${1000 + (Math.abs(i) % names)}`))) throw new Error('secret not stored');
  });
  return { create, get, storageGet };
}

/** Raw transformer operations per second on a 1 KiB Secret's JSON (no apiserver). */
function rawOpsPerSecond(provider: 'aescbc' | 'aesgcm'): { encryptPerSecond: number; decryptPerSecond: number } {
  const t = transformersFromConfiguration(parseEncryptionConfiguration(configFor(provider), 'bench'))('', 'secrets');
  if (!t) throw new Error('no transformer');
  const json = JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', namespace: 'default' }, data: secretData });
  const key = '/registry/secrets/default/s';
  const n = Math.min(requests * 10, 50_000);
  let t0 = performance.now();
  let sealed = '';
  for (let i = 0; i < n; i++) sealed = t.toStorage(json, key);
  const enc = n / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < n; i++) t.fromStorage(sealed, key);
  const dec = n / ((performance.now() - t0) / 1000);
  return { encryptPerSecond: round(enc, 0), decryptPerSecond: round(dec, 0) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-bench-encryption-'));
  const report: Record<string, unknown> = { requests, node: process.version, request: 'POST/GET 1 KiB Secrets, in-process handler, one at a time' };
  try {
    for (const backend of ['memory', 'sqlite'] as const) {
      const results: Record<string, unknown> = {};
      for (const provider of ['plain', 'aescbc', 'aesgcm'] as const) {
        const runDir = await mkdtemp(path.join(dir, `${backend}-${provider}-`));
        let encryptionProviderConfig = '';
        if (provider !== 'plain') {
          encryptionProviderConfig = path.join(runDir, 'encryption.yaml');
          await writeFile(encryptionProviderConfig, configFor(provider));
        }
        const opts: APIServerOptions = { ...defaultAPIServerOptions(runDir), securePort: 0, bindAddress: '127.0.0.1', encryptionProviderConfig };
        const openStore = async () => (backend === 'memory' ? openMemoryStore() : openSqliteStore({ path: path.join(runDir, 'state.db') }));
        const server = await runAPIServer(opts, new AbortController().signal, { openStore });
        try {
          results[provider] = await measure(server);
        } finally {
          await server.close();
        }
      }
      type Run = Awaited<ReturnType<typeof measure>>;
      const plain = results.plain as Run;
      results.overheadMedianUs = Object.fromEntries(
        (['aescbc', 'aesgcm'] as const).map((p) => {
          const r = results[p] as Run;
          const d = (k: keyof Run) => round(r[k].medianUs - plain[k].medianUs, 1);
          return [p, { create: d('create'), get: d('get'), storageGet: d('storageGet') }];
        }),
      );
      report[backend] = results;
    }
    report.raw = { aescbc: rawOpsPerSecond('aescbc'), aesgcm: rawOpsPerSecond('aesgcm') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
