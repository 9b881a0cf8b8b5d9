// managedFields of writes through /status and /scale, through the whole in-process apiserver: built-in kinds and
// a custom resource, Update and Apply, each kind's reset fields, and the apply/scale conflict.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCRDTestServer, type CRDTestServer } from '../crd/cel-testing.js';
import { isStreamResponse } from './resource-handler.js';
import { FieldSet } from '../../apimachinery/apply/field-set.js';
import { resetFieldsFilterFor, resetFieldsFor } from './reset-fields.js';

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsV1: Record<string, Record<string, unknown>>;
}

const applyType = 'application/apply-patch+yaml';

const widgetCRD = (plural: string, kind: string, subresources: object | undefined) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.example.com` },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural, singular: kind.toLowerCase(), kind },
    versions: [{ name: 'v1', served: true, storage: true, subresources, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

function workload(apiVersion: string, kind: string, name: string, replicas: number): Record<string, unknown> {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  if (kind === 'ReplicationController') return { apiVersion, kind, metadata: { name }, spec: { replicas, selector: labels, template } };
  const spec: Record<string, unknown> = { replicas, selector: { matchLabels: labels }, template };
  if (kind === 'StatefulSet') spec.serviceName = name;
  return { apiVersion, kind, metadata: { name }, spec };
}

describe('managedFields of /status and /scale writes', () => {
  let t: CRDTestServer;
  /** A request with its own content type and User-Agent (kubectl and controllers name managers by it). */
  const request = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const u = new URL(path, 'http://x');
    const res = await t.server.handler(
      { method, path: u.pathname, query: u.searchParams, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body ?? null)) },
      new AbortController().signal,
    );
    assert.ok(!isStreamResponse(res));
    const text = String(res.body);
    return { status: res.status, text, json: JSON.parse(text) };
  };
  const apply = (path: string, body: unknown, manager: string, force = false) =>
    request('PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, body, { 'content-type': applyType });
  const entries = async (path: string): Promise<Map<string, Entry>> => {
    const got = await t.call('GET', path);
    assert.equal(got.status, 200, JSON.stringify(got.json));
    return new Map((got.json.metadata.managedFields as Entry[]).map((e) => [`${e.manager}/${e.operation}/${e.subresource ?? ''}`, e]));
  };

  before(async () => {
    t = await startCRDTestServer();
    await t.createCRD(widgetCRD('widgets', 'Widget', { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.ready' } }));
    await t.createCRD(widgetCRD('plains', 'Plain', undefined));
  });
  after(() => t?.stop());

  const statusCases = [
    { name: 'deployment', path: '/apis/apps/v1/namespaces/default/deployments/st', obj: workload('apps/v1', 'Deployment', 'st', 1), status: { replicas: 1, observedGeneration: 1 }, applied: { unavailableReplicas: 1 } },
    { name: 'statefulset', path: '/apis/apps/v1/namespaces/default/statefulsets/st', obj: workload('apps/v1', 'StatefulSet', 'st', 1), status: { replicas: 1, availableReplicas: 1 }, applied: { currentReplicas: 1 } },
    { name: 'service', path: '/api/v1/namespaces/default/services/st', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'st' }, spec: { ports: [{ port: 80 }] } }, status: { loadBalancer: { ingress: [{ ip: '10.1.2.3' }] } }, applied: { conditions: [{ type: 'Ready', status: 'True', reason: 'Probed', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }] } },
    { name: 'namespace', path: '/api/v1/namespaces/st', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'st', labels: { team: 'a' } } }, status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False' }] }, applied: { phase: 'Active' } },
    { name: 'custom resource', path: '/apis/example.com/v1/namespaces/default/widgets/st', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'st' }, spec: { size: 1, color: 'red' } }, status: { ready: 1 }, applied: { probe: 'ok' } },
  ];
  for (const c of statusCases) {
    test(`${c.name}: /status Update and Apply are recorded with subresource status; spec and the applier stay`, async () => {
      const created = await apply(c.path, c.obj, 'deployer');
      assert.equal(created.status, 201, created.text);
      const applierBefore = (await entries(c.path)).get('deployer/Apply/');
      assert.ok(applierBefore, 'the applier is recorded');
      // A status writer sending a changed spec: the strategy resets spec, and managedFields leave it alone.
      const current = (await t.call('GET', c.path)).json;
      const changedSpec = current.spec === undefined ? undefined : { ...current.spec, changedByStatusWriter: true };
      const put = await request('PUT', `${c.path}/status?fieldManager=controller`, { ...current, spec: changedSpec, status: { ...current.status, ...c.status } });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.json.spec, current.spec, 'spec is reset');
      const afterPut = await entries(c.path);
      const controller = afterPut.get('controller/Update/status');
      assert.ok(controller, JSON.stringify([...afterPut.keys()]));
      assert.deepEqual(Object.keys(controller.fieldsV1), ['f:status'], JSON.stringify(controller));
      assert.deepEqual(afterPut.get('deployer/Apply/')?.fieldsV1, applierBefore.fieldsV1, 'the applier keeps its fields');

      // Apply through /status (forced: the controller may own the same fields); spec in the configuration is reset.
      const probed = await apply(`${c.path}/status`, { apiVersion: c.obj.apiVersion, kind: c.obj.kind, metadata: { name: 'st' }, status: c.applied, spec: { ignored: true } }, 'prober', true);
      assert.equal(probed.status, 200, probed.text);
      const prober = (await entries(c.path)).get('prober/Apply/status');
      assert.deepEqual(prober && [prober.apiVersion, Object.keys(prober.fieldsV1), Object.keys(prober.fieldsV1['f:status'] ?? {})], [c.obj.apiVersion, ['f:status'], Object.keys(c.applied).map((k) => `f:${k}`)], JSON.stringify(prober));

      // A main-resource write cannot change status, and keeps the status owners' fields.
      const reapplied = await apply(c.path, { ...c.obj, status: { injected: true } }, 'deployer');
      assert.equal(reapplied.status, 200, reapplied.text);
      assert.equal(reapplied.json.status?.injected, undefined);
      const afterApply = await entries(c.path);
      assert.deepEqual(afterApply.get('controller/Update/status')?.fieldsV1, controller.fieldsV1);
      assert.equal(afterApply.get('deployer/Apply/')?.fieldsV1['f:status'], undefined, 'the applier owns no status');
    });
  }

  test('a custom resource without a status subresource: status is an ordinary field its writer owns', async () => {
    const path = '/apis/example.com/v1/namespaces/default/plains/p';
    const created = await apply(path, { apiVersion: 'example.com/v1', kind: 'Plain', metadata: { name: 'p' }, spec: { a: 1 }, status: { b: 2 } }, 'deployer');
    assert.equal(created.status, 201, created.text);
    const applier = (await entries(path)).get('deployer/Apply/');
    assert.deepEqual(applier?.fieldsV1['f:status'], { 'f:b': {} }, JSON.stringify(applier));
    assert.equal((await t.call('GET', `${path}/status`)).status, 404);
  });

  const scaleCases = [
    { name: 'deployment', path: '/apis/apps/v1/namespaces/default/deployments/sc', obj: workload('apps/v1', 'Deployment', 'sc', 2), field: 'f:replicas', apiVersion: 'apps/v1' },
    { name: 'replicaset', path: '/apis/apps/v1/namespaces/default/replicasets/sc', obj: workload('apps/v1', 'ReplicaSet', 'sc', 2), field: 'f:replicas', apiVersion: 'apps/v1' },
    { name: 'statefulset', path: '/apis/apps/v1/namespaces/default/statefulsets/sc', obj: workload('apps/v1', 'StatefulSet', 'sc', 2), field: 'f:replicas', apiVersion: 'apps/v1' },
    { name: 'replicationcontroller', path: '/api/v1/namespaces/default/replicationcontrollers/sc', obj: workload('v1', 'ReplicationController', 'sc', 2), field: 'f:replicas', apiVersion: 'v1' },
    { name: 'custom resource', path: '/apis/example.com/v1/namespaces/default/widgets/sc', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'sc' }, spec: { size: 2, color: 'red' } }, field: 'f:size', apiVersion: 'example.com/v1' },
  ];
  for (const c of scaleCases) {
    test(`${c.name}: /scale writes own the replicas field with subresource scale and conflict with a re-apply`, async () => {
      assert.equal((await apply(c.path, c.obj, 'deployer')).status, 201);
      const scale = (await t.call('GET', `${c.path}/scale`)).json;
      assert.equal(scale.metadata.managedFields, undefined, 'a Scale carries no managedFields (upstream builds it from name, uid, resourceVersion only)');
      const put = await request('PUT', `${c.path}/scale`, { ...scale, spec: { replicas: 4 } }, { 'user-agent': 'horizontal-pod-autoscaler/v1.33.0 (linux/amd64) kubernetes/abc' });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual([put.json.kind, put.json.spec.replicas, put.json.metadata.managedFields], ['Scale', 4, undefined]);
      const owners = await entries(c.path);
      const scaler = owners.get('horizontal-pod-autoscaler/Update/scale');
      assert.deepEqual(scaler && [scaler.apiVersion, scaler.fieldsV1], [c.apiVersion, { 'f:spec': { [c.field]: {} } }], JSON.stringify([...owners.values()]));
      assert.equal(owners.get('deployer/Apply/')?.fieldsV1['f:spec']?.[c.field], undefined, 'the applier gave the field up');

      const again = await apply(c.path, c.obj, 'deployer');
      assert.equal(again.status, 409, again.text);
      const path = c.field === 'f:size' ? '.spec.size' : '.spec.replicas';
      assert.equal(again.json.message, `Apply failed with 1 conflict: conflict with "horizontal-pod-autoscaler" with subresource "scale" using ${c.apiVersion}: ${path}`);
      assert.equal(again.json.reason, 'Conflict');
      assert.deepEqual(again.json.details.causes, [{ reason: 'FieldManagerConflict', message: `conflict with "horizontal-pod-autoscaler" with subresource "scale" using ${c.apiVersion}`, field: path }]);

      // Apply of a Scale by another manager conflicts with the scaler until forced.
      const config = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'sc' }, spec: { replicas: 6 } };
      assert.equal((await apply(`${c.path}/scale`, config, 'autoscaler')).status, 409);
      const forced = await apply(`${c.path}/scale`, config, 'autoscaler', true);
      assert.equal(forced.status, 200, forced.text);
      const taken = await entries(c.path);
      assert.deepEqual(taken.get('autoscaler/Apply/scale')?.fieldsV1, { 'f:spec': { [c.field]: {} } });
      assert.equal(taken.has('horizontal-pod-autoscaler/Update/scale'), false);
    });
  }

  test('pods/ephemeralcontainers and pods/resize: the writer owns only what the subresource may change', async () => {
    const podPath = '/api/v1/namespaces/default/pods/dbg';
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'dbg', labels: { app: 'dbg' } },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' }, limits: { cpu: '100m' } } }] },
    };
    // No controller manager here: the ServiceAccount admission plugin needs the default account to exist.
    const sa = await request('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    assert.ok(sa.status === 201 || sa.status === 409, sa.text);
    const created = await request('POST', '/api/v1/namespaces/default/pods', pod, { 'user-agent': 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc' });
    assert.equal(created.status, 201, created.text);
    // kubectl debug: a strategic merge patch of ephemeralContainers; the label change in it is dropped by the strategy.
    const debug = await request(
      'PATCH',
      `${podPath}/ephemeralcontainers`,
      { metadata: { labels: { app: 'changed' } }, spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }] } },
      { 'content-type': 'application/strategic-merge-patch+json', 'user-agent': 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc' },
    );
    assert.equal(debug.status, 200, debug.text);
    assert.equal(debug.json.metadata.labels.app, 'dbg');
    let got = await entries(podPath);
    const e = got.get('kubectl/Update/ephemeralcontainers');
    assert.ok(e, `entries: ${[...got.keys()].join(', ')}`);
    assert.deepEqual(Object.keys(e.fieldsV1), ['f:spec']);
    assert.deepEqual(Object.keys(e.fieldsV1['f:spec']), ['f:ephemeralContainers']);
    assert.ok('k:{"name":"debugger"}' in (e.fieldsV1['f:spec']['f:ephemeralContainers'] as object));
    assert.ok(!JSON.stringify(got.get('kubectl/Update/')?.fieldsV1 ?? {}).includes('debugger'), 'the creator does not own the debugger');

    const resize = await request(
      'PATCH',
      `${podPath}/resize?fieldManager=resizer`,
      { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' }, limits: { cpu: '200m' } } }] } },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    assert.equal(resize.status, 200, resize.text);
    got = await entries(podPath);
    assert.deepEqual(got.get('resizer/Update/resize')?.fieldsV1, {
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:resources': { 'f:limits': { 'f:cpu': {} }, 'f:requests': { 'f:cpu': {} } } } } },
    });
    const creator = JSON.stringify(got.get('kubectl/Update/')?.fieldsV1 ?? {});
    assert.ok(!creator.includes('f:cpu'), `the creator lost the cpu fields to the resizer: ${creator}`);
  });
});

test('reset fields follow each strategy', () => {
  const cases = [
    { name: 'deployment main', gr: { group: 'apps', resource: 'deployments' }, subresource: '', hasStatus: true, want: { 'f:status': {} } },
    { name: 'deployment status', gr: { group: 'apps', resource: 'deployments' }, subresource: 'status', hasStatus: true, want: { 'f:spec': {} } },
    { name: 'pod status', gr: { group: '', resource: 'pods' }, subresource: 'status', hasStatus: true, want: { 'f:metadata': { 'f:deletionTimestamp': {}, 'f:ownerReferences': {} }, 'f:spec': {} } },
    { name: 'csr status', gr: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests' }, subresource: 'status', hasStatus: true, want: { 'f:spec': {}, 'f:status': { 'f:conditions': {} } } },
    { name: 'csr approval', gr: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests' }, subresource: 'approval', hasStatus: true, want: { 'f:spec': {}, 'f:status': { 'f:certificate': {} } } },
    { name: 'namespace finalize', gr: { group: '', resource: 'namespaces' }, subresource: 'finalize', hasStatus: true, want: { 'f:status': {} } },
    { name: 'custom resource without status subresource', gr: { group: 'example.com', resource: 'plains' }, subresource: '', hasStatus: false, want: {} },
    { name: 'scale', gr: { group: 'apps', resource: 'deployments' }, subresource: 'scale', hasStatus: true, want: { 'f:status': {} } },
  ];
  for (const c of cases) {
    const got = resetFieldsFor({ groupResource: c.gr, subresource: c.subresource, hasStatusSubresource: c.hasStatus });
    assert.deepEqual(got.toFieldsV1(), c.want, c.name);
  }
});

test('pods/ephemeralcontainers and pods/resize keep only their fields of a set', () => {
  const set = FieldSet.fromFieldsV1({
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:ephemeralContainers': { 'k:{"name":"d"}': { '.': {}, 'f:image': {} } },
      'f:containers': { 'k:{"name":"app"}': { 'f:image': {}, 'f:resources': { 'f:limits': { 'f:cpu': {} } }, 'f:resizePolicy': {} } },
    },
  });
  const pods = { group: '', resource: 'pods' };
  assert.deepEqual(resetFieldsFilterFor({ groupResource: pods, subresource: 'ephemeralcontainers', hasStatusSubresource: true }).filter(set).toFieldsV1(), {
    'f:spec': { 'f:ephemeralContainers': { 'k:{"name":"d"}': { '.': {}, 'f:image': {} } } },
  });
  assert.deepEqual(resetFieldsFilterFor({ groupResource: pods, subresource: 'resize', hasStatusSubresource: true }).filter(set).toFieldsV1(), {
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:resources': { 'f:limits': { 'f:cpu': {} } }, 'f:resizePolicy': {} } } },
  });
  assert.deepEqual(resetFieldsFilterFor({ groupResource: pods, subresource: 'status', hasStatusSubresource: true }).filter(set).toFieldsV1(), {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
  });
});
