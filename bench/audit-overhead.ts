// Request overhead of auditing: GET /api/v1/namespaces/default and POST of ConfigMaps through the in-process
// apiserver handler (no sockets), with auditing off, at Metadata and at RequestResponse level (events written to
// a temp file). Bounded by count and time. Prints JSON.
// Run: node --import tsx bench/audit-overhead.ts [--requests=3000]
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultAPIServerOptions, type APIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../src/apiserver/server.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { round, timeSerial, type SerialTiming } from './stats.js';

const requests = Math.min(20_000, Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 3000));
const timeBudgetMs = 10_000;


const time = (send: (i: number) => Promise<void>) => timeSerial({ send, count: requests, budgetMs: timeBudgetMs, warmup: 200 });

async function measure(server: APIServer): Promise<{ get: SerialTiming; create: SerialTiming }> {
  const signal = new AbortController().signal;
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'bench' };
  const call = async (method: string, p: string, body: unknown, expect: number) => {
    const res = await server.handler({ method, path: p, query: new URLSearchParams(), headers, body: body ? Buffer.from(JSON.stringify(body)) : new Uint8Array() }, signal);
    if (res.status !== expect) throw new Error(`${method} ${p} answered ${res.status}`);
  };
  const get = await time(() => call('GET', '/api/v1/namespaces/default', undefined, 200));
  const create = await time((i) => call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `c${i + 1000}` }, data: { k: 'v'.repeat(512) } }, 201));
  return { get, create };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-bench-audit-'));
  const report: Record<string, unknown> = { requests, node: process.version, workload: 'GET a Namespace; POST 0.5 KiB ConfigMaps; in-process handler, one at a time, memory store' };
  try {
    for (const level of ['off', 'Metadata', 'RequestResponse'] as const) {
      const runDir = await mkdtemp(path.join(dir, `${level}-`));
      const opts: APIServerOptions = { ...defaultAPIServerOptions(runDir), securePort: 0, bindAddress: '127.0.0.1' };
      if (level !== 'off') {
        opts.auditPolicyFile = path.join(runDir, 'policy.yaml');
        opts.auditLogPath = path.join(runDir, 'audit.log');
        await writeFile(opts.auditPolicyFile, `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: ${level}\n`);
      }
      const server = await runAPIServer(opts, new AbortController().signal, { openStore: async () => openMemoryStore() });
      try {
        const timings = await measure(server);
        const logBytes = opts.auditLogPath ? (await stat(opts.auditLogPath)).size : 0;
        report[level] = { ...timings, auditLogBytesPerEvent: round(logBytes / (2 * (timings.get.requests + timings.create.requests + 400)), 0) };
      } finally {
        await server.close();
      }
    }
    type Run = { get: SerialTiming; create: SerialTiming };
    const off = report.off as Run;
    report.overheadMedianUs = Object.fromEntries(
      (['Metadata', 'RequestResponse'] as const).map((l) => {
        const r = report[l] as Run;
        return [l, { get: round(r.get.medianUs - off.get.medianUs, 1), create: round(r.create.medianUs - off.create.medianUs, 1) }];
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
