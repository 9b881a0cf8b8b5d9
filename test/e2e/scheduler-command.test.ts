// `k8ts scheduler` as its own process (through src/cli/main.ts): flags, /healthz and /metrics with upstream
// metric names, scheduling against an in-process apiserver, and Lease-based leader election handing over
// between two scheduler processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import type { Pod } from '../../src/api/generated/core/v1.js';
import { freePort } from '../harness/free-port.js';
import { eventually, node, pod, startCluster } from './scheduler-cluster.js';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function startSchedulerProcess(t: TestContext, args: string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'scheduler', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  return Object.assign(child, { output: () => out });
}

/** GET over HTTPS without verifying the scheduler's self-signed certificate; also returns the certificate's CN. */
function httpsGet(url: string): Promise<{ status: number; body: string; subject: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        const cert = (res.socket as TLSSocket).getPeerCertificate();
        resolve({ status: res.statusCode ?? 0, body, subject: String(cert?.subject?.CN ?? '') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

test('kube-scheduler process: schedules, serves /healthz and /metrics over HTTPS, stops cleanly on SIGTERM', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'node1' }));
  const port = await freePort();
  const child = startSchedulerProcess(t, ['--master', c.url, '--leader-elect=false', `--secure-port=${port}`, '--bind-address=127.0.0.1']);
  await c.pods().create(pod({ name: 'p' }));
  const bound = await eventually(async () => ((await c.pods().get('p')) as Pod).spec?.nodeName || undefined, 'the pod to be bound');
  assert.equal(bound, 'node1');
  const healthz = await httpsGet(`https://127.0.0.1:${port}/healthz`);
  assert.deepEqual([healthz.status, healthz.body], [200, 'ok']);
  assert.match(healthz.subject, /^localhost@\d+$/, 'a self-signed serving certificate, as upstream');
  const metrics = (await httpsGet(`https://127.0.0.1:${port}/metrics`)).body;
  assert.match(metrics, /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} 1/);
  assert.match(metrics, /scheduler_pod_scheduling_sli_duration_seconds_count\{attempts="1"\} 1/);
  assert.match(metrics, /scheduler_pending_pods\{queue="active"\} 0/);
  assert.match(metrics, /scheduler_framework_extension_point_duration_seconds_count\{extension_point="Bind",status="Success",profile="default-scheduler"\} 1/);
  assert.equal(await stop(child), 0, child.output());
});

test('kube-scheduler rejects a bad --config with the reason and exit code 1', async (t) => {
  const c = await startCluster(t);
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { rmSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/k8ts-sched-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = `${dir}/config.yaml`;
  writeFileSync(file, 'apiVersion: kubescheduler.config.k8s.io/v1beta9\nkind: KubeSchedulerConfiguration\n');
  const child = startSchedulerProcess(t, ['--master', c.url, `--config=${file}`, '--secure-port=0']);
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 1);
  // klog quotes the error value, escaping its inner quotes.
  assert.ok(child.output().includes('no kind \\"KubeSchedulerConfiguration\\" is registered for version \\"kubescheduler.config.k8s.io/v1beta9\\"'), child.output());
});

test('leader election: only the Lease holder schedules; the standby takes over when it stops', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'node1' }));
  const le = ['--leader-elect-lease-duration=2s', '--leader-elect-renew-deadline=1500ms', '--leader-elect-retry-period=250ms', '--secure-port=0'];
  const first = startSchedulerProcess(t, ['--master', c.url, ...le]);
  const lease = await eventually(async () => {
    try {
      const l = await c.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, 'kube-system').get('kube-scheduler');
      return (l.spec as { holderIdentity?: string } | undefined)?.holderIdentity || undefined;
    } catch {
      return undefined;
    }
  }, 'the first scheduler to take the Lease');
  const second = startSchedulerProcess(t, ['--master', c.url, ...le]);
  await c.pods().create(pod({ name: 'p1' }));
  await eventually(async () => ((await c.pods().get('p1')) as Pod).spec?.nodeName || undefined, 'p1 to be bound by the leader');
  assert.equal(await stop(first), 0, first.output());
  const next = await eventually(async () => {
    const l = await c.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, 'kube-system').get('kube-scheduler');
    const holder = (l.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
    return holder && holder !== lease ? holder : undefined;
  }, 'the standby to take the Lease');
  assert.notEqual(next, lease);
  await c.pods().create(pod({ name: 'p2' }));
  assert.equal(await eventually(async () => ((await c.pods().get('p2')) as Pod).spec?.nodeName || undefined, 'p2 to be bound by the new leader'), 'node1');
  assert.equal(await stop(second), 0, second.output());
});

test('leader election: a scheduler whose Lease is taken over exits with status 1, as upstream', async (t) => {
  const c = await startCluster(t);
  const le = ['--leader-elect-lease-duration=2s', '--leader-elect-renew-deadline=1500ms', '--leader-elect-retry-period=250ms', '--secure-port=0'];
  const child = startSchedulerProcess(t, ['--master', c.url, ...le]);
  const leases = c.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, 'kube-system');
  await eventually(async () => {
    try {
      return ((await leases.get('kube-scheduler')).spec as { holderIdentity?: string } | undefined)?.holderIdentity || undefined;
    } catch {
      return undefined;
    }
  }, 'the scheduler to take the Lease');
  // Another candidate takes the Lease with a long duration; the holder cannot renew and must step down.
  const exited = once(child, 'exit');
  for (let i = 0; i < 20; i++) {
    const lease = await leases.get('kube-scheduler');
    const now = new Date().toISOString().replace('Z', '000Z');
    try {
      await leases.update({ ...lease, spec: { ...(lease.spec as object), holderIdentity: 'intruder', leaseDurationSeconds: 60, renewTime: now, acquireTime: now } });
      break;
    } catch {
      // Conflict with the holder's renewal: read again.
    }
  }
  const [code] = (await exited) as [number | null];
  assert.equal(code, 1, child.output());
  assert.match(child.output(), /leaderelection lost/);
});
