// helm against k8ts: wall time of `helm install` (until the release is recorded deployed), `helm upgrade` with a
// changed value and `helm uninstall` of the test chart (8 objects + a CRD), for helm 3 and helm 4, median of 5
// releases each. `k8ts apiserver` process on the memory store; hooks skipped (no controller manager runs the
// Job). Prints one JSON report: node --import tsx bench/helm.ts [--releases=5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer } from '../test/harness/apiserver-process.js';
import { writeDemoChart } from '../test/harness/helm-chart.js';
import { describeHelmResult, helm, helmVersions } from '../test/harness/helm.js';
import { median, round } from './stats.js';

const releases = Math.min(20, Number(process.argv.find((a) => a.startsWith('--releases='))?.split('=')[1] ?? 5));
const dir = await mkdtemp(join(tmpdir(), 'k8ts-helm-bench-'));
await writeDemoChart(join(dir, 'demo'));
const server = await startAPIServer({ backend: 'memory' });
const report: Record<string, unknown> = { benchmark: 'helm', releases, chartObjects: 8 };
try {
  for (const version of helmVersions) {
    const major = version.split('.')[0];
    const timed = async (args: string[]): Promise<number> => {
      const t0 = performance.now();
      const r = await helm({ version, kubeconfig: server.kubeconfigPath, args: [...args, '--namespace', 'default'] });
      const ms = performance.now() - t0;
      if (r.code !== 0) throw new Error(describeHelmResult(r));
      return ms;
    };
    const install: number[] = [];
    const upgrade: number[] = [];
    const uninstall: number[] = [];
    for (let i = 0; i < releases; i++) {
      const name = `bench${major}-${i}`;
      install.push(await timed(['install', name, join(dir, 'demo'), '--no-hooks']));
      upgrade.push(await timed(['upgrade', name, join(dir, 'demo'), '--no-hooks', '--set', `message=run-${i}`]));
      uninstall.push(await timed(['uninstall', name, '--no-hooks']));
    }
    report[`helm${major}`] = { version, installMs: round(median(install), 0), upgradeMs: round(median(upgrade), 0), uninstallMs: round(median(uninstall), 0) };
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
