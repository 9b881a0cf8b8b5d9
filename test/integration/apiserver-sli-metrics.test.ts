// apiserver_request_sli_duration_seconds against an in-process apiserver: a create whose validating webhook
// answers 300 ms late takes that long in apiserver_request_duration_seconds, but not in the SLI latency, which
// leaves webhook time out as upstream's does; watches are not in the SLI at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestWebhookServer } from '../../src/apiserver/admission/webhook/testing/webhook-server.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

function value(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(line));
  assert.ok(found, `no ${line} in the exposition`);
  return Number(found.slice(found.lastIndexOf(' ') + 1));
}

test('the SLI latency excludes admission webhook time; long-running requests are left out', async (t) => {
  const hook = await startTestWebhookServer({ handle: () => ({ allowed: true }), delayMs: 300 });
  t.after(() => hook.close());
  const { client } = await startInProcessAPIServer(t);
  await client.resource({ group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' }).create({
    metadata: { name: 'slow' },
    webhooks: [
      {
        name: 'slow.example.com',
        clientConfig: { url: `${hook.url}/validate`, caBundle: hook.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  } as never);
  await client.resource({ group: '', version: 'v1', resource: 'configmaps' }, 'default').create({ metadata: { name: 'slowly' } });
  assert.equal(hook.reviews.length, 1);
  const text = (await client.raw({ method: 'GET', path: '/metrics' })).body.toString('utf8');
  const labels = 'verb="POST",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver"';
  const total = value(text, `apiserver_request_duration_seconds_sum{verb="POST",dry_run="",group="",version="v1",resource="configmaps"`);
  const sli = value(text, `apiserver_request_sli_duration_seconds_sum{${labels}}`);
  assert.equal(value(text, `apiserver_request_sli_duration_seconds_count{${labels}}`), 1);
  assert.ok(total >= 0.3, `request duration ${total} includes the webhook's 300 ms`);
  assert.ok(sli < total - 0.25, `SLI ${sli} leaves the webhook's 300 ms out of ${total}`);
  assert.ok(!text.includes('apiserver_request_sli_duration_seconds_count{verb="WATCH"'), 'no watch in the SLI');
});
