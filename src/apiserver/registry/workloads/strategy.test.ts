import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject, ResourceStrategy, StrategyContext } from '../strategy.js';
import { labelSelectorMatches } from './selector.js';
import { cronJobStrategy, daemonSetStrategy, deploymentStrategy, jobStrategy, replicaSetStrategy, statefulSetStrategy } from './strategy.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };
const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

function deployment(spec: Record<string, unknown>): APIObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'uid-1' }, spec, status: { replicas: 9 } };
}

test('initial status as upstream serialises it', () => {
  const cases: Array<[string, ResourceStrategy, unknown]> = [
    ['deployment', deploymentStrategy, {}],
    ['replicaset', replicaSetStrategy, { replicas: 0 }],
    ['statefulset', statefulSetStrategy, { replicas: 0, availableReplicas: 0 }],
    ['daemonset', daemonSetStrategy, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }],
    ['job', jobStrategy, {}],
    ['cronjob', cronJobStrategy, {}],
  ];
  for (const [name, s, want] of cases) {
    const obj = deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) });
    s.prepareForCreate!(obj, ctx);
    assert.deepEqual(obj.status, want, name);
    assert.equal(s.hasGeneration, true, name);
  }
});

test('deployment defaults', () => {
  const obj = deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) });
  deploymentStrategy.prepareForCreate!(obj, ctx);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
  assert.equal(spec.template.spec.restartPolicy, 'Always');
});

test('deployment validation: selector required, must match template labels, immutable', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'no selector', spec: { template: template({ app: 'web' }) }, want: ['spec.selector: Required value'] },
    {
      name: 'empty selector',
      spec: { selector: {}, template: template({ app: 'web' }) },
      want: ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    },
    {
      name: 'mismatch',
      spec: { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'web' }) },
      want: ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'template restartPolicy',
      spec: { selector: { matchLabels: { app: 'web' } }, template: { ...template({ app: 'web' }), spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } },
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'negative replicas',
      spec: { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) },
      want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'template without containers',
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {} } },
      want: ['spec.template.spec.containers: Required value'],
    },
  ];
  for (const c of cases) {
    const obj = deployment(c.spec);
    deploymentStrategy.prepareForCreate!(obj, ctx);
    assert.deepEqual(deploymentStrategy.validate!(obj, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.name);
  }
  const old = deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', v: '1' }) });
  deploymentStrategy.prepareForCreate!(old, ctx);
  const updated = deployment({ selector: { matchLabels: { app: 'web', v: '1' } }, template: template({ app: 'web', v: '1' }) });
  deploymentStrategy.prepareForUpdate!(updated, old, ctx);
  assert.deepEqual(updated.status, old.status);
  assert.deepEqual(deploymentStrategy.validateUpdate!(updated, old, ctx).map((e) => `${e.field}: ${e.detail}`), [
    'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"1"}}: field is immutable',
  ]);
});

test('jobs get a generated selector and labels from their uid', () => {
  const job: APIObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } };
  jobStrategy.prepareForCreate!(job, ctx);
  const spec = job.spec as Record<string, any>;
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.equal(spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'pi');
  assert.equal(spec.completions, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.deepEqual(jobStrategy.validate!(job, ctx), []);
  const always = structuredClone(job);
  (always.spec as any).template.spec.restartPolicy = 'Always';
  assert.deepEqual(jobStrategy.validate!(always, ctx).map((e) => e.field), ['spec.template.spec.restartPolicy']);
  assert.equal(jobStrategy.selectableFields!['status.successful']({ status: { successful: 3 } }), '3');
  assert.equal(replicaSetStrategy.selectableFields!['status.replicas']({}), '0');
});

test('label selector matching', () => {
  const labels = { app: 'web', tier: 'fe' };
  const cases: Array<[Record<string, unknown>, boolean]> = [
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, false],
  ];
  for (const [sel, want] of cases) assert.equal(labelSelectorMatches(sel, labels), want, JSON.stringify(sel));
});

