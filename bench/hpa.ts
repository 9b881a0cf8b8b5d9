// HPA computation cost per reconcile with 100 pods: the replica calculator (utilization and averageValue) and
// normalization over 100 pods' samples. Excludes API round trips. Prints one JSON report: node --import tsx bench/hpa.ts
import { normalizeDesiredReplicas, type ScalingHistory } from '../src/controller-manager/controllers/podautoscaler/normalize.js';
import { defaultReplicaCalculatorOptions, plainMetricReplicas, resourceReplicas, type CalculatorPod, type PodMetric } from '../src/controller-manager/controllers/podautoscaler/replica-calculator.js';
import { microsPerOp } from './micro-timing.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const longAgo = new Date(now - 3_600_000).toISOString();
const pods: CalculatorPod[] = [];
const metrics = new Map<string, PodMetric>();
for (let i = 0; i < 100; i++) {
  const name = `web-${i}`;
  pods.push({
    metadata: { name },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '250m' } } }, { name: 'sidecar', resources: { requests: { cpu: '50m' } } }] },
    status: { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] },
  });
  // 90 pods report, 10 are missing: the slower, two-pass path.
  if (i < 90) metrics.set(name, { value: 200 + (i % 7) * 20, timestamp: now - 10_000, windowMs: 30_000 });
}
const calc = { currentReplicas: 100, metrics, pods, resource: 'cpu', now };
const history: ScalingHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

const seconds = 1;
const report = {
  benchmark: 'hpa-compute',
  pods: 100,
  utilizationMicros: microsPerOp(() => resourceReplicas(calc, 50, defaultReplicaCalculatorOptions), seconds),
  averageValueMicros: microsPerOp(() => plainMetricReplicas(calc, 200, defaultReplicaCalculatorOptions), seconds),
  normalizeMicros: microsPerOp(() => {
    history.recommendations.length = 0;
    return normalizeDesiredReplicas({ currentReplicas: 100, desiredReplicas: 150, minReplicas: 1, maxReplicas: 500, behavior: {}, history, now, downscaleStabilizationWindowMs: 300_000 });
  }, seconds),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
