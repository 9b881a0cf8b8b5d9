// Strategic merge patch throughput on a Deployment with 40 containers: applying kubectl's client-side apply
// patch and a `rollout restart` patch, and computing the three-way patch. Prints one JSON report on stdout.
// Run: node --import tsx bench/smp.ts [--seconds=2]
import { cpus } from 'node:os';
import { strategicMergePatchSchema } from '../src/api/strategic-schema.js';
import type { JSONObject } from '../src/apimachinery/patch/json-value.js';
import { createThreeWayMergePatch } from '../src/apimachinery/patch/strategic/create-patch.js';
import { applyStrategicMergePatch } from '../src/apimachinery/patch/strategic/strategic-merge-patch.js';

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

function deployment(images: (i: number) => string, count = containerCount): JSONObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'big', namespace: 'default', labels: { app: 'big' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'big' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'big' } },
        spec: {
          containers: Array.from({ length: count }, (_, i) => container(i, images(i))),
          volumes: [{ name: 'shared', emptyDir: {} }, ...Array.from({ length: count }, (_, i) => ({ name: `v${i}`, configMap: { name: `cm-${i}` } }))],
        },
      },
    },
  };
}

/** Runs `op` for about `seconds` (after a warm-up) and reports operations per second. */
function measure(op: () => unknown, seconds: number): { opsPerSecond: number; microsPerOp: number; iterations: number } {
  for (let i = 0; i < 200; i++) op();
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let iterations = 0;
  let elapsed = 0n;
  while (elapsed < budget && iterations < 10_000_000) {
    for (let i = 0; i < 50; i++) op();
    iterations += 50;
    elapsed = process.hrtime.bigint() - start;
  }
  const secs = Number(elapsed) / 1e9;
  return { opsPerSecond: Math.round(iterations / secs), microsPerOp: Math.round((secs / iterations) * 1e6 * 10) / 10, iterations };
}

function main(): void {
  const secondsArg = process.argv.find((a) => a.startsWith('--seconds='));
  const seconds = secondsArg ? Number(secondsArg.slice('--seconds='.length)) : 2;
  if (!(seconds > 0 && seconds <= 60)) throw new Error('--seconds must be in (0, 60]');
  const schema = strategicMergePatchSchema('apps', 'v1', 'Deployment')!;

  // Client-side apply: every image bumped, one container replaced, defaults present only in the live object.
  const lastApplied = deployment(() => 'registry.example/app:1.0');
  const modified = deployment(() => 'registry.example/app:1.1');
  const modifiedContainers = ((modified.spec as JSONObject).template as JSONObject).spec as JSONObject;
  (modifiedContainers.containers as JSONObject[])[39] = container(40, 'registry.example/new:1.0');
  const live = structuredClone(lastApplied);
  for (const c of (((live.spec as JSONObject).template as JSONObject).spec as JSONObject).containers as JSONObject[]) {
    Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  }
  const applyPatch = createThreeWayMergePatch({ original: lastApplied, modified, current: live, schema });
  const restartPatch: JSONObject = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T06:00:00Z' } } } } };

  const report = {
    benchmark: 'strategic-merge-patch',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    object: { containers: containerCount, bytes: JSON.stringify(live).length },
    results: {
      applyClientSideApplyPatch: { patchBytes: JSON.stringify(applyPatch).length, ...measure(() => applyStrategicMergePatch({ original: live, patch: applyPatch, schema }), seconds) },
      applyRolloutRestartPatch: { patchBytes: JSON.stringify(restartPatch).length, ...measure(() => applyStrategicMergePatch({ original: live, patch: restartPatch, schema }), seconds) },
      createThreeWayMergePatch: measure(() => createThreeWayMergePatch({ original: lastApplied, modified, current: live, schema }), seconds),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main();
