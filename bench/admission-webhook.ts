// Admission cost: the default chain's cost per create without webhooks (ConfigMap, and a Pod through
// ServiceAccount, LimitRanger, Priority, DefaultTolerationSeconds), and what one mutating plus one
// validating HTTPS webhook on loopback add to a create. In-process REST core (no sockets to the apiserver),
// real HTTPS to the webhook. Prints JSON.
// Run: node --import tsx bench/admission-webhook.ts [--creates=400]
import { Registry } from 'prom-client';
import { prometheusAdmissionMetrics } from '../src/apiserver/admission/admission-metrics.js';
import { newAdmissionChain, newAdmissionFor } from '../src/apiserver/admission/chain.js';
import { unsecuredUser } from '../src/apiserver/authentication/interface.js';
import { addLabelPatch, startTestWebhookServer } from '../src/apiserver/admission/webhook/testing/webhook-server.js';
import { newTestServer, type TestServer } from '../src/apiserver/endpoints/testing/harness.js';
import type { ResourceHandlerOptions } from '../src/apiserver/endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { strategyFor } from '../src/apiserver/registry/strategies.js';
import { median, percentile, round } from './stats.js';

const creates = Math.min(5000, Number(process.argv.find((a) => a.startsWith('--creates='))?.split('=')[1] ?? 400));
const timeBudgetMs = 20_000;

/** A server whose admission is what `build` makes from its registries (undefined = none). */
async function serverWith(build?: (s: TestServer) => Promise<ResourceHandlerOptions['admissionFor']>): Promise<{ server: TestServer; stop: AbortController }> {
  const stop = new AbortController();
  let admissionFor: ResourceHandlerOptions['admissionFor'];
  const server = await newTestServer({ strategyFor, namespaces: ['default', 'bench'], handlerOptions: { admissionFor: (req) => admissionFor?.(req) } });
  admissionFor = build ? await build(server) : undefined;
  return { server, stop };
}

const defaultChain = (s: TestServer, stop: AbortController) =>
  newAdmissionFor({ options: { ...defaultAPIServerOptions('/tmp'), enableAdmissionPlugins: [], disableAdmissionPlugins: [] }, registries: s.registries, store: s.store, signal: stop.signal });

/** Creates `count` objects one after another; per-create latency in ms. Bounded by count and time. */
async function timeCreates(server: TestServer, path: string, body: (i: number) => unknown, tag: string): Promise<{ medianMs: number; p99Ms: number; creates: number }> {
  const samples: number[] = [];
  const deadline = performance.now() + timeBudgetMs;
  for (let i = 0; i < 20; i++) await server.request('POST', path, { body: body(-i - 1) }); // warm-up
  for (let i = 0; i < creates && performance.now() < deadline; i++) {
    const t0 = performance.now();
    const res = await server.request('POST', path, { body: body(i) });
    samples.push(performance.now() - t0);
    if (res.status !== 201) throw new Error(`${tag}: create ${i} answered ${res.status}: ${res.text}`);
  }
  return { medianMs: round(median(samples), 4), p99Ms: round(percentile(samples, 99), 4), creates: samples.length };
}

