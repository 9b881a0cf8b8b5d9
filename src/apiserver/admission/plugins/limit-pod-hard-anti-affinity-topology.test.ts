import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testAttributes } from '../test-attributes.js';
import { newLimitPodHardAntiAffinityTopology } from './limit-pod-hard-anti-affinity-topology.js';

test('required anti-affinity only across hostnames', async () => {
  const plugin = newLimitPodHardAntiAffinityTopology();
  const pod = (topologyKey: string) => ({
    metadata: { name: 'p' },
    spec: { containers: [], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey, labelSelector: { matchLabels: { app: 'x' } } }] } } },
  });
  await plugin.validate!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod('kubernetes.io/hostname') }));
  await assert.rejects(plugin.validate!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod('topology.kubernetes.io/zone') })), {
    code: 403,
    message: 'pods "p" is forbidden: affinity.PodAntiAffinity.RequiredDuringScheduling has TopologyKey topology.kubernetes.io/zone but only key kubernetes.io/hostname is allowed',
  });
});
