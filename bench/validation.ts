// Cost of validating built-in objects: the schema walk and the kind's semantic checks on a typical Deployment and
// a 40-container Pod, plain and with scheduling fields (µs per object), and in-process create latency with no,
// semantic-only and full validation. Prints JSON.
// Run: node --import tsx bench/validation.ts [--seconds=1] [--creates=300] [--no-latency]
import { cpus } from 'node:os';
import { validateBuiltinSchema } from '../src/api/validation/schema-validation.js';
import { newTestServer } from '../src/apiserver/endpoints/testing/harness.js';
import { kindStrategyFor, strategyFor } from '../src/apiserver/registry/strategies.js';
import type { APIObject, ResourceStrategy, StrategyContext } from '../src/apiserver/registry/strategy.js';
import { median, percentile, round } from './stats.js';
import { microsPerOp as timeOp } from './micro-timing.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = Math.min(10, arg('seconds', 1));
const creates = Math.min(2000, arg('creates', 300));
const createBudgetMs = 15_000;

function container(i: number): Record<string, unknown> {
  return {
    name: `c${i}`,
    image: `registry.example/app-${i}:1.0`,
    args: ['--port', String(8000 + i)],
    env: Array.from({ length: 5 }, (_, e) => ({ name: `VAR_${e}`, value: `${i}-${e}` })),
    ports: [{ containerPort: 8000 + i, protocol: 'TCP', name: `http-${i}` }],
    volumeMounts: [{ name: `v${i}`, mountPath: `/data/${i}` }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port: 8000 + i }, periodSeconds: 10 },
  };
}

function podSpec(containers: number): Record<string, unknown> {
  return {
    containers: Array.from({ length: containers }, (_, i) => container(i)),
    volumes: Array.from({ length: containers }, (_, i) => ({ name: `v${i}`, configMap: { name: `cm-${i}` } })),
  };
}

const deployment = (name: string): APIObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'bench', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec(2) },
  },
});

const pod40 = (name: string): APIObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'bench' }, spec: podSpec(40) });

/** The 40-container Pod with what scheduling-heavy manifests add: host ports, a sidecar, affinity, spread. */
function pod40Scheduling(name: string): APIObject {
  const spec = podSpec(40);
  for (const c of spec.containers as Array<Record<string, unknown>>) {
    const port = (c.ports as Array<Record<string, unknown>>)[0];
    port.hostPort = port.containerPort;
  }
  const selector = { matchLabels: { app: 'big' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: 'big', tier: 'web' } },
    spec: {
      ...spec,
      initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15000 } } }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b', 'c'] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { labelSelector: selector, matchLabelKeys: ['pod-template-hash'], topologyKey: 'kubernetes.io/hostname' } },
          ],
        },
      },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 3, labelSelector: selector },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      ],
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] },
    },
  };
}

/** µs per call of `op`, timed for the run's `seconds`. */
const microsPerOp = (op: () => unknown): number => timeOp(op, seconds);

/** The validation cost of one object, prepared (defaulted) as the registry would, split by layer. */
function validationCost(gr: [string, string], obj: APIObject): Record<string, number> {
  const ctx: StrategyContext = { namespace: 'bench', dryRun: false };
  const full = strategyFor(...gr)!;
  const own = kindStrategyFor(...gr)!;
  const prepared = structuredClone(obj);
  full.prepareForCreate?.(prepared, ctx);
  const errs = full.validate!(prepared, ctx);
  if (errs.length > 0) throw new Error(`benchmark object is invalid: ${JSON.stringify(errs)}`);
  return {
    schemaUs: microsPerOp(() => validateBuiltinSchema(prepared)),
    semanticUs: microsPerOp(() => own.validate!(prepared, ctx)),
    totalUs: microsPerOp(() => full.validate!(prepared, ctx)),
    bytes: JSON.stringify(prepared).length,
  };
}

type Variant = 'none' | 'semanticOnly' | 'full';

/** Strategies for one variant: full = what the apiserver runs; semanticOnly = without the schema walk; none = no validate hooks. */
function strategiesFor(variant: Variant): (group: string, resource: string) => ResourceStrategy | undefined {
  if (variant === 'full') return (g, r) => strategyFor(g, r);
  if (variant === 'semanticOnly') return (g, r) => kindStrategyFor(g, r);
  return (g, r) => {
    const s = kindStrategyFor(g, r);
    return s && { ...s, validate: undefined, validateUpdate: undefined };
  };
}

/** Median/p99 create latency (ms) of `count` objects through the in-process REST core. Bounded by count and time. */
async function createLatency(variant: Variant, path: string, body: (name: string) => APIObject): Promise<{ medianMs: number; p99Ms: number; creates: number }> {
  const server = await newTestServer({ strategyFor: strategiesFor(variant), namespaces: ['bench'] });
  try {
    for (let i = 0; i < 20; i++) await server.request('POST', path, { body: body(`warm-${i}`) });
    const samples: number[] = [];
    const deadline = performance.now() + createBudgetMs;
    for (let i = 0; i < creates && performance.now() < deadline; i++) {
      const t0 = performance.now();
      const res = await server.request('POST', path, { body: body(`o-${i}`) });
      samples.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`${variant} create ${i}: ${res.status} ${res.text}`);
    }
    return { medianMs: round(median(samples), 4), p99Ms: round(percentile(samples, 99), 4), creates: samples.length };
  } finally {
    server.close();
  }
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = {
    benchmark: 'validation',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    validate: {
      deployment: validationCost(['apps', 'deployments'], deployment('web')),
      pod40Containers: validationCost(['', 'pods'], pod40('big')),
      pod40ContainersScheduling: validationCost(['', 'pods'], pod40Scheduling('big')),
    },
  };
  if (process.argv.includes('--no-latency')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const latency: Record<string, unknown> = {};
  for (const variant of ['none', 'semanticOnly', 'full'] as const) {
    latency[variant] = {
      deployment: await createLatency(variant, '/apis/apps/v1/namespaces/bench/deployments', deployment),
      pod40Containers: await createLatency(variant, '/api/v1/namespaces/bench/pods', pod40),
    };
  }
  report.createLatency = latency;
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
