import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandForInvocationName, commands } from './commands.js';
import { runComponentCommand } from './run-component.js';
import { schedulerCommand } from './scheduler-command.js';

test('kube-scheduler is the scheduler command (symlink name) and `k8ts scheduler` exists', () => {
  assert.equal(commandForInvocationName('kube-scheduler'), 'scheduler');
  assert.ok(commands.some((c) => c.name === 'scheduler'));
});

test('kube-scheduler --help lists upstream flags; bad flags exit 2 with the reason', async () => {
  let out = '';
  let err = '';
  const env = { home: '/nonexistent', shutdown: new AbortController().signal, stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
  assert.equal(await runComponentCommand(schedulerCommand, ['--help'], env), 0);
  for (const flag of ['--config', '--kubeconfig', '--master', '--leader-elect', '--leader-elect-lease-duration', '--secure-port', '--bind-address', '--tls-cert-file']) {
    assert.ok(out.includes(flag), `--help lists ${flag}`);
  }
  assert.equal(await runComponentCommand(schedulerCommand, ['--leader-elect-renew-deadline=20s'], env), 2);
  assert.match(err, /leaseDuration must be greater than renewDeadline: 15s <= 20s/);
});
