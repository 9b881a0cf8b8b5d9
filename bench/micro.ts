// In-process micro-benchmarks (no apiserver): each is a standalone script under bench/ that prints one JSON
// report on stdout. `npm run -s bench` runs them after the apiserver workloads; `npm run -s bench -- smp` runs one.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MicroBenchmark {
  name: string;
  script: string;
  description: string;
}

/** The registry of micro-benchmarks: one explicit list. */
export const microBenchmarks: MicroBenchmark[] = [
  { name: 'storage', script: 'storage.ts', description: 'Store backends directly: creates/s (64 writers), GET, LIST 10k, compaction (sqlite, memory, etcd)' },
  { name: 'smp', script: 'smp.ts', description: 'strategic merge patch on a 40-container Deployment' },
  { name: 'apply', script: 'apply.ts', description: 'server-side apply of a 40-container Deployment' },
  { name: 'printers', script: 'printers.ts', description: 'Table rendering of 10,000 pods' },
  { name: 'quantity', script: 'quantity.ts', description: 'resource.Quantity parse + canonicalize' },
  { name: 'decode', script: 'decode.ts', description: 'duplicate-aware JSON decoding and unknown-field detection' },
  { name: 'authz-rbac', script: 'authz-rbac.ts', description: 'RBAC decisions with 1,000 bindings; an allowed GET under Node,RBAC vs AlwaysAllow' },
  { name: 'authn-overhead', script: 'authn-overhead.ts', description: 'per-request authentication cost: anonymous, client certificate, static token, service-account JWT with and without the token cache' },
  { name: 'pki-handshake', script: 'pki-handshake.ts', description: 'new TLS connection + GET with and without a client certificate (RSA, ECDSA), keep-alive, x509 chain check' },
];

/** Runs one micro-benchmark as a child process and returns its parsed JSON report (or an error). */
export function runMicro(b: MicroBenchmark, signal: AbortSignal): Promise<{ name: string; description: string; report?: unknown; error?: string }> {
  const script = fileURLToPath(new URL(b.script, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], signal });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (err) => resolve({ name: b.name, description: b.description, error: err.message }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ name: b.name, description: b.description, error: `exited with ${code}` });
      try {
        resolve({ name: b.name, description: b.description, report: JSON.parse(out) });
      } catch {
        resolve({ name: b.name, description: b.description, error: 'output was not JSON' });
      }
    });
  });
}
