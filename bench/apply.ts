// Server-side apply throughput on a Deployment with 40 containers: a first apply (create), a re-apply of a
// changed configuration, a no-op re-apply, and a non-apply update's managedFields bookkeeping. Prints JSON.
// Run: node --import tsx bench/apply.ts [--seconds=2]
import { cpus } from 'node:os';
import { applySchemaFor } from '../src/api/apply-schema.js';
import { apply, updateManagedFields } from '../src/apimachinery/apply/apply.js';
import type { JSONObject } from '../src/apimachinery/patch/json-value.js';

const containerCount = 40;

function container(i: number, image: string): JSONObject {
  return {
    name: `c${i}`,
    image,
    args: ['--port', String(8000 + i)],
    env: Array.from({ length: 5 }, (_, e) => ({ name: `VAR_${e}`, value: `${i}-${e}` })),
    ports: [{ containerPort: 8000 + i, protocol: 'TCP' }, { containerPort: 9000 + i, protocol: 'TCP', name: `metrics-${i}` }],
    volumeMounts: [{ name: `v${i}`, mountPath: `/data/${i}` }, { name: 'shared', mountPath: `/shared/${i}` }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  };
}

function deployment(image: string, replicas: number): JSONObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'big', namespace: 'default', labels: { app: 'big' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'big' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'big' } },
        spec: {
          containers: Array.from({ length: containerCount }, (_, i) => container(i, image)),
          volumes: [{ name: 'shared', emptyDir: {} }, ...Array.from({ length: containerCount }, (_, i) => ({ name: `v${i}`, configMap: { name: `cm-${i}` } }))],
        },
      },
    },
  };
}

/** Runs `op` for about `seconds` (after a warm-up) and reports operations per second. */
function measure(op: () => unknown, seconds: number): { opsPerSecond: number; microsPerOp: number; iterations: number } {
  for (let i = 0; i < 20; i++) op();
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let iterations = 0;
  let elapsed = 0n;
  while (elapsed < budget && iterations < 1_000_000) {
    for (let i = 0; i < 5; i++) op();
    iterations += 5;
    elapsed = process.hrtime.bigint() - start;
  }
  const secs = Number(elapsed) / 1e9;
  return { opsPerSecond: Math.round(iterations / secs), microsPerOp: Math.round((secs / iterations) * 1e6), iterations };
}

function main(): void {
  const secondsArg = process.argv.find((a) => a.startsWith('--seconds='));
  const seconds = secondsArg ? Number(secondsArg.slice('--seconds='.length)) : 2;
  if (!(seconds > 0 && seconds <= 60)) throw new Error('--seconds must be in (0, 60]');
  const schema = applySchemaFor('apps', 'v1', 'Deployment')!;
  const now = new Date('2026-11-22T06:00:00Z');
  const v1 = deployment('registry.example/app:1.0', 3);
  const v2 = deployment('registry.example/app:1.1', 4);
  const common = { manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now };
  const live = apply({ ...common, live: undefined, applied: v1 }).object;
  (live.metadata as JSONObject).uid = 'bench-uid';
  const scaled = structuredClone(live);
  (scaled.spec as JSONObject).replicas = 5;

  const report = {
    benchmark: 'server-side-apply',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    object: { containers: containerCount, bytes: JSON.stringify(live).length, managedFieldsBytes: JSON.stringify((live.metadata as JSONObject).managedFields).length },
    results: {
      applyCreate: measure(() => apply({ ...common, live: undefined, applied: v1 }), seconds),
      applyChanged: measure(() => apply({ ...common, live, applied: v2 }), seconds),
      applyNoop: measure(() => apply({ ...common, live, applied: v1 }), seconds),
      updateManagedFieldsScale: measure(() => updateManagedFields({ old: live, new: scaled, manager: 'kubectl', subresource: 'scale', apiVersion: 'apps/v1', schema, now }), seconds),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main();