test('statefulset and job update rules', () => {
  const sts = deployment({ serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) });
  statefulSetStrategy.prepareForCreate!(sts, ctx);
  const cases: Array<{ name: string; mutate: (spec: Record<string, any>) => void; want: string[] }> = [
    { name: 'replicas', mutate: (s) => (s.replicas = 3), want: [] },
    { name: 'template image', mutate: (s) => (s.template.spec.containers[0].image = 'db:2'), want: [] },
    {
      name: 'serviceName',
      mutate: (s) => (s.serviceName = 'other'),
      want: [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ],
    },
  ];
  for (const c of cases) {
    const next = structuredClone(sts);
    c.mutate(next.spec as Record<string, any>);
    statefulSetStrategy.prepareForUpdate!(next, sts, ctx);
    assert.deepEqual(statefulSetStrategy.validateUpdate!(next, sts, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.name);
  }

  const job: APIObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } };
  jobStrategy.prepareForCreate!(job, ctx);
  const jobCases: Array<{ name: string; suspended: boolean; mutate: (spec: Record<string, any>) => void; fields: string[] }> = [
    { name: 'image change', suspended: false, mutate: (s) => (s.template.spec.containers[0].image = 'perl:2'), fields: ['spec.template'] },
    { name: 'nodeSelector while running', suspended: false, mutate: (s) => (s.template.spec.nodeSelector = { a: 'b' }), fields: ['spec.template'] },
    { name: 'nodeSelector while suspended', suspended: true, mutate: (s) => (s.template.spec.nodeSelector = { a: 'b' }), fields: [] },
    { name: 'parallelism', suspended: false, mutate: (s) => (s.parallelism = 4), fields: [] },
  ];
  for (const c of jobCases) {
    const old = structuredClone(job);
    (old.spec as any).suspend = c.suspended;
    const next = structuredClone(old);
    c.mutate(next.spec as Record<string, any>);
    jobStrategy.prepareForUpdate!(next, old, ctx);
    assert.deepEqual(jobStrategy.validateUpdate!(next, old, ctx).map((e) => e.field), c.fields, c.name);
  }
});

test('status updates keep the stored spec (and a Deployment its labels) but take annotations from the request', () => {
  const old = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1 }, status: {} };
  const next = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'changed' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 7 },
    status: { observedGeneration: 1 },
  };
  deploymentStrategy.prepareForStatusUpdate!(next, old, ctx);
  assert.deepEqual(next.spec, { replicas: 1 });
  assert.deepEqual(next.metadata.labels, { app: 'web' });
  assert.deepEqual(next.metadata.annotations, { 'deployment.kubernetes.io/revision': '2' });
  assert.deepEqual(next.status, { observedGeneration: 1 });

  const rs = { metadata: { name: 'rs', labels: { new: 'label' } }, spec: { replicas: 5 }, status: { replicas: 2 } };
  replicaSetStrategy.prepareForStatusUpdate!(rs, { metadata: { name: 'rs' }, spec: { replicas: 3 } }, ctx);
  assert.deepEqual(rs.spec, { replicas: 3 });
  assert.deepEqual(rs.metadata.labels, { new: 'label' }, 'a ReplicaSet status update may change labels (upstream resets only the spec)');
});

test("a statefulset's pod template is validated as upstream: labels, restartPolicy and activeDeadlineSeconds, not the pod spec", () => {
  const sts = deployment({
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db', volumeMounts: [{ name: 'data', mountPath: '/var/lib/db' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  });
  statefulSetStrategy.prepareForCreate!(sts, ctx);
  assert.deepEqual(statefulSetStrategy.validate!(sts, ctx), [], 'a mount of a volumeClaimTemplate is fine');
  const bad = structuredClone(sts) as APIObject & { spec: Record<string, any> };
  bad.spec.template.spec.restartPolicy = 'Never';
  bad.spec.template.spec.activeDeadlineSeconds = 5;
  bad.spec.template.spec.containers[0].name = 'Not_A_Name';
  assert.deepEqual(
    statefulSetStrategy.validate!(bad, ctx).map((e) => `${e.field}: ${e.detail}`),
    [
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
  );
});
