import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfiguration, mergePluginSet } from './defaults.js';
import { parseConfiguration } from './load.js';

test('mergePluginSet as upstream: disabled removed, custom replaces in place, extra appended, * drops defaults', () => {
  const defaults = { enabled: [{ name: 'A' }, { name: 'B', weight: 1 }, { name: 'C' }] };
  const cases = [
    { name: 'no custom', custom: undefined, want: ['A', 'B', 'C'] },
    { name: 'disable B', custom: { disabled: [{ name: 'B' }] }, want: ['A', 'C'] },
    { name: 'replace B weight in place, append D', custom: { enabled: [{ name: 'D' }, { name: 'B', weight: 7 }] }, want: ['A', 'B:7', 'C', 'D'] },
    { name: 'star', custom: { disabled: [{ name: '*' }], enabled: [{ name: 'C' }] }, want: ['C'] },
  ];
  for (const tc of cases) {
    const got = (mergePluginSet(defaults, tc.custom).enabled ?? []).map((p) => (p.weight && p.weight !== 1 ? `${p.name}:${p.weight}` : p.name));
    assert.deepEqual(got, tc.want, tc.name);
  }
});

test('defaults: one default-scheduler profile, parallelism 16, backoff 1s/10s, Lease kube-system/kube-scheduler', () => {
  const c = defaultConfiguration();
  assert.equal(c.profiles.length, 1);
  assert.equal(c.profiles[0].schedulerName, 'default-scheduler');
  assert.equal(c.parallelism, 16);
  assert.equal(c.podInitialBackoffSeconds, 1);
  assert.equal(c.podMaxBackoffSeconds, 10);
  assert.deepEqual([c.leaderElection.resourceNamespace, c.leaderElection.resourceName, c.leaderElection.leaderElect], ['kube-system', 'kube-scheduler', true]);
  assert.deepEqual([c.clientConnection.qps, c.clientConnection.burst], [50, 100]);
});

test('parseConfiguration reads YAML and rejects what upstream rejects', () => {
  const c = parseConfiguration(
    [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'percentageOfNodesToScore: 30',
      'profiles:',
      '- schedulerName: default-scheduler',
      '- schedulerName: bin-packer',
      '  pluginConfig:',
      '  - name: NodeResourcesFit',
      '    args:',
      '      scoringStrategy:',
      '        type: MostAllocated',
    ].join('\n'),
    'c.yaml',
  );
  assert.equal(c.percentageOfNodesToScore, 30);
  assert.deepEqual(c.profiles?.[1].pluginConfig, [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }]);
  const bad = [
    { text: 'apiVersion: v1\nkind: KubeSchedulerConfiguration\n', want: /no kind "KubeSchedulerConfiguration" is registered for version "v1"/ },
    { text: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 101\n', want: /percentageOfNodesToScore: Invalid value: 101: not in valid range \[0-100\]/ },
    {
      text: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: a\n- schedulerName: a\n',
      want: /profiles\[1\].schedulerName: Duplicate value: "a"/,
    },
  ];
  for (const b of bad) assert.throws(() => parseConfiguration(b.text, 'c.yaml'), b.want);
});
