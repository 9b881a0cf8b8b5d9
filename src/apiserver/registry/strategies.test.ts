import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strategyFor } from './strategies.js';
import type { APIObject, StrategyContext } from './strategy.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };

test('generation and status subresource per kind', () => {
  const cases: Array<[string, string, boolean | undefined, boolean | undefined]> = [
    // group, resource, hasGeneration, hasStatusSubresource
    ['', 'pods', true, true],
    ['', 'services', false, true],
    ['', 'namespaces', false, true],
    ['', 'nodes', false, true],
    ['', 'persistentvolumes', false, true],
    ['', 'persistentvolumeclaims', false, true],
    ['', 'configmaps', false, false],
    ['', 'secrets', false, false],
    ['', 'events', false, false],
    ['apps', 'deployments', true, true],
    ['batch', 'cronjobs', true, true],
    ['autoscaling', 'horizontalpodautoscalers', true, true],
    ['policy', 'poddisruptionbudgets', true, true],
    ['networking.k8s.io', 'ingresses', true, true],
    ['coordination.k8s.io', 'leases', false, undefined],
    ['certificates.k8s.io', 'certificatesigningrequests', false, true],
    ['apiextensions.k8s.io', 'customresourcedefinitions', true, true],
  ];
  for (const [g, r, gen, status] of cases) {
    const s = strategyFor(g, r);
    assert.ok(s, `${g}/${r}`);
    assert.equal(s.hasGeneration, gen, `${g}/${r} generation`);
    assert.equal(s.hasStatusSubresource, status, `${g}/${r} status`);
  }
  // Kinds without a strategy of their own get the generic behaviour plus the schema-driven validation.
  const serviceAccounts = strategyFor('', 'serviceaccounts');
  assert.ok(serviceAccounts?.validate);
  assert.equal(serviceAccounts.prepareForCreate, undefined);
  assert.equal(serviceAccounts.hasGeneration, undefined);
  assert.equal(serviceAccounts.hasStatusSubresource, undefined);
});

test('status a new object starts with', () => {
  const cases: Array<{ gr: [string, string]; obj: APIObject; want: unknown }> = [
    { gr: ['', 'persistentvolumes'], obj: { spec: {} }, want: { phase: 'Pending' } },
    { gr: ['', 'persistentvolumeclaims'], obj: { spec: {} }, want: { phase: 'Pending' } },
    { gr: ['networking.k8s.io', 'ingresses'], obj: { spec: {} }, want: { loadBalancer: {} } },
    {
      gr: ['apiextensions.k8s.io', 'customresourcedefinitions'],
      obj: { spec: { versions: [{ name: 'v1alpha1' }, { name: 'v1', storage: true }] } },
      want: { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] },
    },
    { gr: ['autoscaling', 'horizontalpodautoscalers'], obj: { apiVersion: 'autoscaling/v1', spec: { maxReplicas: 2 } }, want: { currentReplicas: 0, desiredReplicas: 0 } },
    { gr: ['autoscaling', 'horizontalpodautoscalers'], obj: { apiVersion: 'autoscaling/v2', spec: { maxReplicas: 2 } }, want: { desiredReplicas: 0 } },
    { gr: ['', 'nodes'], obj: { spec: {}, status: { capacity: { cpu: '4' } } }, want: { capacity: { cpu: '4' } } },
  ];
  for (const c of cases) {
    const obj = { ...c.obj, status: c.obj.status ?? { stale: true } };
    strategyFor(...c.gr)!.prepareForCreate!(obj, ctx);
    assert.deepEqual(obj.status, c.want, c.gr.join('/'));
  }
});

