// End to end: a CRD with a conversion webhook, with the real kubectl (1.27 and 1.33) against
// `bin/k8ts apiserver` and an HTTPS conversion webhook on 127.0.0.1 started by the test. v1 stores
// `spec.cronSpec`, v2 calls it `spec.schedule`: kubectl reads, watches and patches either version and sees its
// shape; a webhook that refuses makes kubectl print upstream's `conversion webhook for … failed: …`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectlRunner, spawnKubectl, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';
import { startTestConversionWebhook, type TestConversionWebhook } from '../../src/apiserver/crd/testing/conversion-webhook-server.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];
const group = 'conv.k8ts.dev';

function crd(hook: TestConversionWebhook): string {
  const schema = (field: string) => `
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              ${field}: {type: string}
              replicas: {type: integer}`;
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        url: ${hook.url}
        caBundle: ${hook.caBundle}
  versions:
  - name: v1
    served: true
    storage: true${schema('cronSpec')}
  - name: v2
    served: true
    storage: false${schema('schedule')}
`;
}

for (const version of versions) {
  describe(`kubectl ${version}: a CRD with a conversion webhook`, { concurrency: 1 }, () => {
    let server: APIServerProcess;
    let hook: TestConversionWebhook;
    const { run, ok } = kubectlRunner(version, () => server.kubeconfigPath);

    before(async () => {
      hook = await startTestConversionWebhook();
      server = await startAPIServer({ backend: 'memory' });
      await ok(['apply', '-f', '-'], crd(hook));
      await waitFor('the CRD served', async () => ((await run(['get', `crontabs.v2.${group}`, '-A'])).code === 0 ? true : undefined));
    });
    after(async () => {
      await server?.stop();
      await hook?.close();
    });

    test('each version shows its own shape; the preferred version (v2) is converted', async () => {
      await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name: 'nightly', namespace: 'default' }, spec: { cronSpec: '0 3 * * *', replicas: 1 } }));
      assert.equal(await ok(['get', `crontabs.v1.${group}`, 'nightly', '-o', 'jsonpath={.apiVersion} {.spec.cronSpec}']), `${group}/v1 0 3 * * *`);
      assert.equal(await ok(['get', `crontabs.v2.${group}`, 'nightly', '-o', 'jsonpath={.apiVersion} {.spec.schedule}']), `${group}/v2 0 3 * * *`);
      assert.equal(await ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.apiVersion} {.spec.schedule}']), `${group}/v2 0 3 * * *`, 'v2 is the preferred version');
      assert.ok(hook.requests.some((r) => r.desiredAPIVersion === `${group}/v2` && r.objects.some((o) => o.metadata?.name === 'nightly')));
    });

    test('a patch through v2 lands in v1 storage', async () => {
      await ok(['patch', `crontabs.v2.${group}`, 'nightly', '--type=merge', '-p', '{"spec":{"schedule":"30 4 * * *"}}']);
      assert.equal(await ok(['get', `crontabs.v1.${group}`, 'nightly', '-o', 'jsonpath={.spec.cronSpec}']), '30 4 * * *');
    });

    test('get -w through v2 prints converted objects', async () => {
      const w = await spawnKubectl({ version, kubeconfig: server.kubeconfigPath, args: ['get', `crontabs.v2.${group}`, '-w', '-o', 'jsonpath={.metadata.name}={.spec.schedule}{"\\n"}'] });
      try {
        await w.waitForLine((l) => l === 'nightly=30 4 * * *');
        await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name: 'hourly', namespace: 'default' }, spec: { cronSpec: '0 * * * *' } }));
        await w.waitForLine((l) => l === 'hourly=0 * * * *');
      } finally {
        await w.stop();
      }
    });

    test("a webhook that refuses: kubectl prints upstream's error, and v1 still works", async () => {
      hook.answerWith((review) => ({ apiVersion: review.apiVersion, kind: 'ConversionReview', response: { uid: review.request.uid, result: { status: 'Failure', message: 'cron specs are frozen' } } }));
      try {
        const r = await run(['get', `crontabs.v2.${group}`, 'nightly']);
        assert.notEqual(r.code, 0);
        assert.equal(r.stderr.trim(), `Error from server: conversion webhook for ${group}/v1, Kind=CronTab failed: cron specs are frozen`, describeKubectlResult(r));
        assert.equal(await ok(['get', `crontabs.v1.${group}`, 'nightly', '-o', 'jsonpath={.spec.cronSpec}']), '30 4 * * *');
      } finally {
        hook.answerWith(undefined);
      }
    });
  });
}
