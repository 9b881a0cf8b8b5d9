// Integration tests of PUT and PATCH through the in-process handler: optimistic concurrency, generation,
// status separation, create-on-update, JSON and merge patches, unsupported patch types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBuiltinPatch, builtinFieldValidator } from './builtin-plumbing.js';
import { newTestServer } from './testing/harness.js';

const handlerOptions = { applyPatch: applyBuiltinPatch, fieldValidator: builtinFieldValidator };
const deployURL = '/apis/apps/v1/namespaces/default/deployments';

async function withDeployment() {
  const s = await newTestServer({ handlerOptions });
  const d = await s.request('POST', deployURL, { body: { metadata: { name: 'd', labels: { a: '1' } }, spec: { replicas: 1 } } });
  assert.equal(d.status, 201, d.text);
  return { s, d: d.json };
}

test('update: conditional, unconditional, conflicts, no-op', async () => {
  const { s, d } = await withDeployment();
  const put1 = await s.request('PUT', `${deployURL}/d`, { body: { ...d, spec: { replicas: 2 } } });
  assert.equal(put1.status, 200, put1.text);
  assert.equal(put1.json.metadata.generation, 2, 'spec change bumps generation');
  assert.ok(Number(put1.json.metadata.resourceVersion) > Number(d.metadata.resourceVersion));
  assert.equal(put1.json.metadata.uid, d.metadata.uid);
  assert.equal(put1.json.metadata.creationTimestamp, d.metadata.creationTimestamp);

  const stale = await s.request('PUT', `${deployURL}/d`, { body: { ...d, spec: { replicas: 3 } } });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.reason, 'Conflict');
  assert.equal(stale.json.message, 'Operation cannot be fulfilled on deployments.apps "d": the object has been modified; please apply your changes to the latest version and try again');

  const { resourceVersion: _rv, ...metaNoRV } = put1.json.metadata;
  const uncond = await s.request('PUT', `${deployURL}/d`, { body: { ...put1.json, metadata: { ...metaNoRV, labels: { a: '2' } } } });
  assert.equal(uncond.status, 200, uncond.text);
  assert.equal(uncond.json.metadata.generation, 2, 'metadata changes do not bump generation');
  assert.equal(uncond.json.metadata.labels.a, '2');

  const same = await s.request('PUT', `${deployURL}/d`, { body: uncond.json });
  assert.equal(same.json.metadata.resourceVersion, uncond.json.metadata.resourceVersion, 'a no-op update writes nothing');

  const cases: Array<[string, string, unknown, number, RegExp?]> = [
    ['name mismatch', `${deployURL}/d`, { ...uncond.json, metadata: { ...uncond.json.metadata, name: 'e' } }, 400, /the name of the object \(e\) does not match the name on the URL \(d\)/],
    ['missing', `${deployURL}/zz`, { metadata: { name: 'zz' }, spec: {} }, 404, /deployments.apps "zz" not found/],
    ['uid change', `${deployURL}/d`, { ...uncond.json, metadata: { ...uncond.json.metadata, uid: 'other' } }, 422, /metadata.uid/],
  ];
  for (const [name, url, body, code, msg] of cases) {
    const r = await s.request('PUT', url, { body });
    assert.equal(r.status, code, `${name}: ${r.text}`);
    if (msg) assert.match(r.json.message, msg, name);
  }
});

test('update: create-on-update only where upstream allows it', async () => {
  const s = await newTestServer({ handlerOptions });
  const lease = await s.request('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l', { body: { metadata: { name: 'l' }, spec: {} } });
  assert.equal(lease.status, 201, lease.text);
  const cm = await s.request('PUT', '/api/v1/namespaces/default/configmaps/c', { body: { metadata: { name: 'c' } } });
  assert.equal(cm.status, 404);
});

test('status subresource: main resource ignores status, /status ignores everything else', async () => {
  const { s, d } = await withDeployment();
  const main = await s.request('PUT', `${deployURL}/d`, { body: { ...d, status: { replicas: 7 } } });
  assert.equal(main.json.status, undefined, 'status is not writable through the main resource');
  const st = await s.request('PUT', `${deployURL}/d/status`, { body: { ...main.json, spec: { replicas: 9 }, metadata: { ...main.json.metadata, labels: { x: 'y' } }, status: { replicas: 7 } } });
  assert.equal(st.status, 200, st.text);
  assert.deepEqual(st.json.status, { replicas: 7 });
  assert.equal(st.json.spec.replicas, 1, 'spec unchanged through /status');
  assert.deepEqual(st.json.metadata.labels, { a: '1' }, 'labels unchanged through /status');
  assert.equal(st.json.metadata.generation, 1);
  const got = await s.request('GET', `${deployURL}/d/status`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.status, { replicas: 7 });
  const noStatus = await s.request('PUT', '/api/v1/namespaces/default/configmaps/x/status', { body: {} });
  assert.equal(noStatus.status, 404, 'configmaps have no status subresource');
});

