import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import { registryReader } from '../object-reader.js';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { defaultAPITokenMountPath, newServiceAccount, tokenVolumeSource } from './service-account.js';

const sa = (name: string, extra: Partial<corev1.ServiceAccount> = {}) => ({ resource: 'serviceaccounts', obj: { metadata: { name, namespace: 'ns' }, ...extra } });
const reader = staticReader([
  sa('default'),
  sa('builder', { imagePullSecrets: [{ name: 'registry-key' }] }),
  sa('quiet', { automountServiceAccountToken: false }),
]);
/** Random numbers that pick the suffix "bcdfg". */
const fixedRandom = (() => {
  let i = 0;
  return () => (i++ % 5) / 27 + 0.001;
})();

const podWrite = (pod: corev1.Pod) => testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never });

test('admit: default account, token volume in every container, pull secrets, opt-outs', async () => {
  const plugin = newServiceAccount({ reader, random: fixedRandom });
  const cases: Array<{ name: string; spec: corev1.PodSpec; account: string; volume: boolean; mounts: number[]; pullSecrets?: string[] }> = [
    { name: 'defaults', spec: { containers: [{ name: 'a' }, { name: 'b' }] }, account: 'default', volume: true, mounts: [1, 1] },
    { name: 'init containers too', spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, account: 'default', volume: true, mounts: [1, 1] },
    { name: 'named account with pull secrets', spec: { serviceAccountName: 'builder', containers: [{ name: 'a' }] }, account: 'builder', volume: true, mounts: [1], pullSecrets: ['registry-key'] },
    { name: 'deprecated serviceAccount field', spec: { serviceAccount: 'builder', containers: [{ name: 'a' }] }, account: 'builder', volume: true, mounts: [1], pullSecrets: ['registry-key'] },
    { name: 'account opts out', spec: { serviceAccountName: 'quiet', containers: [{ name: 'a' }] }, account: 'quiet', volume: false, mounts: [0] },
    { name: 'pod opts out', spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] }, account: 'default', volume: false, mounts: [0] },
    { name: 'pod opts in over the account', spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [{ name: 'a' }] }, account: 'quiet', volume: true, mounts: [1] },
    {
      name: 'own mount at the token path',
      spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'mine', mountPath: defaultAPITokenMountPath }] }, { name: 'b' }] },
      account: 'default',
      volume: true,
      mounts: [1, 1],
    },
  ];
  for (const c of cases) {
    const pod: corev1.Pod = { metadata: { name: 'p', namespace: 'ns' }, spec: c.spec };
    await plugin.admit!(podWrite(pod));
    const spec = pod.spec!;
    assert.equal(spec.serviceAccountName, c.account, c.name);
    assert.equal(spec.serviceAccount, c.account, c.name);
    const vol = spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    assert.equal(!!vol, c.volume, c.name);
    if (vol) {
      assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(vol.projected, tokenVolumeSource(), c.name);
    }
    const all = [...(spec.initContainers ?? []), ...spec.containers];
    assert.deepEqual(all.map((ct) => (ct.volumeMounts ?? []).filter((m) => m.mountPath === defaultAPITokenMountPath).length), c.mounts, c.name);
    for (const ct of all) {
      for (const m of ct.volumeMounts ?? []) if (m.name === vol?.name) assert.deepEqual(m, { name: vol.name, readOnly: true, mountPath: defaultAPITokenMountPath });
    }
    assert.deepEqual(spec.imagePullSecrets?.map((s) => s.name), c.pullSecrets, c.name);
    // A second pass (reinvocation) changes nothing.
    const before = structuredClone(pod);
    await plugin.admit!(podWrite(pod));
    assert.deepEqual(pod, before, `${c.name}: idempotent`);
  }
});

test('a missing service account is refused with upstream wording; mirror pods are left alone but checked', async () => {
  const plugin = newServiceAccount({ reader });
  const missing = podWrite({ metadata: { name: 'web', namespace: 'ns' }, spec: { serviceAccountName: 'ghost', containers: [{ name: 'a' }] } });
  await assert.rejects(plugin.admit!(missing), { code: 403, message: 'pods "web" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found' });

  const mirror = (spec: corev1.PodSpec): corev1.Pod => ({ metadata: { name: 'static-web', namespace: 'ns', annotations: { 'kubernetes.io/config.mirror': 'hash' } }, spec });
  const ok = mirror({ containers: [{ name: 'a' }] });
  await plugin.admit!(podWrite(ok));
  assert.deepEqual(ok.spec, { containers: [{ name: 'a' }] });
  const cases = [
    { spec: { containers: [{ name: 'a' }] }, err: undefined },
    { spec: { serviceAccountName: 'default', containers: [{ name: 'a' }] }, err: 'a mirror pod may not reference service accounts' },
    { spec: { containers: [{ name: 'a', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }, err: 'a mirror pod may not reference secrets' },
    { spec: { volumes: [{ name: 'v', secret: { secretName: 's' } }], containers: [{ name: 'a' }] }, err: 'a mirror pod may not reference secrets' },
    { spec: { volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }], containers: [{ name: 'a' }] }, err: 'a mirror pod may not use ServiceAccountToken volume projections' },
  ];
  for (const c of cases) {
    const run = plugin.validate!(podWrite(mirror(c.spec)));
    if (c.err) await assert.rejects(run, { code: 403, message: `pods "static-web" is forbidden: ${c.err}` });
    else await run;
  }
});

test('through the REST core: the 2018 tutorial error, then a pod with the token volume once the account exists', async () => {
  const server = await newTestServer({ strategyFor });
  try {
    const chain = new AdmissionChain([newServiceAccount({ reader: registryReader(server.registries) })]);
    const withAdmission = await newTestServer({ strategyFor, store: server.store, namespaces: [], handlerOptions: { admissionFor: (req) => chain.hooksFor(req) } });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'busybox' }, spec: { containers: [{ name: 'busybox', image: 'busybox' }] } };
    const refused = await withAdmission.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.message, 'pods "busybox" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
    assert.equal(refused.json.reason, 'Forbidden');

    const created = await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    assert.equal(created.status, 201, created.text);
    const ok = await withAdmission.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.spec.serviceAccountName, 'default');
    const vol = ok.json.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    assert.deepEqual(vol.projected.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
    assert.deepEqual(ok.json.spec.containers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: defaultAPITokenMountPath }]);
    withAdmission.close();
  } finally {
    server.close();
  }
});
