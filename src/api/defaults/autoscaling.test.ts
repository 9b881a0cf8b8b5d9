import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultHorizontalPodAutoscalerV1, defaultHorizontalPodAutoscalerV2 } from './autoscaling.js';
import type { Defaulter, JSONObject } from './fields.js';

const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test('HorizontalPodAutoscaler defaults', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; spec: JSONObject; want: JSONObject }> = [
    {
      name: 'v1: one replica at least',
      defaulter: defaultHorizontalPodAutoscalerV1,
      spec: { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      want: { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 50, minReplicas: 1 },
    },
    {
      name: 'v2 without metrics: 80% CPU',
      defaulter: defaultHorizontalPodAutoscalerV2,
      spec: { scaleTargetRef: target, maxReplicas: 5 },
      want: {
        scaleTargetRef: target, maxReplicas: 5, minReplicas: 1,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    },
    {
      // What `kubectl autoscale deploy web --cpu-percent=50 --max=5` sends shows no behavior afterwards.
      name: 'v2 with a metric and no behavior',
      defaulter: defaultHorizontalPodAutoscalerV2,
      spec: {
        scaleTargetRef: target, maxReplicas: 5, minReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }],
      },
      want: {
        scaleTargetRef: target, maxReplicas: 5, minReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }],
      },
    },
    {
      name: 'v2 behavior is completed rule by rule',
      defaulter: defaultHorizontalPodAutoscalerV2,
      spec: {
        scaleTargetRef: target, maxReplicas: 5, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
      want: {
        scaleTargetRef: target, maxReplicas: 5, minReplicas: 1,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0, selectPolicy: 'Max',
            policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
          },
          scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    },
    {
      name: 'v2 empty behavior',
      defaulter: defaultHorizontalPodAutoscalerV2,
      spec: { scaleTargetRef: target, maxReplicas: 3, minReplicas: 1, metrics: [{ type: 'Resource' }], behavior: { scaleUp: { selectPolicy: 'Disabled' } } },
      want: {
        scaleTargetRef: target, maxReplicas: 3, minReplicas: 1, metrics: [{ type: 'Resource' }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0, selectPolicy: 'Disabled',
            policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
          },
          scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
    },
  ];
  for (const c of cases) {
    const obj: JSONObject = { spec: c.spec };
    c.defaulter(obj, { now: () => 0 });
    assert.deepEqual(obj.spec, c.want, c.name);
  }
});
