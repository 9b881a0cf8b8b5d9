// Shared storage across versions through the REST core: what one version writes the other reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer } from '../server.js';
import { conversionFor } from './conversions.js';

test('conversionFor knows exactly the shared-storage pairs', () => {
  const cases: Array<[string, string, string, string, string, boolean]> = [
    ['events.k8s.io', 'v1', '', 'v1', 'events', true],
    ['autoscaling', 'v1', 'autoscaling', 'v2', 'horizontalpodautoscalers', true],
    ['autoscaling', 'v2', 'autoscaling', 'v1', 'horizontalpodautoscalers', false],
    ['apps', 'v1', 'apps', 'v1', 'deployments', false],
  ];
  for (const [g, v, sg, sv, plural, want] of cases) {
    assert.equal(conversionFor({ group: g, version: v, plural }, { group: sg, version: sv, plural }) !== undefined, want, `${g}/${v} ${plural}`);
  }
});

test('HPAs and Events written in one version are read in the other', async () => {
  const server = await runAPIServer({ ...defaultAPIServerOptions('/nonexistent'), securePort: 0 }, new AbortController().signal, {
    openStore: async () => openMemoryStore(),
  });
  try {
    const r = server.registries;
    await r.get('autoscaling', 'horizontalpodautoscalers', 'v1')!.create({
      namespace: 'default',
      obj: {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
      },
    });
    const v2 = await r.get('autoscaling', 'horizontalpodautoscalers', 'v2')!.get({ namespace: 'default', name: 'web' });
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual((v2.spec as any).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    assert.equal((v2.spec as any).minReplicas, 1);

    await r.get('events.k8s.io', 'events', 'v1')!.create({
      namespace: 'default',
      obj: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'e1' },
        eventTime: '2026-11-22T06:00:00.000000Z',
        reportingController: 'k8ts.io/test',
        reportingInstance: 'test-1',
        action: 'Testing',
        reason: 'Tested',
        regarding: { kind: 'Pod', namespace: 'default', name: 'p1' },
        note: 'hello',
        type: 'Normal',
      },
    });
    const core = await r.get('', 'events', 'v1')!.get({ namespace: 'default', name: 'e1' });
    assert.equal(core.apiVersion, 'v1');
    assert.equal(core.message, 'hello');
    assert.equal(core.reportingComponent, 'k8ts.io/test');
    assert.deepEqual(core.involvedObject, { kind: 'Pod', namespace: 'default', name: 'p1' });
    const listed = await r.get('', 'events', 'v1')!.listObjects({ namespace: 'default', fieldSelector: 'involvedObject.name=p1,reason=Tested' });
    assert.deepEqual(listed.items.map((e) => e.metadata?.name), ['e1']);
  } finally {
    await server.close();
  }
});
