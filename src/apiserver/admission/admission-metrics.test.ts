// Admission metrics through the REST core: the step and per-plugin histograms of the chain, and the webhook
// metrics of both dispatchers (allowed, refused, failing closed and open, excluded by a matchCondition, the
// conditions' evaluation time), read
// back from the Prometheus exposition with upstream's names and labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { newTestServer } from '../endpoints/testing/harness.js';
import { strategyFor } from '../registry/strategies.js';
import { prometheusAdmissionMetrics } from './admission-metrics.js';
import { AdmissionChain } from './chain.js';
import { registryReader } from './object-reader.js';
import { WebhookDispatcher } from './webhook/dispatch.js';
import { newMutatingAdmissionWebhook } from './webhook/mutating.js';
import { WebhookSource } from './webhook/source.js';
import { closedPort, startTestWebhookServer } from './webhook/testing/webhook-server.js';
import { newValidatingAdmissionWebhook } from './webhook/validating.js';

/** The value of one sample line of the exposition (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf('}'));
    const have = inner.split(',');
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}


test('admission metrics: steps, plugins and webhook calls with upstream names and labels', async () => {
  const hookServer = await startTestWebhookServer({ handle: (path, req: { object?: { metadata?: { name?: string } } }) => (path === '/deny' && req.object?.metadata?.name?.startsWith('bad-') ? { allowed: false, result: { code: 403, message: 'no' } } : { allowed: true }) });
  const registry = new Registry();
  const metrics = prometheusAdmissionMetrics(registry);
  const stop = new AbortController();
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['default'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    const reader = registryReader(server.registries);
    const dispatcher = new WebhookDispatcher({ reader, signal: stop.signal, metrics });
    chain = new AdmissionChain(
      [
        newMutatingAdmissionWebhook({ source: new WebhookSource(server.registries, 'mutatingwebhookconfigurations'), dispatcher }),
        newValidatingAdmissionWebhook({ source: new WebhookSource(server.registries, 'validatingwebhookconfigurations'), dispatcher }),
      ],
      metrics,
    );
    const rules = [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];
    const down = `https://127.0.0.1:${await closedPort()}/x`;
    const hook = (name: string, url: string, extra: Record<string, unknown> = {}) => ({ name, clientConfig: { url, caBundle: hookServer.caBundle }, rules, sideEffects: 'None', admissionReviewVersions: ['v1'], ...extra });
    const configure = async (kind: string, webhooks: unknown[]) => {
      const plural = `${kind.toLowerCase()}webhookconfigurations`;
      const res = await server.request('POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, { body: { apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name: kind.toLowerCase() }, webhooks } });
      assert.equal(res.status, 201, res.text);
    };
    await configure('Mutating', [
      hook('mutate.example.com', `${hookServer.url}/mutate`),
      hook('down-open.example.com', down, { failurePolicy: 'Ignore' }),
      hook('excluded.example.com', `${hookServer.url}/mutate`, { matchConditions: [{ name: 'never', expression: 'false' }] }),
    ]);
    await configure('Validating', [hook('deny.example.com', `${hookServer.url}/deny`)]);
    const cm = (name: string) => server.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    assert.equal((await cm('good')).status, 201);
    assert.equal((await cm('bad-one')).status, 403);

    const text = await registry.metrics();
    const count = (name: string, labels: Record<string, string>) => sample(text, `${name}_count`, labels);
    // Steps: four creates (two configurations, two ConfigMaps) pass the mutating step; the validating step
    // refuses one of them.
    assert.equal(count('apiserver_admission_step_admission_duration_seconds', { type: 'admit', operation: 'CREATE', rejected: 'false' }), 4, text);
    assert.equal(count('apiserver_admission_step_admission_duration_seconds', { type: 'validate', operation: 'CREATE', rejected: 'false' }), 3);
    assert.equal(count('apiserver_admission_step_admission_duration_seconds', { type: 'validate', operation: 'CREATE', rejected: 'true' }), 1);
    // Plugins by name.
    assert.equal(count('apiserver_admission_controller_admission_duration_seconds', { name: 'MutatingAdmissionWebhook', type: 'admit', operation: 'CREATE', rejected: 'false' }), 4);
    assert.equal(count('apiserver_admission_controller_admission_duration_seconds', { name: 'ValidatingAdmissionWebhook', type: 'validate', operation: 'CREATE', rejected: 'true' }), 1);
    // Webhooks: allowed with 200, refused with its code, failing open, excluded.
    assert.equal(sample(text, 'apiserver_admission_webhook_request_total', { name: 'mutate.example.com', type: 'admit', operation: 'CREATE', code: '200', rejected: 'false' }), 2);
    assert.equal(sample(text, 'apiserver_admission_webhook_request_total', { name: 'deny.example.com', type: 'validating', operation: 'CREATE', code: '403', rejected: 'true' }), 1);
    assert.equal(sample(text, 'apiserver_admission_webhook_rejection_count', { name: 'deny.example.com', type: 'validating', operation: 'CREATE', error_type: 'no_error', rejection_code: '403' }), 1);
    assert.equal(sample(text, 'apiserver_admission_webhook_fail_open_count', { name: 'down-open.example.com', type: 'admit' }), 2);
    assert.equal(sample(text, 'apiserver_admission_webhook_request_total', { name: 'down-open.example.com', type: 'admit', operation: 'CREATE', code: '0', rejected: 'false' }), 2);
    assert.equal(sample(text, 'apiserver_admission_match_condition_exclusions_total', { name: 'excluded.example.com', kind: 'webhook', type: 'admit', operation: 'CREATE' }), 2);
    assert.equal(count('apiserver_admission_webhook_admission_duration_seconds', { name: 'deny.example.com', type: 'validating', operation: 'CREATE', rejected: 'false' }), 1);
    // matchConditions: evaluated twice (one ConfigMap each), never failing to evaluate.
    assert.equal(count('apiserver_admission_match_condition_evaluation_seconds', { name: 'excluded.example.com', kind: 'webhook', type: 'admit', operation: 'CREATE' }), 2);
    assert.equal(sample(text, 'apiserver_admission_match_condition_evaluation_errors_total', { name: 'excluded.example.com', kind: 'webhook', type: 'admit', operation: 'CREATE' }), undefined);
  } finally {
    stop.abort();
    server.close();
    await hookServer.close();
  }
});
