// Table-driven tests of HPA normalization: stabilization windows, rate policies, select policies and clamping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeDesiredReplicas, storeScaleEvent, type Behavior, type NormalizeResult, type Reasoned, type ScalingHistory } from './normalize.js';

const now = 1_000_000_000;
const empty = (): ScalingHistory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });
const ready: Reasoned = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const within: Reasoned = { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

const cases: { name: string; current: number; desired: number; min?: number; max?: number; behavior?: Behavior; history?: ScalingHistory; want: NormalizeResult }[] = [
  { name: 'legacy: within range', current: 2, desired: 3, want: { replicas: 3, ableToScale: ready, scalingLimited: within } },
  {
    name: 'legacy: clamped to minReplicas', current: 3, desired: 1, min: 2,
    want: { replicas: 2, ableToScale: ready, scalingLimited: { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } },
  },
  {
    name: 'legacy: clamped to maxReplicas', current: 3, desired: 9, max: 5,
    want: { replicas: 5, ableToScale: ready, scalingLimited: { status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' } },
  },
  {
    name: 'legacy: up rate max(2x, 4)', current: 3, desired: 20, max: 50,
    want: { replicas: 6, ableToScale: ready, scalingLimited: { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } },
  },
  {
    name: 'legacy: a higher recommendation inside the 5 min window holds a scale down', current: 4, desired: 2,
    history: { recommendations: [{ replicas: 4, timestamp: now - 60_000 }], scaleUpEvents: [], scaleDownEvents: [] },
    want: { replicas: 4, ableToScale: { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }, scalingLimited: within },
  },
  {
    name: 'legacy: a recommendation older than the window is forgotten', current: 4, desired: 2,
    history: { recommendations: [{ replicas: 4, timestamp: now - 600_000 }], scaleUpEvents: [], scaleDownEvents: [] },
    want: { replicas: 2, ableToScale: ready, scalingLimited: within },
  },
  {
    name: 'behavior: Pods policy limits scale up', current: 2, desired: 10, max: 20,
    behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    want: { replicas: 3, ableToScale: ready, scalingLimited: { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } },
  },
  {
    name: 'behavior: recent scale up events count against the period', current: 3, desired: 10, max: 20,
    behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    history: { recommendations: [], scaleUpEvents: [{ replicaChange: 1, timestamp: now - 30_000 }], scaleDownEvents: [] },
    want: { replicas: 3, ableToScale: ready, scalingLimited: { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } },
  },
  {
    name: 'behavior: selectPolicy Min picks the smaller scale down', current: 10, desired: 1,
    behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 2, periodSeconds: 60 }] } },
    want: { replicas: 8, ableToScale: ready, scalingLimited: { status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } },
  },
  {
    name: 'behavior: Disabled scale down keeps the size', current: 4, desired: 1,
    behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } },
    want: { replicas: 4, ableToScale: ready, scalingLimited: { status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } },
  },
  {
    name: 'behavior: the default 300 s down window stabilizes', current: 5, desired: 2, behavior: {},
    history: { recommendations: [{ replicas: 4, timestamp: now - 100_000 }], scaleUpEvents: [], scaleDownEvents: [] },
    want: { replicas: 4, ableToScale: { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }, scalingLimited: within },
  },
  {
    name: 'behavior: an up window takes the lowest recent recommendation', current: 2, desired: 6, max: 10,
    behavior: { scaleUp: { stabilizationWindowSeconds: 120 } },
    history: { recommendations: [{ replicas: 3, timestamp: now - 60_000 }], scaleUpEvents: [], scaleDownEvents: [] },
    want: { replicas: 3, ableToScale: { status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }, scalingLimited: within },
  },
  {
    name: 'behavior: clamped to minReplicas', current: 3, desired: 1, min: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    want: { replicas: 2, ableToScale: ready, scalingLimited: { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } },
  },
];

for (const c of cases) {
  test(`normalize: ${c.name}`, () => {
    const got = normalizeDesiredReplicas({
      currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min ?? 1, maxReplicas: c.max ?? 10,
      behavior: c.behavior, history: c.history ?? empty(), now, downscaleStabilizationWindowMs: 300_000,
    });
    assert.deepEqual(got, c.want);
  });
}

test('normalize: records the raw recommendation, reusing a forgotten slot', () => {
  const history: ScalingHistory = { recommendations: [{ replicas: 9, timestamp: now - 900_000 }, { replicas: 3, timestamp: now - 1000 }], scaleUpEvents: [], scaleDownEvents: [] };
  normalizeDesiredReplicas({ currentReplicas: 3, desiredReplicas: 2, minReplicas: 1, maxReplicas: 10, history, now, downscaleStabilizationWindowMs: 300_000 });
  assert.deepEqual(history.recommendations, [{ replicas: 2, timestamp: now }, { replicas: 3, timestamp: now - 1000 }]);
});

test('storeScaleEvent keeps events within the longest policy period', () => {
  const history = empty();
  history.scaleUpEvents.push({ replicaChange: 2, timestamp: now - 20_000 }, { replicaChange: 1, timestamp: now - 5_000 });
  storeScaleEvent(history, { previous: 3, next: 5, now, behavior: {} });
  assert.deepEqual(history.scaleUpEvents, [{ replicaChange: 1, timestamp: now - 5_000 }, { replicaChange: 2, timestamp: now }]);
});