test('patch: merge and JSON patches, preconditions, unsupported types', async () => {
  const { s, d } = await withDeployment();
  const merge = await s.request('PATCH', `${deployURL}/d`, { body: { metadata: { labels: { b: '2', a: null } } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(merge.status, 200, merge.text);
  assert.deepEqual(merge.json.metadata.labels, { b: '2' });
  const emptied = await s.request('PATCH', `${deployURL}/d`, { body: { metadata: { labels: { b: null } } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(emptied.json.metadata.labels, undefined, 'no empty labels map is left behind (omitempty)');
  const json = await s.request('PATCH', `${deployURL}/d`, { body: [{ op: 'replace', path: '/spec/replicas', value: 3 }], headers: { 'content-type': 'application/json-patch+json' } });
  assert.equal(json.status, 200, json.text);
  assert.equal(json.json.spec.replicas, 3);
  assert.equal(json.json.metadata.generation, 2);
  const stale = await s.request('PATCH', `${deployURL}/d`, { body: { metadata: { resourceVersion: d.metadata.resourceVersion }, spec: { replicas: 4 } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(stale.status, 409, 'a resourceVersion in the patch is a precondition');
  const failing = await s.request('PATCH', `${deployURL}/d`, { body: [{ op: 'test', path: '/spec/replicas', value: 99 }], headers: { 'content-type': 'application/json-patch+json' } });
  assert.ok(failing.status === 422 || failing.status === 400, failing.text);
  for (const ct of ['application/apply-patch+cbor', 'text/plain']) {
    const r = await s.request('PATCH', `${deployURL}/d`, { body: {}, headers: { 'content-type': ct } });
    assert.equal(r.status, 415, ct);
    assert.equal(
      r.json.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  }
  // Server-side apply requires a field manager (checked before storage is read).
  const noManager = await s.request('PATCH', `${deployURL}/d`, { body: {}, headers: { 'content-type': 'application/apply-patch+yaml' } });
  assert.equal(noManager.status, 422, noManager.text);
  assert.equal(noManager.json.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  // Strategic merge patch: containers merge by name (what kubectl apply, edit and set image send).
  await s.request('PATCH', `${deployURL}/d`, {
    body: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } } },
    headers: { 'content-type': 'application/merge-patch+json' },
  });
  const smp = await s.request('PATCH', `${deployURL}/d`, {
    body: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
    headers: { 'content-type': 'application/strategic-merge-patch+json' },
  });
  assert.equal(smp.status, 200, smp.text);
  assert.deepEqual(
    smp.json.spec.template.spec.containers.map((c: { name: string; image: string }) => ({ name: c.name, image: c.image })),
    [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }],
  );
  const missing = await s.request('PATCH', `${deployURL}/nope`, { body: {}, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(missing.status, 404);
  const dry = await s.request('PATCH', `${deployURL}/d?dryRun=All`, { body: { spec: { replicas: 10 } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(dry.json.spec.replicas, 10);
  assert.equal((await s.request('GET', `${deployURL}/d`)).json.spec.replicas, 3, 'dry-run patch persists nothing');
});

test('fieldValidation: Strict rejects unknown fields, Warn reports them', async () => {
  const s = await newTestServer({ handlerOptions });
  const strict = await s.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: { metadata: { name: 'a' }, bogus: 1 } });
  assert.equal(strict.status, 400);
  assert.equal(strict.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
  const warn = await s.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { body: { metadata: { name: 'a' }, bogus: 1 } });
  assert.equal(warn.status, 201);
  assert.equal(warn.headers.Warning, '299 - "unknown field \\"bogus\\""');
  assert.equal(warn.json.bogus, undefined, 'unknown fields are dropped, as upstream does');
  const dupBody = '{"metadata":{"name":"dup","name":"dup2"},"bogus":1}';
  const dupStrict = await s.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: dupBody, headers: { 'content-type': 'application/json' } });
  assert.equal(dupStrict.status, 400);
  assert.equal(dupStrict.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "bogus"');
  const dupWarn = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: dupBody, headers: { 'content-type': 'application/json' } });
  assert.equal(dupWarn.status, 201, 'Warn is the server default');
  assert.equal(dupWarn.json.metadata.name, 'dup2', 'the last duplicate wins, as in Go');
  assert.match(dupWarn.headers.Warning, /duplicate field \\"metadata.name\\"/);
  const ignore = await s.request('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore', {
    body: { metadata: { name: 'd' }, spec: { replicas: 1, bogus: true, template: { spec: { containers: [{ name: 'c', image: 'i', extra: 1 }] } } } },
  });
  assert.equal(ignore.status, 201, ignore.text);
  assert.equal(ignore.headers.Warning, undefined);
  assert.equal(ignore.json.spec.bogus, undefined);
  assert.equal(ignore.json.spec.template.spec.containers[0].extra, undefined);
  assert.equal(ignore.json.spec.template.spec.containers[0].imagePullPolicy, 'Always', 'defaults are applied (image without a tag)');
  assert.equal(ignore.json.spec.strategy.type, 'RollingUpdate', 'Deployment defaults');
});

test('scale subresource: Scale view of spec.replicas, PUT and PATCH change only replicas', async () => {
  const s = await newTestServer({ handlerOptions });
  const d = await s.request('POST', deployURL, {
    body: { metadata: { name: 'w' }, spec: { replicas: 2, selector: { matchLabels: { app: 'w' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] } } },
  });
  const scale = await s.request('GET', `${deployURL}/w/scale`);
  assert.equal(scale.status, 200, scale.text);
  assert.deepEqual(scale.json, {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'w', namespace: 'default', uid: d.json.metadata.uid, resourceVersion: d.json.metadata.resourceVersion, creationTimestamp: d.json.metadata.creationTimestamp },
    spec: { replicas: 2 },
    status: { replicas: 0, selector: 'app=w,tier in (a,b)' },
  });
  const patched = await s.request('PATCH', `${deployURL}/w/scale`, { body: { spec: { replicas: 5 } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.spec.replicas, 5);
  const after = await s.request('GET', `${deployURL}/w`);
  assert.equal(after.json.spec.replicas, 5);
  assert.equal(after.json.metadata.generation, 2);
  const stale = await s.request('PUT', `${deployURL}/w/scale`, { body: { ...scale.json, spec: { replicas: 1 } } });
  assert.equal(stale.status, 409, 'the Scale resourceVersion is a precondition');
  const put = await s.request('PUT', `${deployURL}/w/scale`, { body: { ...patched.json, spec: { replicas: 1 } } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.spec.replicas, 1);
  const negative = await s.request('PATCH', `${deployURL}/w/scale`, { body: { spec: { replicas: -1 } }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(negative.status, 422);
  assert.match(negative.json.message, /^Scale.autoscaling "w" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0$/);
  const rc = await s.request('GET', '/api/v1/namespaces/default/configmaps/x/scale');
  assert.equal(rc.status, 404, 'no scale subresource on configmaps');
});

test('a value the Go type cannot hold is a 400 from decoding, and nothing is stored', async () => {
  const s = await newTestServer({ handlerOptions });
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'typed' },
    spec: { replicas: 'three', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
  const cases = [
    {
      url: '/apis/apps/v1/namespaces/default/deployments',
      body: deploy,
      want: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    },
    {
      url: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' }, data: { a: 5 } },
      want: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    },
    {
      url: '/apis/apps/v1/namespaces/default/deployments',
      body: { ...deploy, spec: { ...deploy.spec, replicas: 2, template: { ...deploy.spec.template, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 1.5 }] }] } } } },
      want: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    },
  ];
  for (const c of cases) {
    const r = await s.request('POST', c.url, { body: c.body });
    assert.equal(r.status, 400, c.want);
    assert.equal(r.json.reason, 'BadRequest');
    assert.equal(r.json.message, c.want);
    assert.equal((await s.request('GET', `${c.url}/typed`)).status, 404, 'nothing stored');
  }
  // Quantities and int-or-string fields take numbers as well as strings.
  const ok = await s.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
    body: { ...deploy, spec: { ...deploy.spec, replicas: 1, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } }, template: { ...deploy.spec.template, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1, memory: '1Gi' } } }] } } } },
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
});

