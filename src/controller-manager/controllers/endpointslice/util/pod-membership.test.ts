// Membership rules shared by the endpoints controllers: which pods count, named ports, which pod updates
// resync which Services, and trigger times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeInformer } from '../../../testing/fake-informer.js';
import { findPort, servicesToUpdateOnPodChange, shouldPodBeInEndpoints, type Pod, type Service } from './pod-membership.js';
import { formatRFC3339Nano, TriggerTimeTracker } from './trigger-time-tracker.js';

function pod(extra: { labels?: Record<string, string>; phase?: string; ip?: string; deleting?: boolean; ready?: boolean; rv?: string; readyAt?: string } = {}): Pod {
  return {
    metadata: { namespace: 'ns', name: 'p', resourceVersion: extra.rv ?? '1', labels: extra.labels ?? { app: 'a' }, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }], initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }] },
    status: {
      phase: extra.phase ?? 'Running',
      podIP: extra.ip ?? '10.0.0.1',
      podIPs: extra.ip === '' ? [] : [{ ip: extra.ip ?? '10.0.0.1' }],
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True', lastTransitionTime: extra.readyAt ?? '2026-01-01T00:00:00Z' }],
    },
  };
}

test('shouldPodBeInEndpoints', () => {
  const cases = [
    { name: 'running with IP', pod: pod(), includeTerminating: false, want: true },
    { name: 'succeeded', pod: pod({ phase: 'Succeeded' }), includeTerminating: true, want: false },
    { name: 'failed', pod: pod({ phase: 'Failed' }), includeTerminating: true, want: false },
    { name: 'no IP', pod: pod({ ip: '' }), includeTerminating: true, want: false },
    { name: 'terminating', pod: pod({ deleting: true }), includeTerminating: false, want: false },
    { name: 'terminating, published', pod: pod({ deleting: true }), includeTerminating: true, want: true },
  ];
  for (const c of cases) assert.equal(shouldPodBeInEndpoints(c.pod, c.includeTerminating), c.want, c.name);
});

test('findPort', () => {
  const cases: Array<{ name: string; port: { port: number; targetPort?: number | string; protocol?: string }; want: number | 'error' }> = [
    { name: 'unset target is the port', port: { port: 80 }, want: 80 },
    { name: 'number', port: { port: 80, targetPort: 9376 }, want: 9376 },
    { name: 'named', port: { port: 80, targetPort: 'http' }, want: 8080 },
    { name: 'named with protocol', port: { port: 53, targetPort: 'dns', protocol: 'UDP' }, want: 53 },
    { name: 'protocol mismatch', port: { port: 53, targetPort: 'dns' }, want: 'error' },
    { name: 'sidecar init container', port: { port: 1, targetPort: 'proxy' }, want: 15001 },
    { name: 'unknown name', port: { port: 80, targetPort: 'nope' }, want: 'error' },
  ];
  for (const c of cases) {
    const got = findPort(pod(), c.port);
    assert.equal(got instanceof Error ? 'error' : got, c.want, c.name);
  }
});

test('servicesToUpdateOnPodChange', () => {
  const svc = (name: string, selector?: Record<string, string>): Service => ({ metadata: { namespace: 'ns', name }, spec: { selector } });
  const services = new FakeInformer<Service>([svc('a', { app: 'a' }), svc('b', { app: 'b' }), svc('none')]);
  const cases = [
    { name: 'resync (same resourceVersion)', old: pod(), cur: pod({ ready: false }), want: [] },
    { name: 'irrelevant change', old: pod(), cur: pod({ rv: '2' }), want: [] },
    { name: 'readiness', old: pod(), cur: pod({ rv: '2', ready: false }), want: ['ns/a'] },
    { name: 'labels only: symmetric difference', old: pod(), cur: pod({ rv: '2', labels: { app: 'b' } }), want: ['ns/a', 'ns/b'] },
    { name: 'labels and readiness: union', old: pod(), cur: pod({ rv: '2', labels: { app: 'a', x: 'y' }, ready: false }), want: ['ns/a'] },
    { name: 'label added that changes nothing', old: pod(), cur: pod({ rv: '2', labels: { app: 'a', x: 'y' } }), want: [] },
  ];
  for (const c of cases) assert.deepEqual([...servicesToUpdateOnPodChange(services.lister, c.old, c.cur)].sort(), c.want, c.name);
});

test('TriggerTimeTracker: creation time first, then the earliest new readiness transition', () => {
  const tracker = new TriggerTimeTracker();
  const svc: Service = { metadata: { namespace: 'ns', name: 's', creationTimestamp: '2026-01-01T00:00:00Z' } };
  const p1 = { ...pod({ readyAt: '2026-01-01T00:01:00Z' }), metadata: { name: 'p1' } };
  const p2 = { ...pod({ readyAt: '2026-01-01T00:02:00Z' }), metadata: { name: 'p2' } };
  assert.equal(tracker.compute('ns', svc, [p1]), Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(tracker.compute('ns', svc, [p1]), undefined);
  assert.equal(tracker.compute('ns', svc, [p1, p2]), Date.parse('2026-01-01T00:02:00Z'));
  const p1Later = { ...pod({ readyAt: '2026-01-01T00:05:00Z' }), metadata: { name: 'p1' } };
  const p2Later = { ...pod({ readyAt: '2026-01-01T00:04:00Z' }), metadata: { name: 'p2' } };
  assert.equal(tracker.compute('ns', svc, [p1Later, p2Later]), Date.parse('2026-01-01T00:04:00Z'));
  tracker.deleteService('ns', 's');
  assert.equal(tracker.compute('ns', svc, []), Date.parse('2026-01-01T00:00:00Z'));
});

test('formatRFC3339Nano trims fractional zeros like Go', () => {
  assert.equal(formatRFC3339Nano(Date.parse('2026-01-01T00:00:00.000Z')), '2026-01-01T00:00:00Z');
  assert.equal(formatRFC3339Nano(Date.parse('2026-01-01T00:00:00.120Z')), '2026-01-01T00:00:00.12Z');
});
