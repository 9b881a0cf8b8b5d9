// kube-controller-manager flags: upstream names and defaults land in the options; bad combinations fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeControllerManagerOptions, newControllerManagerFlagSet } from './flags.js';

function parse(args: string[]) {
  const { flags, options } = newControllerManagerFlagSet();
  const r = flags.parse(args);
  return { r, options, problems: r.kind === 'ok' ? completeControllerManagerOptions(options) : [], flags };
}

test('defaults are upstream defaults', () => {
  const { options, problems } = parse([]);
  assert.deepEqual(problems, []);
  assert.deepEqual(options.controllers, ['*']);
  assert.equal(options.leaderElection.leaderElect, true);
  assert.equal(options.leaderElection.leaseDurationMs, 15_000);
  assert.equal(options.leaderElection.resourceName, 'kube-controller-manager');
  assert.equal(options.leaderElection.resourceNamespace, 'kube-system');
  assert.equal(options.concurrency['deployment'], 5);
  assert.equal(options.concurrency['replicaset'], 5);
  assert.equal(options.concurrency['garbage-collector'], 20);
  assert.equal(options.terminatedPodGCThreshold, 12_500);
  assert.equal(options.securePort, 10257);
});

test('flags from a kubeadm-style command line are parsed into options', () => {
  const { r, options, problems } = parse([
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--master=https://10.0.0.1:6443',
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--leader-elect=false',
    '--concurrent-deployment-syncs=7',
    '--concurrent-replicaset-syncs', '9',
    '--concurrent-gc-syncs=30',
    '--use-service-account-credentials=true',
    '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
    '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
    '--root-ca-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-cidr=10.244.0.0/16',
    '--allocate-node-cidrs=true',
    '--node-monitor-grace-period=40s',
    '--terminated-pod-gc-threshold=100',
    '--node-eviction-rate=0.5',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '-v=2',
  ]);
  assert.equal(r.kind, 'ok');
  assert.deepEqual(problems, []);
  assert.equal(options.kubeconfig, '/etc/kubernetes/controller-manager.conf');
  assert.equal(options.master, 'https://10.0.0.1:6443');
  assert.deepEqual(options.controllers, ['*', 'bootstrapsigner', 'tokencleaner']);
  assert.equal(options.leaderElection.leaderElect, false);
  assert.equal(options.concurrency['deployment'], 7);
  assert.equal(options.concurrency['replicaset'], 9);
  assert.equal(options.concurrency['garbage-collector'], 30);
  assert.equal(options.useServiceAccountCredentials, true);
  assert.equal(options.clusterSigningKeyFile, '/etc/kubernetes/pki/ca.key');
  assert.equal(options.serviceAccountPrivateKeyFile, '/etc/kubernetes/pki/sa.key');
  assert.equal(options.clusterCIDR, '10.244.0.0/16');
  assert.equal(options.allocateNodeCIDRs, true);
  assert.equal(options.nodeMonitorGracePeriodMs, 40_000);
  assert.equal(options.terminatedPodGCThreshold, 100);
  assert.equal(options.nodeEvictionRate, 0.5);
  assert.equal(options.verbosity, 2);
});

test('bad values and combinations are refused with upstream wording', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--controllers=*,nosuch'], /"nosuch" is not in the list of known controllers/],
    [['--leader-elect-lease-duration=5s', '--leader-elect-renew-deadline=10s'], /leaseDuration must be greater than renewDeadline/],
    [['--leader-elect-renew-deadline=2s', '--leader-elect-retry-period=2s'], /renewDeadline must be greater than retryPeriod\*JitterFactor/],
    [['--allocate-node-cidrs'], /--cluster-cidr is required/],
  ];
  for (const [args, want] of cases) {
    const { problems } = parse(args);
    assert.match(problems.join('\n'), want, args.join(' '));
  }
  const bad = parse(['--node-eviction-rate=fast']);
  assert.equal(bad.r.kind, 'error');
});
