// Component benchmarks: each is a standalone script under bench/ that prints one JSON report on stdout —
// in-process micro-benchmarks and the component workloads (controller manager, scheduler) that start real
// processes. `npm run -s bench` runs them after the apiserver workloads; `npm run -s bench -- smp` runs one.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MicroBenchmark {
  name: string;
  script: string;
  description: string;
  /** Extra node flags (e.g. --expose-gc for memory measurements). */
  nodeArgs?: string[];
}

/** The registry of micro-benchmarks: one explicit list. */
export const microBenchmarks: MicroBenchmark[] = [
  { name: 'storage', script: 'storage.ts', description: 'Store backends directly: creates/s (64 writers), GET, LIST 10k, compaction (sqlite, memory, etcd)' },
  { name: 'smp', script: 'smp.ts', description: 'strategic merge patch on a 40-container Deployment' },
  { name: 'apply', script: 'apply.ts', description: 'server-side apply of a 40-container Deployment' },
  { name: 'crd-ssa', script: 'crd-ssa.ts', description: 'server-side apply of a custom resource with a 100-entry map list: typed by the CRD schema vs untyped, µs' },
  { name: 'crd-conversion', script: 'crd-conversion.ts', description: 'custom resources read in another version: GET and LIST of 1,000 through a conversion webhook vs strategy None vs the stored version' },
  { name: 'subresource-managed-fields', script: 'subresource-managed-fields.ts', description: 'PUT of a Deployment\'s /status and /scale with managedFields tracking, in-process, µs per write' },
  { name: 'printers', script: 'printers.ts', description: 'Table rendering of 10,000 pods' },
  { name: 'quantity', script: 'quantity.ts', description: 'resource.Quantity parse + canonicalize' },
  { name: 'decode', script: 'decode.ts', description: 'duplicate-aware JSON decoding and unknown-field detection' },
  { name: 'cel', script: 'cel.ts', description: 'CRD validation rules (CEL): compile µs per rule, validation of a 20-rule CRD per object, CR create latency with and without the rules' },
  { name: 'validation', script: 'validation.ts', description: 'built-in validation (schema walk + semantic checks) of a Deployment and a 40-container Pod; create latency with and without it' },
  { name: 'authz-rbac', script: 'authz-rbac.ts', description: 'RBAC decisions with 1,000 bindings; an allowed GET under Node,RBAC vs AlwaysAllow' },
  { name: 'authn-overhead', script: 'authn-overhead.ts', description: 'per-request authentication cost: anonymous, client certificate, static token, service-account JWT with and without the token cache' },
  { name: 'pki-handshake', script: 'pki-handshake.ts', description: 'new TLS connection + GET with and without a client certificate (RSA, ECDSA), keep-alive, x509 chain check' },
  { name: 'authz-http', script: 'authz-http.ts', description: 'allowed GET over HTTPS under Node,RBAC: system:masters vs a user allowed through one of 1,000 RoleBindings' },
  { name: 'admission-webhook', script: 'admission-webhook.ts', description: 'admission chain cost per create, and one mutating + one validating HTTPS webhook round trip' },
  { name: 'resource-quota', script: 'resource-quota.ts', description: 'ConfigMap creates/s in a namespace with a ResourceQuota vs without, serial and 16 in flight (memory store, real etcd)' },
  { name: 'encryption-overhead', script: 'encryption-overhead.ts', description: 'Secrets create/GET plain vs aescbc vs aesgcm (memory, SQLite), raw encrypt/decrypt rates' },
  { name: 'audit-overhead', script: 'audit-overhead.ts', description: 'request overhead of auditing at Metadata and RequestResponse level' },
  { name: 'client-rest', script: 'client-rest.ts', description: 'src/client REST layer: GETs/s over one HTTP/2 session, creates/s, a 10,000-event watch' },
  { name: 'informer-memory', script: 'informer-memory.ts', description: 'informer heap per 10,000 Pod-sized objects, initial sync time', nodeArgs: ['--expose-gc'] },
  { name: 'informer-throughput', script: 'informer-throughput.ts', description: 'events/s through an informer with an index and one handler' },
  { name: 'controller-throughput', script: 'controller-throughput.ts', description: 'Deployments of 10 replicas reconciled per second; 1,000-replica Deployment to 1,000 pods (real processes)' },
  { name: 'jobs-throughput', script: 'jobs-throughput.ts', description: 'Jobs of 10 completions completed per second (real processes)' },
  { name: 'gc-collection', script: 'gc-collection.ts', description: 'garbage collection of 10,000 dependents after a background delete (real processes)' },
  { name: 'endpoints-latency', script: 'endpoints-latency.ts', description: 'Endpoints/EndpointSlice update latency after a pod readiness flip, 1,000 pods behind one Service' },
  { name: 'aggregator', script: 'aggregator.ts', description: 'GET proxied by the aggregator to an HTTPS extension apiserver vs a local GET vs the backend directly (ms, one keep-alive connection)' },
  { name: 'hpa', script: 'hpa.ts', description: 'HPA computation per reconcile with 100 pods: replica calculator (utilization, averageValue) and normalization, µs' },
  { name: 'hpa-metrics', script: 'hpa-metrics.ts', description: 'HPA proposal per Pods/Object/External metric (100 pods), metrics in memory and over HTTP to a local adapter, µs' },
  { name: 'helm', script: 'helm.ts', description: 'helm 3 and helm 4: install, upgrade and uninstall of an 8-object chart, wall ms, median of 5 (real apiserver process)' },
  { name: 'scheduler', script: 'scheduler/run.ts', description: 'scheduler_perf workloads (SchedulingBasic 500/5,000 nodes, …): pods/s, create→bound p50/p99 (real processes)' },
];

/** Runs one micro-benchmark as a child process and returns its parsed JSON report (or an error). */
export function runMicro(b: MicroBenchmark, signal: AbortSignal): Promise<{ name: string; description: string; report?: unknown; error?: string }> {
  const script = fileURLToPath(new URL(b.script, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(b.nodeArgs ?? []), '--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], signal });
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
