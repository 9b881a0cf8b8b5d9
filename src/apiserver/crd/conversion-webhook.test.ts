import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StatusError } from '../../apimachinery/errors.js';
import { FakeClock } from '../../base/clock.js';
import type { ObjectReader } from '../admission/object-reader.js';
import type { APIObject } from '../registry/strategy.js';
import { newWebhookConverter } from './conversion-webhook.js';
import { startTestConversionWebhook, successReview, type ConversionRequest, type TestConversionWebhook } from './testing/conversion-webhook-server.js';

const noObjects: ObjectReader = { get: () => Promise.resolve(undefined), list: () => Promise.resolve([]) };

const v1 = (name: string, extra: Partial<APIObject> = {}): APIObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', labels: { app: 'x' } },
  spec: { cronSpec: '* * * * */5' },
  ...extra,
});

let hook: TestConversionWebhook;
before(async () => {
  hook = await startTestConversionWebhook();
});
after(() => hook.close());

function converter(opts: { versions?: string[]; url?: string; clock?: FakeClock } = {}) {
  return newWebhookConverter({
    conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: opts.versions ?? ['v1'], clientConfig: { url: opts.url ?? hook.url, caBundle: hook.caBundle } } },
    reader: noObjects,
    clock: opts.clock,
  });
}

test('converts the objects not yet in the desired version in one review, keeping order and metadata', async () => {
  hook.answerWith(undefined);
  const before = hook.requests.length;
  const already: APIObject = { apiVersion: 'stable.example.com/v2', kind: 'CronTab', metadata: { name: 'b', namespace: 'default', uid: 'uid-b' }, spec: { schedule: 'x' } };
  const out = await converter().convert([v1('a'), already, v1('c')], 'stable.example.com/v2');
  assert.equal(hook.requests.length, before + 1);
  const req = hook.requests.at(-1)!;
  assert.equal(req.desiredAPIVersion, 'stable.example.com/v2');
  assert.deepEqual(
    req.objects.map((o) => o.metadata?.name),
    ['a', 'c'],
  );
  assert.deepEqual(
    out.map((o) => [o.metadata?.name, o.apiVersion, (o.spec as { schedule?: string }).schedule]),
    [
      ['a', 'stable.example.com/v2', '* * * * */5'],
      ['b', 'stable.example.com/v2', 'x'],
      ['c', 'stable.example.com/v2', '* * * * */5'],
    ],
  );
  assert.equal(out[1], already);
  assert.equal(out[0].metadata?.resourceVersion, '7');
});

test('nothing to convert: no call at all', async () => {
  const before = hook.requests.length;
  const obj = v1('a');
  const out = await converter().convert([obj], 'stable.example.com/v1');
  assert.equal(out[0], obj);
  assert.equal(hook.requests.length, before);
});

test('the review version is the first one the CRD lists that the apiserver speaks', async () => {
  let seen = '';
  hook.answerWith((review) => {
    seen = review.apiVersion;
    return successReview(review.apiVersion, review.request);
  });
  await converter({ versions: ['v9', 'v1beta1', 'v1'] }).convert([v1('a')], 'stable.example.com/v2');
  assert.equal(seen, 'apiextensions.k8s.io/v1beta1');
  hook.answerWith(undefined);
});

test('the webhook may change labels and annotations only; other metadata is restored', async () => {
  hook.answerWith((review) => {
    const res = successReview(review.apiVersion, review.request) as { response: { convertedObjects: APIObject[] } };
    for (const o of res.response.convertedObjects) {
      o.metadata = { ...o.metadata, labels: { app: 'y' }, annotations: { converted: 'yes' }, resourceVersion: '999', finalizers: ['x/y'] };
    }
    return res;
  });
  const [out] = await converter().convert([v1('a')], 'stable.example.com/v2');
  assert.deepEqual(out.metadata, { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '7', labels: { app: 'y' }, annotations: { converted: 'yes' } });
  hook.answerWith(undefined);
});

type Reviewer = (review: { apiVersion: string; request: ConversionRequest }) => Record<string, unknown>;
const tweak =
  (f: (res: { uid: string; result: { status: string; message?: string }; convertedObjects: Record<string, unknown>[] }) => void): Reviewer =>
  (review) => {
    const out = successReview(review.apiVersion, review.request) as { response: Parameters<typeof f>[0] };
    f(out.response);
    return out;
  };

