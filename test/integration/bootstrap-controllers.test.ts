// The bootstrap signer and token cleaner against an in-process apiserver (both named explicitly: they are
// off by default): cluster-info gets a verifiable jws-kubeconfig-<id> per signing token, and expired token
// secrets are deleted.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const secrets = { group: '', version: 'v1', resource: 'secrets' };

test('cluster-info is signed per bootstrap token; expired tokens are cleaned up', async (t) => {
  const { client } = await startControllers(t, { controllers: ['bootstrapsigner', 'tokencleaner'] });
  const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters:\n- name: ""\n  cluster:\n    server: https://127.0.0.1:6443\n';
  await client.resource(configmaps, 'kube-public').create({ metadata: { name: 'cluster-info' }, data: { kubeconfig } } as KubeObject);
  const token = (id: string, extra: Record<string, string>) =>
    client.resource(secrets, 'kube-system').create({
      metadata: { name: `bootstrap-token-${id}` },
      type: 'bootstrap.kubernetes.io/token',
      stringData: { 'token-id': id, 'token-secret': '0123456789abcdef', 'usage-bootstrap-signing': 'true', ...extra },
    } as KubeObject);
  await token('abcdef', {});
  await token('old000', { expiration: '2020-01-01T00:00:00Z' });

  const data = async () => ((await client.resource(configmaps, 'kube-public').get('cluster-info')) as { data?: Record<string, string> }).data ?? {};
  await eventually(async () => (await data())['jws-kubeconfig-abcdef'] !== undefined);
  // A joining node's check (kubeadm): recompute the HS256 JWS over header.payload with the token secret.
  const [header, payload, signature] = (await data())['jws-kubeconfig-abcdef']!.split('.');
  assert.equal(payload, '');
  assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', kid: 'abcdef' });
  const signingInput = `${header}.${Buffer.from(kubeconfig).toString('base64url')}`;
  assert.equal(signature, createHmac('sha256', '0123456789abcdef').update(signingInput).digest('base64url'));

  await eventually(async () => {
    try {
      await client.resource(secrets, 'kube-system').get('bootstrap-token-old000');
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  });
  assert.equal((await data())['jws-kubeconfig-old000'], undefined, 'an expired token never signs');

  await client.resource(secrets, 'kube-system').delete('bootstrap-token-abcdef');
  await eventually(async () => (await data())['jws-kubeconfig-abcdef'] === undefined);
});
