// CRD conversion through the whole apiserver (runAPIServer over a memory store, requests through its
// socket-free handler) with a real HTTPS conversion webhook on 127.0.0.1: reads, lists, watches and writes in
// a version other than the storage one, failures reported as upstream does, switching strategies, changing
// the storage version, and the validation of spec.conversion.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { isStreamResponse } from '../endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer, type APIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';
import { startTestConversionWebhook, type TestConversionWebhook } from './testing/conversion-webhook-server.js';

const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function call(server: APIServer, method: string, url: string, body?: unknown): Promise<Reply> {
  const u = new URL(url, 'http://x');
  const res = await server.handler(
    { method, path: u.pathname, query: u.searchParams, headers: { 'content-type': 'application/json' }, body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)) },
    new AbortController().signal,
  );
  assert.ok(!isStreamResponse(res));
  return { status: res.status, json: JSON.parse(String(res.body)) };
}

const group = 'conv.example.com';
const crdName = `crontabs.${group}`;
const v1Base = `/apis/${group}/v1/namespaces/default/crontabs`;
const v2Base = `/apis/${group}/v2/namespaces/default/crontabs`;

const schema = (field: string) => ({
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { [field]: { type: 'string' }, replicas: { type: 'integer' } } },
      status: { type: 'object', properties: { replicas: { type: 'integer' } } },
    },
  },
});

function crd(hook: TestConversionWebhook, opts: { strategy?: 'None' | 'Webhook'; storage?: 'v1' | 'v2' } = {}) {
  const storage = opts.storage ?? 'v1';
  const subresources = { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
      versions: [
        { name: 'v1', served: true, storage: storage === 'v1', schema: schema('cronSpec'), subresources },
        { name: 'v2', served: true, storage: storage === 'v2', schema: schema('schedule'), subresources },
      ],
      conversion:
        opts.strategy === 'None'
          ? { strategy: 'None' }
          : { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: hook.url, caBundle: hook.caBundle } } },
    },
  };
}

let hook: TestConversionWebhook;
let server: APIServer;
const ac = new AbortController();

async function servedWith(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await server.crds.idle();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('the CRD change was not served in time');
}