test('writes through /scale (update, patch, apply) are recorded in the parent\'s managedFields with subresource scale', async () => {
  const s = await newTestServer({ handlerOptions });
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
  const applyHeaders = { 'content-type': 'application/apply-patch+yaml' };
  const applied = await s.request('PATCH', `${deployURL}/web?fieldManager=deployer`, { body: deploy, headers: applyHeaders });
  assert.equal(applied.status, 201, applied.text);
  // kubectl scale: a merge patch of /scale, the manager named by the User-Agent.
  const kubectlUA = { 'user-agent': 'kubectl/v1.33.0 (linux/amd64) kubernetes/abcdef0', 'content-type': 'application/merge-patch+json' };
  const scaled = await s.request('PATCH', `${deployURL}/web/scale`, { body: { spec: { replicas: 5 } }, headers: kubectlUA });
  assert.equal(scaled.status, 200, scaled.text);
  const after = (await s.request('GET', `${deployURL}/web`)).json;
  type Entry = { manager: string; operation: string; apiVersion: string; subresource?: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } };
  const entries = after.metadata.managedFields as Entry[];
  const scaler = entries.find((e) => e.manager === 'kubectl');
  assert.deepEqual(
    scaler && { operation: scaler.operation, apiVersion: scaler.apiVersion, subresource: scaler.subresource, fieldsV1: scaler.fieldsV1 },
    { operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
  );
  const deployer = entries.find((e) => e.manager === 'deployer');
  assert.equal(deployer?.fieldsV1['f:spec']?.['f:replicas'], undefined, 'the applier no longer owns replicas');
  // Re-applying the old replicas now conflicts with the scaler, named with its subresource.
  const again = await s.request('PATCH', `${deployURL}/web?fieldManager=deployer`, { body: deploy, headers: applyHeaders });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  // A PUT of the same replicas through /scale changes nothing and records nothing new.
  const same = await s.request('PUT', `${deployURL}/web/scale`, { body: { ...scaled.json, metadata: { ...scaled.json.metadata, resourceVersion: undefined } }, headers: { 'user-agent': 'other/1.0' } });
  assert.equal(same.status, 200, same.text);
  assert.equal(((await s.request('GET', `${deployURL}/web`)).json.metadata.managedFields as Entry[]).some((e) => e.manager === 'other'), false);
  // Server-side apply of a Scale: conflicts with the current owner of replicas, then takes it when forced.
  const scaleConfig = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 7 } };
  const refused = await s.request('PATCH', `${deployURL}/web/scale?fieldManager=autoscaler`, { body: scaleConfig, headers: applyHeaders });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  const forced = await s.request('PATCH', `${deployURL}/web/scale?fieldManager=autoscaler&force=true`, { body: scaleConfig, headers: applyHeaders });
  assert.equal(forced.status, 200, forced.text);
  assert.deepEqual([forced.json.kind, forced.json.spec.replicas], ['Scale', 7]);
  const owners = (await s.request('GET', `${deployURL}/web`)).json.metadata.managedFields as Entry[];
  const autoscaler = owners.find((e) => e.manager === 'autoscaler');
  assert.deepEqual(autoscaler && [autoscaler.operation, autoscaler.subresource, autoscaler.fieldsV1], ['Apply', 'scale', { 'f:spec': { 'f:replicas': {} } }]);
  assert.equal(owners.some((e) => e.manager === 'kubectl'), false, 'the previous sole owner lost its only field, so its entry is gone');
  const missingManager = await s.request('PATCH', `${deployURL}/web/scale`, { body: scaleConfig, headers: applyHeaders });
  assert.equal(missingManager.status, 422, missingManager.text);
  s.close();
});

