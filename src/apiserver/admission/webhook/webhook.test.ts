import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../base/clock.js';
import { poll } from '../../../base/wait.js';
import { newTestServer, type TestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import { registryReader } from '../object-reader.js';
import { WebhookDispatcher } from './dispatch.js';
import { newMutatingAdmissionWebhook } from './mutating.js';
import { WebhookSource } from './source.js';
import { addLabelPatch, closedPort, startTestWebhookServer, type TestWebhookServer } from './testing/webhook-server.js';
import { newValidatingAdmissionWebhook } from './validating.js';

const admissionregistration = '/apis/admissionregistration.k8s.io/v1';

/** An in-process server whose chain is just the two webhook plugins; the dispatchers time with `clock`. */
async function serverWithWebhooks(clock?: FakeClock): Promise<TestServer & { stop: AbortController }> {
  const stop = new AbortController();
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['default', 'team'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  const reader = registryReader(server.registries);
  chain = new AdmissionChain([
    newMutatingAdmissionWebhook({ source: new WebhookSource(server.registries, 'mutatingwebhookconfigurations'), dispatcher: new WebhookDispatcher({ reader, signal: stop.signal, clock }) }),
    newValidatingAdmissionWebhook({ source: new WebhookSource(server.registries, 'validatingwebhookconfigurations'), dispatcher: new WebhookDispatcher({ reader, signal: stop.signal, clock }) }),
  ]);
  return Object.assign(server, { stop });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Hook = Record<string, any>;

function hook(name: string, url: string, caBundle: string, extra: Hook = {}): Hook {
  return {
    name,
    clientConfig: { url, caBundle },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

async function configure(server: TestServer, kind: 'Mutating' | 'Validating', name: string, webhooks: Hook[]): Promise<void> {
  const plural = `${kind.toLowerCase()}webhookconfigurations`;
  const res = await server.request('POST', `${admissionregistration}/${plural}`, { body: { apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name }, webhooks } });
  assert.equal(res.status, 201, res.text);
}

const configMap = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: 'v' } });


/** The test webhook: /mutate adds a label, /deny refuses names starting with "bad-", both warn. */
function standardHandler(path: string, request: { object?: { metadata?: { name?: string; labels?: Record<string, string> } } }) {
  if (path === '/mutate') return { allowed: true, patchType: 'JSONPatch', patch: addLabelPatch(request.object, 'admitted-by', 'test-webhook'), warnings: ['mutated by test-webhook'] };
  const name = request.object?.metadata?.name ?? '';
  if (name.startsWith('bad-')) return { allowed: false, result: { code: 403, reason: 'Forbidden', message: `name "${name}" is not allowed` } };
  return { allowed: true };
}

test('webhooks: mutate (label), deny by name, review contents, warnings', async () => {
  const hookServer = await startTestWebhookServer({ handle: standardHandler });
  const server = await serverWithWebhooks();
  try {
    await configure(server, 'Mutating', 'labeler', [hook('label.example.com', `${hookServer.url}/mutate`, hookServer.caBundle)]);
    await configure(server, 'Validating', 'namer', [hook('deny.example.com', `${hookServer.url}/deny`, hookServer.caBundle)]);

    const ok = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('good') });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.json.metadata.labels, { 'admitted-by': 'test-webhook' });
    assert.equal(ok.headers.Warning, '299 - "mutated by test-webhook"');

    const denied = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('bad-one', { keep: 'me' }) });
    assert.equal(denied.status, 403, denied.text);
    assert.equal(denied.json.message, 'admission webhook "deny.example.com" denied the request: name "bad-one" is not allowed');
    assert.equal((await server.request('GET', '/api/v1/namespaces/team/configmaps/bad-one')).status, 404);

    const first = hookServer.reviews[0].request;
    assert.equal(hookServer.reviews[0].path, '/mutate');
    assert.deepEqual(first.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(first.resource, { group: '', version: 'v1', resource: 'configmaps' });
    assert.equal(first.namespace, 'team');
    assert.equal(first.name, 'good');
    assert.equal(first.operation, 'CREATE');
    assert.equal(first.userInfo.username, 'system:unsecured');
    assert.equal(first.dryRun, false);
    assert.equal(first.options.kind, 'CreateOptions');
    assert.equal(first.oldObject, null);
    // The validating webhook sees the mutated object.
    assert.deepEqual(hookServer.reviews[1].request.object.metadata.labels, { 'admitted-by': 'test-webhook' });

    // Other resources and operations are not sent.
    const before = hookServer.reviews.length;
    assert.equal((await server.request('POST', '/api/v1/namespaces/team/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad-secret' } } })).status, 201);
    assert.equal((await server.request('PATCH', '/api/v1/namespaces/team/configmaps/good', { body: { data: { k: 'w' } }, headers: { 'content-type': 'application/merge-patch+json' } })).status, 200);
    assert.equal(hookServer.reviews.length, before);
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test('webhooks: failurePolicy Fail and Ignore with the webhook down', async () => {
  const port = await closedPort();
  const server = await serverWithWebhooks();
  try {
    const url = `https://127.0.0.1:${port}/check`;
    await configure(server, 'Validating', 'down', [
      hook('ignored.example.com', url, '', { failurePolicy: 'Ignore', objectSelector: { matchLabels: { policy: 'ignore' } } }),
      hook('failing.example.com', url, '', { failurePolicy: 'Fail', objectSelector: { matchLabels: { policy: 'fail' } } }),
    ]);
    const ignored = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('a', { policy: 'ignore' }) });
    assert.equal(ignored.status, 201, ignored.text);
    const failed = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('b', { policy: 'fail' }) });
    assert.equal(failed.status, 500, failed.text);
    assert.equal(
      failed.json.message,
      `Internal error occurred: failed calling webhook "failing.example.com": failed to call webhook: Post "https://127.0.0.1:${port}/check?timeout=10s": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
    assert.equal(failed.json.reason, 'InternalError');
  } finally {
    server.stop.abort();
    server.close();
  }
});

test('webhooks: selectors, rules with subresources and scope, dry run and sideEffects', async () => {
  const hookServer = await startTestWebhookServer({ handle: () => ({ allowed: true }) });
  const server = await serverWithWebhooks();
  try {
    await server.request('PATCH', '/api/v1/namespaces/team', { body: { metadata: { labels: { env: 'prod' } } }, headers: { 'content-type': 'application/merge-patch+json' } });
    const h = (name: string, extra: Hook) => hook(name, `${hookServer.url}/${name}`, hookServer.caBundle, extra);
    await configure(server, 'Validating', 'matching', [
      h('prod-only', { namespaceSelector: { matchLabels: { env: 'prod' } } }),
      h('labelled-only', { objectSelector: { matchExpressions: [{ key: 'watch', operator: 'Exists' }] } }),
      h('status-only', { rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/status'] }] }),
      h('cluster-scope', { rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], scope: 'Cluster' }] }),
      h('side-effects', { sideEffects: 'Some', objectSelector: { matchLabels: { dry: 'run' } } }),
    ]);
    const cases = [
      { url: '/api/v1/namespaces/team/configmaps', body: configMap('c1'), called: ['prod-only'] },
      { url: '/api/v1/namespaces/default/configmaps', body: configMap('c2'), called: [] },
      { url: '/api/v1/namespaces/default/configmaps', body: configMap('c3', { watch: 'yes' }), called: ['labelled-only'] },
      { url: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } }, called: ['cluster-scope'] },
      { url: '/api/v1/namespaces/default/configmaps?dryRun=All', body: configMap('c4', { watch: 'yes' }), called: ['labelled-only'] },
    ];
    for (const c of cases) {
      const before = hookServer.reviews.length;
      const res = await server.request('POST', c.url, { body: c.body });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(hookServer.reviews.slice(before).map((r) => r.path.slice(1)).sort(), c.called, c.url);
    }
    assert.equal(hookServer.reviews.at(-1)!.request.dryRun, true);
    const dry = await server.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: configMap('c5', { dry: 'run' }) });
    assert.equal(dry.status, 400, dry.text);
    assert.equal(dry.json.message, 'admission webhook "side-effects" does not support dry run');
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test('webhooks: reinvocation calls IfNeeded webhooks again after a later webhook changed the object', async () => {
  const hookServer = await startTestWebhookServer({
    handle: (path, request) => {
      const labels = request.object?.metadata?.labels ?? {};
      const key = path.slice(1);
      if (labels[key]) return { allowed: true };
      return { allowed: true, patchType: 'JSONPatch', patch: addLabelPatch(request.object, key, 'yes') };
    },
  });
  const server = await serverWithWebhooks();
  try {
    const h = (name: string, extra: Hook = {}) => hook(name, `${hookServer.url}/${name}`, hookServer.caBundle, extra);
    await configure(server, 'Mutating', 'a-first', [h('a', { reinvocationPolicy: 'IfNeeded' })]);
    await configure(server, 'Mutating', 'b-second', [h('b', { reinvocationPolicy: 'Never' })]);
    const res = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('x') });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.metadata.labels, { a: 'yes', b: 'yes' });
    assert.deepEqual(hookServer.reviews.map((r) => r.path), ['/a', '/b', '/a']);
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test('webhooks: timeoutSeconds (timed by the injected clock) and a Service reference dialled at its endpoint', async () => {
  let hang = true;
  const hookServer = await startTestWebhookServer({ handle: () => (hang ? 'hang' : { allowed: true }), dnsNames: ['hook.team.svc'] });
  const clock = new FakeClock();
  const server = await serverWithWebhooks(clock);
  try {
    const svc = await server.request('POST', '/api/v1/namespaces/team/services', {
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook' }, spec: { clusterIP: 'None', ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
    });
    assert.equal(svc.status, 201, svc.text);
    const eps = await server.request('POST', '/api/v1/namespaces/team/endpoints', {
      body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'hook' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: hookServer.port }] }] },
    });
    assert.equal(eps.status, 201, eps.text);
    await configure(server, 'Validating', 'slow', [
      {
        ...hook('slow.example.com', '', hookServer.caBundle, { timeoutSeconds: 3 }),
        clientConfig: { service: { name: 'hook', namespace: 'team', path: '/validate' }, caBundle: hookServer.caBundle },
      },
    ]);
    const pending = server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('slow') });
    await Promise.race([pending.then((r) => assert.fail(`answered early: ${r.text}`)), poll({ intervalMs: 5, timeoutMs: 10_000 }, () => hookServer.reviews.length === 1)]);
    clock.step(3000);
    const res = await pending;
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.message, 'Internal error occurred: failed calling webhook "slow.example.com": failed to call webhook: Post "https://hook.team.svc:443/validate?timeout=3s": context deadline exceeded');

    hang = false;
    const ok = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('fast') });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(hookServer.reviews.at(-1)!.path, '/validate');
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test('webhooks: refusals without a message, invalid answers and patches from validating webhooks, in upstream words', async () => {
  const hookServer = await startTestWebhookServer({
    handle: (path) => {
      switch (path) {
        case '/bare-deny':
          return { allowed: false };
        case '/reason-deny':
          return { allowed: false, result: { code: 200, reason: 'NotAllowed' } };
        case '/wrong-uid':
          return { allowed: true, uid: 'someone-else' } as never;
        case '/patching-validator':
          return { allowed: true, patchType: 'JSONPatch', patch: Buffer.from('[]').toString('base64') };
        default:
          return { allowed: true };
      }
    },
  });
  const server = await serverWithWebhooks();
  try {
    const names = ['bare-deny', 'reason-deny', 'wrong-uid', 'patching-validator'];
    await configure(
      server,
      'Validating',
      'odd',
      names.map((n) => hook(n, `${hookServer.url}/${n}`, hookServer.caBundle, { objectSelector: { matchLabels: { hook: n } } })),
    );
    const cases = [
      { hook: 'bare-deny', status: 400, message: 'admission webhook "bare-deny" denied the request without explanation' },
      { hook: 'reason-deny', status: 400, message: 'admission webhook "reason-deny" denied the request: NotAllowed' },
      { hook: 'wrong-uid', status: 500, message: /^Internal error occurred: failed calling webhook "wrong-uid": received invalid webhook response: expected response\.uid="[0-9a-f-]+", got "someone-else"$/ },
      { hook: 'patching-validator', status: 500, message: 'Internal error occurred: failed calling webhook "patching-validator": received invalid webhook response: validating webhook may not return response.patch' },
    ];
    for (const c of cases) {
      const res = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap(`cm-${c.hook}`, { hook: c.hook }) });
      assert.equal(res.status, c.status, res.text);
      if (typeof c.message === 'string') assert.equal(res.json.message, c.message);
      else assert.match(res.json.message, c.message);
    }
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test('webhooks: matchConditions (CEL) skip, call, or fail by failurePolicy', async () => {
  const hookServer = await startTestWebhookServer({ handle: () => ({ allowed: true }) });
  const server = await serverWithWebhooks();
  try {
    const conditions = [
      { name: 'not-system', expression: "!request.userInfo.username.startsWith('system:node:')" },
      { name: 'team-a', expression: "object.metadata.labels.team == 'a'" },
    ];
    await configure(server, 'Validating', 'cel', [
      hook('strict', `${hookServer.url}/strict`, hookServer.caBundle, { matchConditions: conditions, objectSelector: { matchLabels: { policy: 'strict' } } }),
      hook('lenient', `${hookServer.url}/lenient`, hookServer.caBundle, { matchConditions: conditions, failurePolicy: 'Ignore', objectSelector: { matchLabels: { policy: 'lenient' } } }),
    ]);
    const cases: Array<{ labels: Record<string, string>; status: number; called: string[] }> = [
      { labels: { policy: 'strict', team: 'a' }, status: 201, called: ['/strict'] },
      { labels: { policy: 'strict', team: 'b' }, status: 201, called: [] },
      { labels: { policy: 'lenient' }, status: 201, called: [] },
      { labels: { policy: 'strict' }, status: 500, called: [] },
    ];
    for (const [i, c] of cases.entries()) {
      const before = hookServer.reviews.length;
      const res = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap(`m${i}`, c.labels) });
      assert.equal(res.status, c.status, res.text);
      assert.deepEqual(hookServer.reviews.slice(before).map((r) => r.path), c.called, JSON.stringify(c.labels));
      if (c.status === 500) assert.equal(res.json.message, `Internal error occurred: failed calling webhook "strict": expression 'object.metadata.labels.team == 'a'' resulted in error: no such key: team`);
    }
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});

test("webhooks: a caBundle that does not sign the webhook's certificate fails like Go's x509 check", async () => {
  const hookServer = await startTestWebhookServer({ handle: () => ({ allowed: true }) });
  const stranger = await startTestWebhookServer({ handle: () => ({ allowed: true }) });
  const server = await serverWithWebhooks();
  try {
    await configure(server, 'Validating', 'tls', [hook('tls.example.com', `${hookServer.url}/v`, stranger.caBundle)]);
    const res = await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap('t') });
    assert.equal(res.status, 500, res.text);
    assert.equal(
      res.json.message,
      `Internal error occurred: failed calling webhook "tls.example.com": failed to call webhook: Post "${hookServer.url}/v?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
    assert.equal(hookServer.reviews.length, 0);
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
    await stranger.close();
  }
});