/** Replaces the CRD's spec and waits until reads through v2 behave as `ready` says. */
async function updateCRD(body: ReturnType<typeof crd>, ready: () => Promise<boolean>): Promise<void> {
  const current = await call(server, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
  const res = await call(server, 'PUT', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`, { ...body, metadata: current.json.metadata });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  await servedWith(ready);
}

before(async () => {
  hook = await startTestConversionWebhook();
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  const created = await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd(hook));
  assert.equal(created.status, 201, JSON.stringify(created.json));
  await servedWith(async () => (await call(server, 'GET', v2Base)).status === 200);
});

after(async () => {
  await server.close();
  ac.abort();
  await hook.close();
});

test('objects written and read in v2 are stored in v1 through the webhook; v1 reads need no call', async () => {
  const before = hook.requests.length;
  const created = await call(server, 'POST', v2Base, { apiVersion: `${group}/v2`, kind: 'CronTab', metadata: { name: 'a' }, spec: { schedule: '*/5 * * * *', replicas: 1 } });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.equal(created.json.apiVersion, `${group}/v2`);
  assert.deepEqual(created.json.spec, { schedule: '*/5 * * * *', replicas: 1 });
  assert.deepEqual(
    hook.requests.slice(before).map((r) => r.desiredAPIVersion),
    [`${group}/v1`, `${group}/v2`],
    'to the storage version, then back',
  );

  const calls = hook.requests.length;
  const asV1 = await call(server, 'GET', `${v1Base}/a`);
  assert.equal(asV1.json.apiVersion, `${group}/v1`);
  assert.deepEqual(asV1.json.spec, { cronSpec: '*/5 * * * *', replicas: 1 });
  assert.equal(hook.requests.length, calls, 'stored in v1: no conversion for a v1 read');

  const asV2 = await call(server, 'GET', `${v2Base}/a`);
  assert.deepEqual(asV2.json.spec, { schedule: '*/5 * * * *', replicas: 1 });
  assert.equal(asV2.json.metadata.resourceVersion, asV1.json.metadata.resourceVersion);
  assert.equal(asV2.json.metadata.uid, asV1.json.metadata.uid);

  const put = await call(server, 'PUT', `${v2Base}/a`, { ...asV2.json, spec: { schedule: '0 * * * *', replicas: 3 } });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.deepEqual((await call(server, 'GET', `${v1Base}/a`)).json.spec, { cronSpec: '0 * * * *', replicas: 3 });
});

test('a list in v2 converts its page in one review; /scale and /status work in v2', async () => {
  for (const name of ['l1', 'l2', 'l3']) {
    assert.equal((await call(server, 'POST', v1Base, { apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name }, spec: { cronSpec: name } })).status, 201);
  }
  const before = hook.requests.length;
  const list = await call(server, 'GET', v2Base);
  assert.equal(list.status, 200);
  assert.equal(list.json.apiVersion, `${group}/v2`);
  const byName = Object.fromEntries(list.json.items.map((i: { metadata: { name: string }; spec: unknown }) => [i.metadata.name, i.spec]));
  assert.deepEqual(byName.l2, { schedule: 'l2' });
  assert.equal(hook.requests.length, before + 1, 'one review for the list');
  assert.ok(hook.requests[before].objects.length >= 3);

  const scale = await call(server, 'PUT', `${v2Base}/l1/scale`, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'l1' }, spec: { replicas: 4 } });
  assert.equal(scale.status, 200, JSON.stringify(scale.json));
  assert.equal((await call(server, 'GET', `${v1Base}/l1`)).json.spec.replicas, 4);
  const cur = await call(server, 'GET', `${v2Base}/l1`);
  const status = await call(server, 'PUT', `${v2Base}/l1/status`, { ...cur.json, status: { replicas: 4 } });
  assert.equal(status.status, 200, JSON.stringify(status.json));
  assert.deepEqual((await call(server, 'GET', `${v1Base}/l1`)).json.status, { replicas: 4 });
});

test('a watch in v2 gets converted objects', async () => {
  const wac = new AbortController();
  const watch = await server.handler({ method: 'GET', path: v2Base, query: new URLSearchParams('watch=true&resourceVersion=0'), headers: {}, body: new Uint8Array() }, wac.signal);
  assert.ok(isStreamResponse(watch));
  const seen = new Map<string, unknown>();
  const reading = (async () => {
    for await (const chunk of watch.stream) {
      for (const line of chunk.split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as { type: string; object: { apiVersion: string; metadata: { name: string }; spec: unknown } };
        assert.equal(e.object.apiVersion, `${group}/v2`);
        seen.set(e.object.metadata.name, e.object.spec);
      }
      if (seen.has('w1')) break;
    }
  })();
  assert.equal((await call(server, 'POST', v1Base, { apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name: 'w1' }, spec: { cronSpec: 'watched' } })).status, 201);
  const timer = setTimeout(() => wac.abort(), 5000);
  await reading;
  clearTimeout(timer);
  wac.abort();
  assert.deepEqual(seen.get('w1'), { schedule: 'watched' });
  assert.deepEqual(seen.get('l1'), { schedule: 'l1', replicas: 4 }, 'the initial events are converted too');
});

test("a failing webhook fails v2 requests with upstream's 500 and leaves v1 working and storage untouched", async () => {
  hook.answerWith((review) => ({ apiVersion: review.apiVersion, kind: 'ConversionReview', response: { uid: review.request.uid, result: { status: 'Failure', message: 'webhook is sad' } } }));
  try {
    const got = await call(server, 'GET', `${v2Base}/a`);
    assert.equal(got.status, 500);
    assert.equal(got.json.kind, 'Status');
    assert.equal(got.json.message, `conversion webhook for ${group}/v1, Kind=CronTab failed: webhook is sad`);
    assert.equal((await call(server, 'GET', v2Base)).status, 500);
    const create = await call(server, 'POST', v2Base, { apiVersion: `${group}/v2`, kind: 'CronTab', metadata: { name: 'never' }, spec: { schedule: 'x' } });
    assert.equal(create.status, 500);
    assert.equal(create.json.message, `conversion webhook for ${group}/v2, Kind=CronTab failed: webhook is sad`);
    assert.equal((await call(server, 'GET', `${v1Base}/never`)).status, 404, 'nothing was stored');
    assert.equal((await call(server, 'GET', `${v1Base}/a`)).status, 200);
  } finally {
    hook.answerWith(undefined);
  }
});

test('switching to strategy None and back takes effect at once', async () => {
  await updateCRD(crd(hook, { strategy: 'None' }), async () => 'cronSpec' in ((await call(server, 'GET', `${v2Base}/a`)).json.spec ?? {}));
  const calls = hook.requests.length;
  const none = await call(server, 'GET', `${v2Base}/a`);
  assert.equal(none.json.apiVersion, `${group}/v2`);
  assert.deepEqual(none.json.spec, { cronSpec: '0 * * * *', replicas: 3 }, 'None changes only apiVersion');
  assert.equal(hook.requests.length, calls);
  await updateCRD(crd(hook), async () => 'schedule' in ((await call(server, 'GET', `${v2Base}/a`)).json.spec ?? {}));
});

test('after the storage version moves to v2, objects still stored in v1 are converted for v2 reads', async () => {
  await updateCRD(crd(hook, { storage: 'v2' }), async () => {
    const crdNow = await call(server, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
    return (crdNow.json.status?.storedVersions ?? []).includes('v2');
  });
  const got = await call(server, 'GET', `${v2Base}/a`);
  assert.equal(got.json.apiVersion, `${group}/v2`);
  assert.deepEqual(got.json.spec, { schedule: '0 * * * *', replicas: 3 });
  const storedVersions = (await call(server, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`)).json.status.storedVersions;
  assert.deepEqual(storedVersions, ['v1', 'v2']);
  // An update through v2 rewrites the object in the new storage version; v1 reads convert it back.
  const put = await call(server, 'PUT', `${v2Base}/a`, { ...got.json, spec: { schedule: 'moved', replicas: 3 } });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.deepEqual((await call(server, 'GET', `${v1Base}/a`)).json.spec, { cronSpec: 'moved', replicas: 3 });
});

