import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject, StrategyContext } from '../strategy.js';
import { podQOSClass, podStrategy } from './strategy.js';
import { defaultImagePullPolicy } from './defaults.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };

function pod(spec: Record<string, unknown>, extra: Partial<APIObject> = {}): APIObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec, ...extra };
}

test('create resets status to Pending with a QoS class and fills defaults', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] }, { status: { phase: 'Running' } });
  podStrategy.prepareForCreate!(obj, ctx);
  assert.deepEqual(obj.status, { phase: 'Pending', qosClass: 'BestEffort' });
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.priority, 0);
  assert.equal(spec.containers[0].imagePullPolicy, 'Always');
  assert.equal(spec.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.equal(spec.containers[0].ports[0].protocol, 'TCP');
  assert.deepEqual(spec.containers[0].resources, {});
});

test('imagePullPolicy defaults by tag', () => {
  const cases: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['busybox@sha256:abc', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) assert.equal(defaultImagePullPolicy(image), want, image);
});

test('QoS class', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no resources', { containers: [{ name: 'a' }] }, 'BestEffort'],
    ['requests only', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }, 'Burstable'],
    [
      'limits equal requests',
      { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }] },
      'Guaranteed',
    ],
    ['limits only (requests default to them)', { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }, 'Guaranteed'],
    ['cpu limit only', { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] }, 'Burstable'],
  ];
  for (const [name, spec, want] of cases) assert.equal(podQOSClass(spec), want, name);
});

test('validation reports upstream field paths and messages', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'no containers', spec: { containers: [] }, want: ['spec.containers: Required value'] },
    {
      name: 'duplicate names',
      spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] },
      want: ['spec.containers[1].name: Duplicate value: "a"'],
    },
    { name: 'missing image', spec: { containers: [{ name: 'a' }] }, want: ['spec.containers[0].image: Required value'] },
    {
      name: 'port out of range',
      spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000, protocol: 'TCP' }] }] },
      want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    },
    {
      name: 'bad container name',
      spec: { containers: [{ name: 'A_b', image: 'x' }] },
      want: [
        `spec.containers[0].name: Invalid value: "A_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    },
    {
      name: 'bad restart policy',
      spec: { containers: [{ name: 'a', image: 'x' }], restartPolicy: 'Sometimes' },
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    { name: 'valid', spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }] }, want: [] },
  ];
  for (const c of cases) {
    const errs = podStrategy.validate!(pod(c.spec), ctx).map((e) => `${e.field}: ${e.detail}`);
    assert.deepEqual(errs, c.want, c.name);
  }
});

test('update: only images and a few fields may change; status is kept', () => {
  const old = pod({ containers: [{ name: 'a', image: 'x:1' }] });
  podStrategy.prepareForCreate!(old, ctx);
  const cases: Array<{ name: string; mutate: (spec: Record<string, any>) => void; forbidden: boolean }> = [
    { name: 'image change', mutate: (s) => (s.containers[0].image = 'x:2'), forbidden: false },
    { name: 'activeDeadlineSeconds', mutate: (s) => (s.activeDeadlineSeconds = 30), forbidden: false },
    { name: 'add toleration', mutate: (s) => (s.tolerations = [{ key: 'k', operator: 'Exists' }]), forbidden: false },
    { name: 'add container port', mutate: (s) => (s.containers[0].ports = [{ containerPort: 80 }]), forbidden: true },
    { name: 'nodeName', mutate: (s) => (s.nodeName = 'n1'), forbidden: true },
  ];
  for (const c of cases) {
    const obj = structuredClone(old);
    obj.status = { phase: 'Running' };
    c.mutate(obj.spec as Record<string, any>);
    podStrategy.prepareForUpdate!(obj, old, ctx);
    assert.deepEqual(obj.status, old.status, c.name);
    const errs = podStrategy.validateUpdate!(obj, old, ctx);
    assert.equal(errs.some((e) => e.field === 'spec' && e.detail.startsWith('Forbidden: pod updates may not change fields other than')), c.forbidden, c.name);
  }
});

test('selectable fields read Go zero values for absent fields', () => {
  const f = podStrategy.selectableFields!;
  const obj = pod({ nodeName: 'n1', containers: [] }, { status: { phase: 'Running', podIPs: [{ ip: '10.1.0.5' }] } });
  assert.equal(f['spec.nodeName'](obj), 'n1');
  assert.equal(f['spec.hostNetwork'](obj), 'false');
  assert.equal(f['status.phase'](obj), 'Running');
  assert.equal(f['status.podIP'](obj), '10.1.0.5');
  assert.equal(f['status.nominatedNodeName'](obj), '');
  assert.equal(f['spec.serviceAccountName'](obj), '');
});

test('graceful delete: immediate for unscheduled or finished pods, else the grace period', () => {
  const cases: Array<{ name: string; obj: APIObject; grace?: number; want: number }> = [
    { name: 'unscheduled', obj: pod({ containers: [] }), want: 0 },
    { name: 'scheduled default', obj: pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30, containers: [] }), want: 30 },
    { name: 'scheduled, spec period', obj: pod({ nodeName: 'n1', terminationGracePeriodSeconds: 5, containers: [] }), want: 5 },
    { name: 'request overrides', obj: pod({ nodeName: 'n1', terminationGracePeriodSeconds: 5, containers: [] }), grace: 0, want: 0 },
    { name: 'negative request', obj: pod({ nodeName: 'n1', containers: [] }), grace: -1, want: 1 },
    { name: 'succeeded', obj: pod({ nodeName: 'n1', containers: [] }, { status: { phase: 'Succeeded' } }), want: 0 },
  ];
  for (const c of cases) assert.equal(podStrategy.checkGracefulDelete!(c.obj, { gracePeriodSeconds: c.grace }), c.want, c.name);
});