const configMap = (prefix: string) => (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i < 0 ? `w${-i}` : i}` }, data: { k: 'v' } });
const pod = (prefix: string) => (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `${prefix}-${i < 0 ? `w${-i}` : i}` },
  spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
});

async function main(): Promise<void> {
  const report: Record<string, unknown> = { creates, node: process.version };

  // 1. No admission at all.
  {
    const { server, stop } = await serverWith();
    report.configMapNoAdmission = await timeCreates(server, '/api/v1/namespaces/bench/configmaps', configMap('none'), 'none');
    report.podNoAdmission = await timeCreates(server, '/api/v1/namespaces/bench/pods', pod('none'), 'pod-none');
    stop.abort();
    server.close();
  }

  // 2. The default chain (plus RBAC escalation hooks), no webhooks configured.
  {
    const stop = new AbortController();
    const { server } = await serverWith((s) => defaultChain(s, stop));
    await server.request('POST', '/api/v1/namespaces/bench/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    await server.request('POST', '/api/v1/namespaces/bench/limitranges', {
      body: { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] } },
    });
    report.configMapDefaultChain = await timeCreates(server, '/api/v1/namespaces/bench/configmaps', configMap('chain'), 'chain');
    report.podDefaultChain = await timeCreates(server, '/api/v1/namespaces/bench/pods', pod('chain'), 'pod-chain');
    // The chain alone (mutate + validate hooks of one create), without the REST core around it.
    const chainOptions = { options: { ...defaultAPIServerOptions('/tmp'), enableAdmissionPlugins: [], disableAdmissionPlugins: [] }, registries: server.registries, store: server.store, signal: stop.signal };
    const plain = await newAdmissionChain(chainOptions);
    // The same chain reporting into Prometheus (as the apiserver runs it): the metrics' own cost per write.
    const measured = await newAdmissionChain({ ...chainOptions, admissionMetrics: prometheusAdmissionMetrics(new Registry()) });
    for (const [key, resource, body, chain] of [
      ['configMapChainHooksUs', 'configmaps', configMap('direct'), plain],
      ['podChainHooksUs', 'pods', pod('direct'), plain],
      ['configMapChainHooksWithMetricsUs', 'configmaps', configMap('metrics'), measured],
      ['podChainHooksWithMetricsUs', 'pods', pod('metrics'), measured],
    ] as const) {
      const registry = server.registries.get('', resource)!;
      const samples: number[] = [];
      for (let i = 0; i < Math.min(creates, 2000); i++) {
        const obj = body(i) as never;
        const hooks = chain.hooksFor({ registry, user: unsecuredUser, namespace: 'bench', name: '', subresource: '', dryRun: false, options: { kind: 'CreateOptions' } });
        const t0 = performance.now();
        await hooks.mutate(obj, undefined);
        await hooks.validate(obj, undefined);
        samples.push((performance.now() - t0) * 1000);
      }
      report[key] = { median: round(median(samples), 2), p99: round(percentile(samples, 99), 2) };
    }
    stop.abort();
    server.close();
  }

  // 3. The default chain with one mutating and one validating webhook (HTTPS, loopback, keep-alive).
  {
    const hook = await startTestWebhookServer({
      handle: (path, request) => (path === '/mutate' ? { allowed: true, patchType: 'JSONPatch', patch: addLabelPatch(request.object, 'admitted', 'yes') } : { allowed: true }),
    });
    const stop = new AbortController();
    const { server } = await serverWith((s) => defaultChain(s, stop));
    const webhook = (kind: string, path: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: `${kind}WebhookConfiguration`,
      metadata: { name: `bench-${path}` },
      webhooks: [
        {
          name: `${path}.bench.example.com`,
          clientConfig: { url: `${hook.url}/${path}`, caBundle: hook.caBundle },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    });
    await server.request('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', { body: webhook('Mutating', 'mutate') });
    await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', { body: webhook('Validating', 'validate') });
    report.configMapTwoWebhooks = await timeCreates(server, '/api/v1/namespaces/bench/configmaps', configMap('hooked'), 'webhooks');
    report.webhookCalls = hook.reviews.length;
    stop.abort();
    server.close();
    await hook.close();
  }

  const ms = (k: string) => (report[k] as { medianMs: number }).medianMs;
  report.summary = {
    chainHooksPerConfigMapCreateUs: (report.configMapChainHooksUs as { median: number }).median,
    chainHooksPerPodCreateUs: (report.podChainHooksUs as { median: number }).median,
    chainCostPerConfigMapCreateMs: round(ms('configMapDefaultChain') - ms('configMapNoAdmission'), 4),
    chainCostPerPodCreateMs: round(ms('podDefaultChain') - ms('podNoAdmission'), 4),
    twoWebhooksAddedPerCreateMs: round(ms('configMapTwoWebhooks') - ms('configMapDefaultChain'), 4),
    webhookRoundTripMs: round((ms('configMapTwoWebhooks') - ms('configMapDefaultChain')) / 2, 4),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
