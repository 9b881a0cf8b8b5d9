// Table-driven tests of the HPA replica calculator: utilization, averages, tolerance, missing and unready pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultReplicaCalculatorOptions, plainMetricReplicas, resourceReplicas, type CalculatorPod, type PodMetric, type ReplicaProposal,
} from './replica-calculator.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const longAgo = new Date(now - 3_600_000).toISOString();

function pod(name: string, opts: { cpu?: string; phase?: string; ready?: 'True' | 'False'; started?: string; transition?: string; deleting?: boolean } = {}): CalculatorPod {
  return {
    metadata: { name, ...(opts.deleting ? { deletionTimestamp: longAgo } : {}) },
    spec: { containers: [{ name: 'app', resources: { requests: opts.cpu === undefined ? {} : { cpu: opts.cpu } } }] },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: opts.started ?? longAgo,
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True', lastTransitionTime: opts.transition ?? longAgo }],
    },
  };
}

function samples(values: Record<string, number>): Map<string, PodMetric> {
  return new Map(Object.entries(values).map(([name, value]) => [name, { value, timestamp: now - 10_000, windowMs: 30_000 }]));
}

const ts = now - 10_000;
const cases: { name: string; current: number; pods: CalculatorPod[]; metrics: Record<string, number>; target: number; plain?: boolean; want: ReplicaProposal }[] = [
  {
    name: 'scale up: 150% of a 50% target on one pod → 3',
    current: 1, pods: [pod('a', { cpu: '100m' })], metrics: { a: 150 }, target: 50,
    want: { ok: true, replicas: 3, utilization: 150, rawAverageValue: 150, timestamp: ts },
  },
  {
    name: 'within tolerance keeps the current size',
    current: 2, pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '1' })], metrics: { a: 520, b: 530 }, target: 50,
    want: { ok: true, replicas: 2, utilization: 52, rawAverageValue: 525, timestamp: ts },
  },
  {
    name: 'scale down on low usage',
    current: 4, pods: ['a', 'b', 'c', 'd'].map((n) => pod(n, { cpu: '1' })), metrics: { a: 100, b: 100, c: 100, d: 100 }, target: 50,
    want: { ok: true, replicas: 1, utilization: 10, rawAverageValue: 100, timestamp: ts },
  },
  {
    name: 'missing pod assumed at 100% on scale down keeps the direction but damps it',
    current: 3, pods: ['a', 'b', 'c'].map((n) => pod(n, { cpu: '1' })), metrics: { a: 100, b: 100 }, target: 50,
    // first ratio 0.2; second (100+100+1000)/3000 = 40% → 0.8 → ceil(2.4) = 3 ≤ current → 3
    want: { ok: true, replicas: 3, utilization: 10, rawAverageValue: 100, timestamp: ts },
  },
  {
    name: 'unready pods count as zero when scaling up',
    current: 2, pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '1', phase: 'Pending' })], metrics: { a: 1000 }, target: 50,
    // first 100/50 = 2; second (1000+0)/2000 = 50% → ratio 1 → within tolerance → current
    want: { ok: true, replicas: 2, utilization: 100, rawAverageValue: 1000, timestamp: ts },
  },
  {
    name: 'deleting and failed pods are ignored',
    current: 3, pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '1', deleting: true }), pod('c', { cpu: '1', phase: 'Failed' })], metrics: { a: 1000, b: 0, c: 0 }, target: 50,
    want: { ok: true, replicas: 2, utilization: 100, rawAverageValue: 1000, timestamp: ts },
  },
  {
    name: 'young pod ready for less than a window is unready for cpu',
    current: 2,
    pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '1', started: new Date(now - 60_000).toISOString(), transition: new Date(now - 20_000).toISOString() })],
    metrics: { a: 2000, b: 2000 }, target: 50,
    // b's sample (taken at now-10s) is within 30 s of its readiness → ignored; a alone: 200% → ratio 4; b counted as 0 → (2000)/2000 = 100% → 2 → ceil(2*2)=4
    want: { ok: true, replicas: 4, utilization: 200, rawAverageValue: 2000, timestamp: ts },
  },
  {
    name: 'no pods',
    current: 1, pods: [], metrics: {}, target: 50,
    want: { ok: false, message: 'no pods returned by selector while calculating replica count' },
  },
  {
    name: 'no samples',
    current: 1, pods: [pod('a', { cpu: '1', phase: 'Pending' })], metrics: {}, target: 50,
    want: { ok: false, message: 'did not receive metrics for targeted pods (pods might be unready)' },
  },
  {
    name: 'a container without a request',
    current: 1, pods: [pod('a')], metrics: { a: 100 }, target: 50,
    want: { ok: false, message: 'missing request for cpu in container app of Pod a' },
  },
  {
    name: 'averageValue: 600m average against a 200m target → 3x',
    current: 2, pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '1' })], metrics: { a: 500, b: 700 }, target: 200, plain: true,
    want: { ok: true, replicas: 6, rawAverageValue: 600, timestamp: ts },
  },
];

for (const c of cases) {
  test(`replica calculator: ${c.name}`, () => {
    const calc = { currentReplicas: c.current, metrics: samples(c.metrics), pods: c.pods, resource: 'cpu', now };
    const got = c.plain ? plainMetricReplicas(calc, c.target, defaultReplicaCalculatorOptions) : resourceReplicas(calc, c.target, defaultReplicaCalculatorOptions);
    assert.deepEqual(got, c.want);
  });
}