test('webhooks: deletes reach mutating and validating webhooks with the old object; a patch on a delete is refused', async () => {
  const hookServer = await startTestWebhookServer({
    handle: (path, request) => (path === '/patching' ? { allowed: true, patchType: 'JSONPatch', patch: addLabelPatch(request.oldObject, 'x', 'y') } : { allowed: true }),
  });
  const server = await serverWithWebhooks();
  try {
    const deletes = [{ operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];
    await configure(server, 'Mutating', 'watcher', [hook('watch.example.com', `${hookServer.url}/watch`, hookServer.caBundle, { rules: deletes, objectSelector: { matchLabels: { watch: 'yes' } } })]);
    await configure(server, 'Mutating', 'patcher', [hook('patch.example.com', `${hookServer.url}/patching`, hookServer.caBundle, { rules: deletes, objectSelector: { matchLabels: { patch: 'yes' } } })]);
    await configure(server, 'Validating', 'auditor', [hook('audit.example.com', `${hookServer.url}/audit`, hookServer.caBundle, { rules: deletes, objectSelector: { matchLabels: { watch: 'yes' } } })]);
    for (const [name, labels] of [['watched', { watch: 'yes' }], ['patched', { patch: 'yes' }]] as const) {
      assert.equal((await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: configMap(name, labels) })).status, 201);
    }
    const del = await server.request('DELETE', '/api/v1/namespaces/team/configmaps/watched');
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(hookServer.reviews.map((r) => [r.path, r.request.operation, r.request.object, r.request.oldObject.metadata.name, r.request.options.kind]), [
      ['/watch', 'DELETE', null, 'watched', 'DeleteOptions'],
      ['/audit', 'DELETE', null, 'watched', 'DeleteOptions'],
    ]);
    const refused = await server.request('DELETE', '/api/v1/namespaces/team/configmaps/patched');
    assert.equal(refused.status, 500, refused.text);
    assert.equal(refused.json.message, 'Internal error occurred: admission webhook "patch.example.com" attempted to modify the object, which is not supported for this operation');
  } finally {
    server.stop.abort();
    server.close();
    await hookServer.close();
  }
});