test("spec.conversion is validated with upstream's paths and messages", async () => {
  const cases: Array<{ conversion: unknown; preserveUnknownFields?: boolean; want: string[] }> = [
    { conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } }, want: ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook'] },
    {
      conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v3'], clientConfig: { url: 'http://hook.example/convert?x=1' } } },
      want: [
        `spec.conversion.webhookClientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
        'spec.conversion.webhookClientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
        'spec.conversion.conversionReviewVersions: Invalid value: ["v3"]: must include at least one of v1, v1beta1',
      ],
    },
    {
      conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1', 'v1'], clientConfig: { service: { namespace: 'ns', name: 'svc', path: 'convert', port: 70000 } } } },
      want: [
        'spec.conversion.webhookClientConfig.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive',
        `spec.conversion.webhookClientConfig.service.path: Invalid value: "convert": must start with a '/'`,
        'spec.conversion.conversionReviewVersions[1]: Invalid value: "v1": duplicate version',
      ],
    },
    {
      conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: 'https://h/c', caBundle: Buffer.from('not a cert').toString('base64') } } },
      want: [`spec.conversion.webhookClientConfig.caBundle: Invalid value: "${Buffer.from('not a cert').toString('base64')}": unable to load root certificates: unable to parse bytes as PEM block`],
    },
    {
      conversion: { strategy: 'None', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: 'https://h/c' } } },
      want: [
        'spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook',
        'spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook',
      ],
    },
    { conversion: { strategy: 'Magic' }, want: ['spec.conversion.strategy: Invalid value: "Magic": must be None if spec.preserveUnknownFields is true', 'spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"'], preserveUnknownFields: true },
  ];
  for (const [i, tc] of cases.entries()) {
    const body = crd(hook);
    const spec = { ...body.spec, group: `v${i}.example.com`, conversion: tc.conversion, ...(tc.preserveUnknownFields ? { preserveUnknownFields: true } : {}) };
    const res = await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { ...body, metadata: { name: `crontabs.v${i}.example.com` }, spec });
    assert.equal(res.status, 422, `case ${i}: ${JSON.stringify(res.json)}`);
    assert.deepEqual(
      res.json.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      tc.want,
      `case ${i}`,
    );
  }
});
