import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { completeSchedulerOptions, newSchedulerFlagSet } from './flags.js';
import { completedConfiguration } from './server.js';
import { serveHealthAndMetrics } from './serving.js';

function optionsFor(args: string[]) {
  const { flags, options } = newSchedulerFlagSet();
  const parsed = flags.parse(args);
  assert.equal(parsed.kind, 'ok');
  assert.deepEqual(completeSchedulerOptions(flags, options), []);
  return options;
}

test('--config is the base; leader-election and QPS flags given explicitly override it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sched-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'leaderElection:',
      '  leaderElect: false',
      '  resourceName: from-file',
      'clientConnection:',
      '  qps: 10',
      'profiles:',
      '- schedulerName: custom',
    ].join('\n'),
  );
  const fromFile = completedConfiguration(optionsFor([`--config=${file}`]));
  assert.deepEqual([fromFile.leaderElection.leaderElect, fromFile.leaderElection.resourceName, fromFile.clientConnection.qps], [false, 'from-file', 10]);
  assert.deepEqual(fromFile.profiles.map((p) => p.schedulerName), ['custom']);
  const overridden = completedConfiguration(optionsFor([`--config=${file}`, '--leader-elect=true', '--kube-api-qps=500']));
  assert.deepEqual([overridden.leaderElection.leaderElect, overridden.leaderElection.resourceName, overridden.clientConnection.qps], [true, 'from-file', 500]);
  const noFile = completedConfiguration(optionsFor(['--leader-elect-resource-name=mine']));
  assert.deepEqual([noFile.leaderElection.leaderElect, noFile.leaderElection.resourceName, noFile.clientConnection.qps], [true, 'mine', 50]);
});

test('flag validation words problems as upstream', () => {
  const { flags, options } = newSchedulerFlagSet();
  flags.parse(['--leader-elect-lease-duration=5s', '--leader-elect-renew-deadline=10s', '--secure-port=70000']);
  assert.deepEqual(completeSchedulerOptions(flags, options), [
    'leaseDuration must be greater than renewDeadline: 5s <= 10s',
    '--secure-port 70000 must be between 0 and 65535, inclusive. 0 for turning off secure port',
  ]);
});

test('/healthz, /readyz?verbose and /metrics', async (t) => {
  let ready = false;
  const s = await serveHealthAndMetrics({
    bindAddress: '127.0.0.1',
    port: 0,
    checks: [{ name: 'ping', check: () => true }],
    ready: () => ready,
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'scheduler_x 1\n' }),
  });
  t.after(() => s.close());
  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${s.port}${path}`);
    return { status: r.status, body: await r.text() };
  };
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/readyz'), { status: 500, body: '[+]ping ok\n[-]sched-handler-sync failed: reason withheld\nreadyz check failed\n' });
  ready = true;
  assert.deepEqual(await get('/readyz?verbose'), { status: 200, body: '[+]ping ok\n[+]sched-handler-sync ok\nreadyz check passed\n' });
  assert.deepEqual(await get('/metrics'), { status: 200, body: 'scheduler_x 1\n' });
  assert.equal((await get('/nope')).status, 404);
});
