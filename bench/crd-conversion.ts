// CRD conversion cost through the in-process apiserver handler (memory store) with a real HTTPS conversion
// webhook on 127.0.0.1: a GET and a LIST of 1,000 custom resources read in the stored version (no conversion),
// in another version with strategy None, and in another version through the webhook (one review per GET, one
// per LIST page). Prints JSON: medians of per-request times.
// Run: node --import tsx bench/crd-conversion.ts
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { isStreamResponse } from '../src/apiserver/endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../src/apiserver/server.js';
import { generateSelfSigned } from '../src/apiserver/serving-cert.js';
import { startTestConversionWebhook, type TestConversionWebhook } from '../src/apiserver/crd/testing/conversion-webhook-server.js';
import { median, round } from './stats.js';

const objects = 1000;
const getSamples = 400;
const listSamples = 15;
const group = 'bench.k8ts.dev';
const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.${group}`;

async function call(server: APIServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: { [k: string]: unknown } }> {
  const res = await server.handler(
    { method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)) },
    new AbortController().signal,
  );
  if (isStreamResponse(res)) throw new Error('unexpected stream');
  return { status: res.status, json: JSON.parse(String(res.body)) as { [k: string]: unknown } };
}

function crd(hook: TestConversionWebhook, strategy: 'None' | 'Webhook') {
  const schema = (field: string) => ({ openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { [field]: { type: 'string' }, replicas: { type: 'integer' } } } } } });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `crontabs.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab' },
      versions: [
        { name: 'v1', served: true, storage: true, schema: schema('cronSpec') },
        { name: 'v2', served: true, storage: false, schema: schema('schedule') },
      ],
      conversion: strategy === 'None' ? { strategy } : { strategy, webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: hook.url, caBundle: hook.caBundle } } },
    },
  };
}

/** Median ms of `samples` sequential requests. */
async function timed(samples: number, op: () => Promise<{ status: number }>): Promise<number> {
  for (let i = 0; i < 5; i++) await op();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    const res = await op();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (res.status !== 200) throw new Error(`request failed: ${res.status}`);
  }
  return median(times);
}

/** Waits until a v2 read shows `field` (the CRD change is served). */
async function servedWith(server: APIServer, field: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await server.crds.idle();
    const got = await call(server, 'GET', `/apis/${group}/v2/namespaces/default/crontabs/c0`);
    if (got.status === 200 && field in ((got.json.spec as object | undefined) ?? {})) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('CRD change not served');
}

const hook = await startTestConversionWebhook();
const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
const ac = new AbortController();
const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
try {
  await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd(hook, 'Webhook'));
  for (let i = 0; i < 500; i++) {
    await server.crds.idle();
    if ((await call(server, 'GET', `/apis/${group}/v1/namespaces/default/crontabs`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  for (let i = 0; i < objects; i++) {
    const res = await call(server, 'POST', `/apis/${group}/v1/namespaces/default/crontabs`, { apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name: `c${i}` }, spec: { cronSpec: '*/5 * * * *', replicas: 1 } });
    if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
  }
  await servedWith(server, 'schedule');
  const get = (version: string) => () => call(server, 'GET', `/apis/${group}/${version}/namespaces/default/crontabs/c42`);
  const list = (version: string) => () => call(server, 'GET', `/apis/${group}/${version}/namespaces/default/crontabs`);

  const storedGetMs = await timed(getSamples, get('v1'));
  const webhookGetMs = await timed(getSamples, get('v2'));
  const reviewsBefore = hook.requests.length;
  const storedListMs = await timed(listSamples, list('v1'));
  const webhookListMs = await timed(listSamples, list('v2'));
  const reviewsPerList = (hook.requests.length - reviewsBefore) / (listSamples + 5);

  const current = await call(server, 'GET', crdPath);
  await call(server, 'PUT', crdPath, { ...crd(hook, 'None'), metadata: current.json.metadata });
  await servedWith(server, 'cronSpec');
  const noneGetMs = await timed(getSamples, get('v2'));
  const noneListMs = await timed(listSamples, list('v2'));

  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'crd-conversion',
        objects,
        getMicros: { storedVersion: round(storedGetMs * 1000, 1), strategyNone: round(noneGetMs * 1000, 1), webhook: round(webhookGetMs * 1000, 1) },
        list1000Ms: { storedVersion: round(storedListMs), strategyNone: round(noneListMs), webhook: round(webhookListMs) },
        webhookReviewsPerList: round(reviewsPerList),
        webhookOverNone: { get: round(webhookGetMs / noneGetMs), list: round(webhookListMs / noneListMs) },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await server.close();
  ac.abort();
  await hook.close();
}