const failures: Array<{ name: string; objects?: number; answer: Reviewer; message: string | RegExp }> = [
  {
    name: 'a Failure result carries its message',
    answer: tweak((r) => (r.result = { status: 'Failure', message: 'cannot convert cron specs today' })),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab failed: cannot convert cron specs today',
  },
  {
    name: 'a Failure result without a message',
    answer: tweak((r) => (r.result = { status: 'Failure' })),
    message: "conversion webhook for stable.example.com/v1, Kind=CronTab failed: response.result.status was 'Failure', not 'Success'",
  },
  {
    name: 'the wrong uid',
    answer: tweak((r) => (r.uid = 'not-mine')),
    message: /^conversion webhook for stable\.example\.com\/v1, Kind=CronTab failed: expected response\.uid="[0-9a-f-]{36}", got "not-mine"$/,
  },
  {
    name: 'the wrong kind of review',
    answer: (review) => ({ ...successReview(review.apiVersion, review.request), kind: 'AdmissionReview' }),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab failed: expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got apiextensions.k8s.io/v1, Kind=AdmissionReview',
  },
  {
    name: 'no response',
    answer: (review) => ({ apiVersion: review.apiVersion, kind: 'ConversionReview' }),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab failed: no response provided',
  },
  {
    name: 'too few objects',
    objects: 2,
    answer: tweak((r) => r.convertedObjects.pop()),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned 1 objects, expected 2',
  },
  {
    name: 'a changed name',
    answer: tweak((r) => ((r.convertedObjects[0].metadata as { name: string }).name = 'other')),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid object: must have the same name: a != other',
  },
  {
    name: 'a changed uid in a list',
    objects: 2,
    answer: tweak((r) => ((r.convertedObjects[1].metadata as { uid: string }).uid = 'x')),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid converted object at index 1: must have the same UID: uid-b != x',
  },
  {
    name: 'the wrong version',
    answer: tweak((r) => (r.convertedObjects[0].apiVersion = 'stable.example.com/v3')),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid object at index 0: invalid groupVersion (expected stable.example.com/v2, received stable.example.com/v3)',
  },
  {
    name: 'the wrong kind',
    objects: 2,
    answer: tweak((r) => (r.convertedObjects[0].kind = 'Job')),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid converted object at index 0: invalid kind (expected CronTab, received Job)',
  },
  {
    name: 'an invalid label',
    answer: tweak((r) => ((r.convertedObjects[0].metadata as { labels: Record<string, string> }).labels = { app: 'not valid!' })),
    message: /^conversion webhook for stable\.example\.com\/v1, Kind=CronTab returned invalid metadata: metadata\.labels: Invalid value: "not valid!": a valid label must be/,
  },
  {
    name: 'a label that is not a string',
    answer: tweak((r) => ((r.convertedObjects[0].metadata as { labels: Record<string, unknown> }).labels = { app: 3 })),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid metadata: metadata.labels[app] must be a string, but is float64 in converted object',
  },
  {
    // Identity is checked before metadata, so an object without metadata has lost its name.
    name: 'no metadata',
    answer: tweak((r) => delete r.convertedObjects[0].metadata),
    message: 'conversion webhook for stable.example.com/v1, Kind=CronTab returned invalid object: must have the same name: a != ',
  },
];

for (const tc of failures) {
  test(`a webhook answering with ${tc.name} fails the conversion with upstream's message (500)`, async () => {
    hook.answerWith(tc.answer);
    const objs = [v1('a'), v1('b')].slice(0, tc.objects ?? 1);
    await assert.rejects(converter().convert(objs, 'stable.example.com/v2'), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 500);
      if (typeof tc.message === 'string') assert.equal(err.message, tc.message);
      else assert.match(err.message, tc.message);
      return true;
    });
    hook.answerWith(undefined);
  });
}

test('a webhook that is not listening: Go-worded connection refused', async () => {
  const down = await startTestConversionWebhook();
  await down.close();
  await assert.rejects(converter({ url: down.url }).convert([v1('a')], 'stable.example.com/v2'), {
    message: `conversion webhook for stable.example.com/v1, Kind=CronTab failed: Post "${down.url}?timeout=30s": dial tcp 127.0.0.1:${down.port}: connect: connection refused`,
  });
});

test('a webhook that never answers times out after 30 s (fake clock)', async () => {
  hook.answerWith(() => 'hang' as unknown as Record<string, unknown>);
  const clock = new FakeClock();
  const count = hook.requests.length;
  const pending = converter({ clock }).convert([v1('a')], 'stable.example.com/v2');
  // Once the request has reached the webhook, run the clock to the deadline (polling is bounded: 5 s).
  for (let i = 0; i < 500 && hook.requests.length === count; i++) await new Promise((r) => setTimeout(r, 10));
  clock.step(30_000);
  await assert.rejects(pending, { message: `conversion webhook for stable.example.com/v1, Kind=CronTab failed: Post "${hook.url}?timeout=30s": context deadline exceeded` });
  hook.answerWith(undefined);
});

test('each call is reported with upstream metric names: success, and failures by type', async () => {
  const { Registry } = await import('prom-client');
  const { prometheusConversionMetrics } = await import('./conversion-metrics.js');
  const registry = new Registry();
  const c = newWebhookConverter({
    conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: hook.url, caBundle: hook.caBundle } } },
    reader: noObjects,
    metrics: prometheusConversionMetrics(registry),
    crdName: 'crontabs.stable.example.com',
  });
  hook.answerWith(undefined);
  await c.convert([v1('a'), v1('b')], 'stable.example.com/v2');
  hook.answerWith((review) => ({ ...successReview(review.apiVersion, review.request), response: { uid: 'not-mine', result: { status: 'Success' }, convertedObjects: [] } }));
  await assert.rejects(c.convert([v1('a')], 'stable.example.com/v2'));
  hook.answerWith((review) => {
    const r = successReview(review.apiVersion, review.request) as { response: { convertedObjects: APIObject[] } };
    r.response.convertedObjects[0]!.kind = 'Job';
    return r;
  });
  await assert.rejects(c.convert([v1('a')], 'stable.example.com/v2'));
  hook.answerWith(undefined);
  const text = await registry.metrics();
  const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix))?.split(' ').at(-1);
  assert.equal(line('apiserver_conversion_webhook_request_total{result="success",failure_type=""}'), '1', text);
  assert.equal(line('apiserver_conversion_webhook_request_total{result="failure",failure_type="conversion_webhook_malformed_response_failure"}'), '1');
  assert.equal(line('apiserver_conversion_webhook_request_total{result="failure",failure_type="conversion_webhook_invalid_converted_object_failure"}'), '1');
  assert.equal(line('apiserver_crd_conversion_webhook_duration_seconds_count{crd_name="crontabs.stable.example.com",from_version="v1",to_version="v2",succeeded="true"}'), '1');
  assert.equal(line('apiserver_crd_conversion_webhook_duration_seconds_count{crd_name="crontabs.stable.example.com",from_version="v1",to_version="v2",succeeded="false"}'), '2');
});
