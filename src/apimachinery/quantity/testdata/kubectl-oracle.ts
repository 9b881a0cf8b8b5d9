// Real kubectl as the reference for quantity text: `kubectl create quota --hard=name=<q> --dry-run=client -o json`
// parses each value with upstream's ParseQuantity and prints it with its MarshalJSON, without any server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** kubectl to use as the oracle: $K8TS_KUBECTL, else the 1.33 binary of this machine kind; undefined if absent. */
export function oracleKubectl(): string | undefined {
  const candidates = [process.env.K8TS_KUBECTL, '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** What upstream made of one quantity text: its printed form, or its error text. */
export type QuantityOutcome = { input: string; output: string } | { input: string; error: string };

function createQuota(kubectl: string, inputs: readonly string[]): { hard: Record<string, string> } | { error: string } {
  const hard = inputs.map((input, i) => `q${String(i).padStart(5, '0')}=${input}`).join(',');
  const run = spawnSync(kubectl, ['create', 'quota', 'oracle', `--hard=${hard}`, '--dry-run=client', '-o', 'json', '--kubeconfig', '/dev/null'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) return { error: run.stderr.replace(/^error: /i, '').replace(/\n$/, '') };
  return { hard: (JSON.parse(run.stdout) as { spec: { hard: Record<string, string> } }).spec.hard };
}

/**
 * Asks kubectl about many quantity texts at once (one process per batch of up to 200; a batch holding a bad value
 * is retried one value at a time to learn each error). Inputs must not contain `,` or `=`.
 */
export function kubectlQuantities(kubectl: string, inputs: readonly string[]): QuantityOutcome[] {
  const outcomes: QuantityOutcome[] = [];
  for (let start = 0; start < inputs.length; start += 200) {
    const batch = inputs.slice(start, start + 200);
    const all = createQuota(kubectl, batch);
    if ('hard' in all) {
      batch.forEach((input, i) => outcomes.push({ input, output: all.hard[`q${String(i).padStart(5, '0')}`] }));
      continue;
    }
    for (const input of batch) {
      const one = createQuota(kubectl, [input]);
      outcomes.push('hard' in one ? { input, output: one.hard.q00000 } : { input, error: one.error });
    }
  }
  return outcomes;
}
