// Real kubectl as the reference implementation: `kubectl patch -f <file> --local --type strategic -p <patch>`
// applies a strategic merge patch with upstream's own code (Go struct tags as the schema) and no server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONObject } from '../../json-value.js';

/** kubectl to use as the oracle: $K8TS_KUBECTL, else the 1.33 binary of this machine kind; undefined if absent. */
export function oracleKubectl(): string | undefined {
  const candidates = [process.env.K8TS_KUBECTL, '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** What kubectl made of one patch: the patched object, or its error text without the `error: ` prefix. */
export type OracleOutcome = { result: JSONObject } | { error: string };

/** Applies `patch` to `original` with kubectl's strategic merge patch (about 40 ms per call). */
export function kubectlStrategicPatch(kubectl: string, original: JSONObject, patch: JSONObject): OracleOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-smp-'));
  try {
    const file = join(dir, 'object.json');
    writeFileSync(file, JSON.stringify(original));
    const run = spawnSync(kubectl, ['patch', '-f', file, '--local', '--type', 'strategic', '-p', JSON.stringify(patch), '-o', 'json', '--kubeconfig', '/dev/null'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (run.error) throw run.error;
    if (run.status === 0) return { result: JSON.parse(run.stdout) as JSONObject };
    return { error: run.stderr.replace(/^error: /, '').replace(/\n$/, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
