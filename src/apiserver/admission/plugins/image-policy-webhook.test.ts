import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../../../base/clock.js';
import { generateSelfSigned } from '../../serving-cert.js';
import { testAttributes } from '../test-attributes.js';
import { newImagePolicyWebhook, readImagePolicyBackend } from './image-policy-webhook.js';

test('ImageReview to the kubeconfig-named backend: allow, deny with reason, cache, defaultAllow when down', async () => {
  const pair = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const reviews: Array<{ spec: { containers: Array<{ image: string }>; namespace: string; annotations?: Record<string, string> } }> = [];
  const backend = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const review = JSON.parse(body);
      reviews.push(review);
      const bad = review.spec.containers.find((c: { image: string }) => c.image.endsWith(':latest'));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'ImageReview', status: bad ? { allowed: false, reason: `image ${bad.image} uses the latest tag` } : { allowed: true } }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const port = (backend.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-imagepolicy-'));
  try {
    const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters:
- name: image-checker
  cluster:
    certificate-authority-data: ${Buffer.from(pair.ca).toString('base64')}
    server: ${server}
users:
- name: api-server
  user: {}
`;
    await writeFile(join(dir, 'up.kubeconfig'), kubeconfig(`https://127.0.0.1:${port}/image-policy`));
    await writeFile(join(dir, 'down.kubeconfig'), kubeconfig('https://127.0.0.1:1/image-policy'));
    const clock = new FakeClock();
    const plugin = newImagePolicyWebhook({ config: { kubeConfigFile: join(dir, 'up.kubeconfig'), allowTTL: 50, denyTTL: 50 }, backend: readImagePolicyBackend(join(dir, 'up.kubeconfig')), clock });
    const pod = (image: string, annotations?: Record<string, string>) =>
      testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'team', object: { metadata: { name: 'p', annotations }, spec: { initContainers: [{ name: 'i', image: 'busybox:1.36' }], containers: [{ name: 'c', image }] } } as never });

    await plugin.validate!(pod('nginx:1.27', { 'team.image-policy.k8s.io/ticket': '42', other: 'x' }));
    assert.deepEqual(reviews[0], {
      apiVersion: 'imagepolicy.k8s.io/v1alpha1',
      kind: 'ImageReview',
      spec: { containers: [{ image: 'busybox:1.36' }, { image: 'nginx:1.27' }], annotations: { 'team.image-policy.k8s.io/ticket': '42' }, namespace: 'team' },
    });
    await assert.rejects(plugin.validate!(pod('nginx:latest')), { code: 403, message: 'pods "p" is forbidden: image policy webhook backend denied one or more images: image nginx:latest uses the latest tag' });
    await assert.rejects(plugin.validate!(pod('nginx:latest')));
    assert.equal(reviews.length, 2, 'the deny was cached');
    clock.step(51_000);
    await assert.rejects(plugin.validate!(pod('nginx:latest')));
    assert.equal(reviews.length, 3, 'the cache expired');
    await plugin.validate!(pod('nginx:latest', { 'alpha.image-policy.k8s.io/break-glass': 'true' }));

    const down = (defaultAllow: boolean) => newImagePolicyWebhook({ config: { kubeConfigFile: '', defaultAllow }, backend: readImagePolicyBackend(join(dir, 'down.kubeconfig')) });
    await down(true).validate!(pod('nginx:1.27'));
    await assert.rejects(down(false).validate!(pod('nginx:1.27')), {
      code: 403,
      message: 'pods "p" is forbidden: Post "https://127.0.0.1:1/image-policy": dial tcp 127.0.0.1:1: connect: connection refused',
    });
  } finally {
    backend.closeAllConnections();
    await new Promise<void>((resolve) => backend.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
});
