// What a user sees with real kubectl (1.27 and 1.33) while k8ts's scheduler works: `kubectl describe pod`
// shows the FailedScheduling event with upstream's message and PodScheduled False, then the Scheduled event
// and the node once a big enough node joins.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod } from '../../src/api/generated/core/v1.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl, type KubectlVersion } from '../harness/kubectl.js';
import { eventually, node, startCluster, startScheduler } from './scheduler-cluster.js';

for (const version of ['1.27', '1.33'] as KubectlVersion[]) {
  test(`kubectl ${version}: describe shows why a pod is Pending, then where it was scheduled`, async (t) => {
    const c = await startCluster(t);
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-sched-kubectl-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeKubeconfig({ path: kubeconfig, server: c.url });
    const k = (...args: string[]) => kubectl({ version, kubeconfig, args });
    await c.nodes().create(node({ name: 'small', cpu: '1' }));
    startScheduler(t, c);

    const overrides = JSON.stringify({ spec: { containers: [{ name: 'big', image: 'nginx', resources: { requests: { cpu: '2' } } }] } });
    const run = await k('run', 'big', '--image=nginx', `--overrides=${overrides}`);
    assert.equal(run.code, 0, run.stderr);
    await eventually(async () => ((await c.pods().get('big')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'the PodScheduled condition');
    const pending = await eventually(async () => {
      const r = await k('describe', 'pod', 'big');
      return r.stdout.includes('FailedScheduling') ? r.stdout : undefined;
    }, 'describe to show FailedScheduling');
    assert.match(pending, /Status:\s+Pending/);
    assert.match(pending, /PodScheduled\s+False/);
    assert.match(pending, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/1 nodes are available: 1 Insufficient cpu\./);

    await c.nodes().create(node({ name: 'large', cpu: '8' }));
    const nodeName = await eventually(async () => {
      const r = await k('get', 'pod', 'big', '-o', 'jsonpath={.spec.nodeName}');
      return r.stdout || undefined;
    }, 'the pod to be bound');
    assert.equal(nodeName, 'large');
    const scheduled = await eventually(async () => {
      const r = await k('describe', 'pod', 'big');
      return r.stdout.includes('Scheduled ') && /Normal\s+Scheduled/.test(r.stdout) ? r.stdout : undefined;
    }, 'describe to show the Scheduled event');
    assert.match(scheduled, /Node:\s+large/);
    assert.match(scheduled, /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/big to large/);
  });
}