test('validation of PVCs, PDBs and HPAs', () => {
  const cases: Array<{ gr: [string, string]; obj: APIObject; want: string[] }> = [
    {
      gr: ['', 'persistentvolumeclaims'],
      obj: { spec: {} },
      want: ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value'],
    },
    { gr: ['', 'persistentvolumeclaims'], obj: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, want: [] },
    {
      gr: ['policy', 'poddisruptionbudgets'],
      obj: { spec: { minAvailable: 1, maxUnavailable: 1 } },
      want: ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'],
    },
    {
      gr: ['autoscaling', 'horizontalpodautoscalers'],
      obj: { apiVersion: 'autoscaling/v2', spec: { minReplicas: 5, maxReplicas: 2 } },
      want: ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
    },
    {
      gr: ['autoscaling', 'horizontalpodautoscalers'],
      obj: { apiVersion: 'autoscaling/v2', spec: {} },
      // minReplicas defaults to 1, which then also exceeds maxReplicas (as upstream reports).
      want: ['spec.maxReplicas: Invalid value: 0: must be greater than 0', 'spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`'],
    },
  ];
  for (const c of cases) {
    const s = strategyFor(...c.gr)!;
    s.prepareForCreate?.(c.obj, ctx);
    assert.deepEqual(s.validate!(c.obj, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.gr.join('/'));
  }
  // A PVC may grow its request but not change its access modes.
  const pvc = strategyFor('', 'persistentvolumeclaims')!;
  const old: APIObject = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } };
  const grown = structuredClone(old);
  (grown.spec as any).resources.requests.storage = '2Gi';
  assert.deepEqual(pvc.validateUpdate!(grown, old, ctx), []);
  const remoded = structuredClone(old);
  (remoded.spec as any).accessModes = ['ReadWriteMany'];
  assert.deepEqual(pvc.validateUpdate!(remoded, old, ctx).map((e) => e.field), ['spec']);
});

test('replication controller selectors and node podCIDRs', () => {
  const rc = strategyFor('', 'replicationcontrollers')!;
  const tmpl = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const cases: Array<{ spec: Record<string, unknown>; want: string[] }> = [
    { spec: { template: tmpl }, want: [] }, // selector defaults to the template labels
    { spec: { selector: { app: 'b' }, template: tmpl }, want: ['spec.template.metadata.labels'] },
  ];
  for (const c of cases) {
    const obj: APIObject = { spec: structuredClone(c.spec) };
    rc.prepareForCreate!(obj, ctx);
    assert.deepEqual(rc.validate!(obj, ctx).map((e) => e.field), c.want, JSON.stringify(c.spec));
  }
  const nodes = strategyFor('', 'nodes')!;
  const old: APIObject = { spec: { podCIDRs: ['10.244.1.0/24'], podCIDR: '10.244.1.0/24' } };
  assert.deepEqual(nodes.validateUpdate!({ spec: { podCIDRs: ['10.244.2.0/24'] } }, old, ctx).map((e) => e.field), ['spec.podCIDRs']);
  assert.deepEqual(nodes.validateUpdate!({ spec: { podCIDRs: ['10.244.1.0/24'], unschedulable: true } }, old, ctx), []);
  assert.deepEqual(nodes.validateUpdate!({ spec: { podCIDRs: ['10.244.1.0/24'] } }, { spec: {} }, ctx), []);
});

test('ingress, lease and cronjob validation', () => {
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const cases: Array<{ gr: [string, string]; obj: APIObject; want: string[] }> = [
    {
      gr: ['networking.k8s.io', 'ingresses'],
      obj: { spec: { rules: [{ http: { paths: [{ path: '/', backend }] } }] } },
      want: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    },
    {
      gr: ['networking.k8s.io', 'ingresses'],
      obj: { spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } }] } }] } },
      want: ['spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required'],
    },
    { gr: ['networking.k8s.io', 'ingresses'], obj: { spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] } }, want: [] },
    { gr: ['coordination.k8s.io', 'leases'], obj: { spec: { leaseDurationSeconds: 0 } }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
    { gr: ['coordination.k8s.io', 'leases'], obj: { spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } }, want: [] },
    {
      gr: ['batch', 'cronjobs'],
      obj: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'OnFailure' } } } } } },
      want: ['spec.schedule: Required value'],
    },
    {
      gr: ['batch', 'cronjobs'],
      obj: { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'OnFailure' } } } } } },
      want: [],
    },
  ];
  for (const c of cases) {
    const s = strategyFor(...c.gr)!;
    s.prepareForCreate?.(c.obj, ctx);
    assert.deepEqual(s.validate!(c.obj, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, `${c.gr.join('/')} ${JSON.stringify(c.obj.spec)}`);
  }
});
