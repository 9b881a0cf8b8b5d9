// Regenerates the kubectl fixtures (fixed seeds): kubectl-patch-cases.json, random Deployments and strategic
// merge patches with what `kubectl patch --local` made of each, and kubectl-apply-cases.json, the PATCH bodies
// client-side `kubectl apply` (1.27, 1.30, 1.33) sent for random last-applied/live/new-file situations.
// Run: node --import tsx src/apimachinery/patch/strategic/testdata/capture-kubectl.ts
// Go iterates maps in random order, so a patch with two errors (or an add and a delete of one value) has
// several valid outcomes; each patch case records every distinct outcome seen over repeated runs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { applySituation, deployment, deploymentPatch } from './arbitraries.js';
import { recordKubectlApply } from './kubectl-apply-recorder.js';
import { kubectlStrategicPatch, oracleKubectl, type OracleOutcome } from './kubectl-oracle.js';

export interface CapturedPatchCase {
  original: Record<string, unknown>;
  patch: Record<string, unknown>;
  /** Distinct outcomes kubectl produced for this input. */
  outcomes: OracleOutcome[];
}

export interface CapturedApplyCase {
  /** kubectl binary that sent the patch. */
  kubectl: string;
  /** The file given to `kubectl apply -n default -f`. */
  fileObject: Record<string, unknown>;
  /** The Deployment the server returned for kubectl's GET (carrying the last-applied annotation). */
  live: Record<string, unknown>;
  /** The strategic merge patch kubectl sent; absent when it sent none. */
  patch?: Record<string, unknown>;
}

const seed = 20261122;
const cases = 60;
const runsPerCase = 12;
const applyCases = 30;
const applyKubectls = ['kubectl.1.27', 'kubectl.1.30', 'kubectl.1.33'];

async function captureApply(): Promise<void> {
  const out: CapturedApplyCase[] = [];
  const samples = fc.sample(applySituation, { seed: seed + 1, numRuns: applyCases });
  for (const [i, { live, next }] of samples.entries()) {
    const name = applyKubectls[i % applyKubectls.length]!;
    const recorded = await recordKubectlApply(`/usr/lib/google-cloud-sdk/bin/${name}`, next, live);
    if (recorded.stderr.includes('error')) throw new Error(`${name} apply failed: ${recorded.stderr}`);
    out.push({ kubectl: name, fileObject: next, live, ...(recorded.patch ? { patch: recorded.patch } : {}) });
  }
  const file = fileURLToPath(new URL('./kubectl-apply-cases.json', import.meta.url));
  writeFileSync(file, `[\n${out.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
  process.stderr.write(`wrote ${out.length} cases to ${file}\n`);
}

async function main(): Promise<void> {
  const kubectl = oracleKubectl();
  if (!kubectl) throw new Error('no kubectl found (set K8TS_KUBECTL)');
  await captureApply();
  const out: CapturedPatchCase[] = [];
  if (process.argv.includes("--apply-only")) return;
  for (const [original, patch] of fc.sample(fc.tuple(deployment, deploymentPatch), { seed, numRuns: cases })) {
    const seen = new Map<string, OracleOutcome>();
    for (let i = 0; i < runsPerCase; i++) {
      const outcome = kubectlStrategicPatch(kubectl, original, patch);
      seen.set(JSON.stringify(outcome), outcome);
    }
    out.push({ original, patch, outcomes: [...seen.values()] });
  }
  const file = fileURLToPath(new URL('./kubectl-patch-cases.json', import.meta.url));
  writeFileSync(file, `[\n${out.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
  process.stderr.write(`wrote ${out.length} cases to ${file}\n`);
}

await main();
