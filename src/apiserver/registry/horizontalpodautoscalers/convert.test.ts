import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionsAnnotation, hpaV1ToV2, hpaV2ToV1, metricsAnnotation } from './convert.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test('v1 targetCPUUtilizationPercentage ↔ v2 metrics', () => {
  const cases: Array<{ name: string; v1Spec: Record<string, unknown>; metrics: unknown[] }> = [
    {
      name: 'explicit target',
      v1Spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    {
      name: 'no target: v2 default of 80%',
      v1Spec: { scaleTargetRef: ref, maxReplicas: 5 },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  ];
  for (const c of cases) {
    const v2 = hpaV1ToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: c.v1Spec });
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual((v2.spec as any).metrics, c.metrics, c.name);
    assert.equal((v2.spec as any).targetCPUUtilizationPercentage, undefined);
    assert.equal((v2.spec as any).minReplicas, (c.v1Spec.minReplicas as number | undefined) ?? 1);
    const back = hpaV2ToV1(v2);
    assert.equal((back.spec as any).targetCPUUtilizationPercentage, (c.metrics[0] as any).resource.target.averageUtilization, c.name);
  }
});

test('v2 → v1 → v2 keeps other metrics, conditions and behavior through annotations', () => {
  const v2 = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', annotations: { team: 'a' } },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '140m' } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    },
  };
  const v1 = hpaV2ToV1(v2);
  assert.equal((v1.spec as any).targetCPUUtilizationPercentage, 60);
  assert.equal((v1.status as any).currentCPUUtilizationPercentage, 70);
  assert.ok(v1.metadata?.annotations?.[metricsAnnotation]);
  assert.ok(v1.metadata?.annotations?.[conditionsAnnotation]);
  assert.equal((v1.spec as any).metrics, undefined);
  const round = hpaV1ToV2(v1);
  assert.deepEqual(round.metadata, v2.metadata);
  assert.deepEqual(round.spec, v2.spec);
  assert.deepEqual((round.status as any).conditions, v2.status.conditions);
  assert.equal((round.status as any).currentMetrics[0].resource.current.averageUtilization, 70);
});