test('writes through /status are recorded with subresource status; the main resource\'s managers are untouched', async () => {
  const s = await newTestServer({ handlerOptions });
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'st' }, spec: { replicas: 1, selector: { matchLabels: { app: 'st' } }, template: { metadata: { labels: { app: 'st' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
  const applyHeaders = { 'content-type': 'application/apply-patch+yaml' };
  assert.equal((await s.request('PATCH', `${deployURL}/st?fieldManager=deployer`, { body: deploy, headers: applyHeaders })).status, 201);
  const current = (await s.request('GET', `${deployURL}/st`)).json;
  const put = await s.request('PUT', `${deployURL}/st/status?fieldManager=controller`, { body: { ...current, status: { replicas: 1, readyReplicas: 1 } } });
  assert.equal(put.status, 200, put.text);
  const applied = await s.request('PATCH', `${deployURL}/st/status?fieldManager=prober`, {
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'st' }, status: { conditions: [{ type: 'Available', status: 'True' }] } },
    headers: applyHeaders,
  });
  assert.equal(applied.status, 200, applied.text);
  type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, Record<string, unknown>> };
  const entries = applied.json.metadata.managedFields as Entry[];
  const by = new Map(entries.map((e) => [e.manager, e]));
  assert.deepEqual([by.get('controller')?.operation, by.get('controller')?.subresource, Object.keys(by.get('controller')?.fieldsV1 ?? {})], ['Update', 'status', ['f:status']]);
  assert.deepEqual(by.get('controller')?.fieldsV1['f:status'], { 'f:readyReplicas': {}, 'f:replicas': {} });
  assert.deepEqual([by.get('prober')?.operation, by.get('prober')?.subresource], ['Apply', 'status']);
  assert.ok(by.get('prober')?.fieldsV1['f:status']?.['f:conditions'], JSON.stringify(by.get('prober')));
  assert.deepEqual([by.get('deployer')?.operation, by.get('deployer')?.subresource, Object.keys(by.get('deployer')?.fieldsV1 ?? {}).sort()], ['Apply', undefined, ['f:spec']]);
  s.close();
});
