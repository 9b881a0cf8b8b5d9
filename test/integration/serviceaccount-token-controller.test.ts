// The service account tokens controller against an in-process apiserver started with the matching
// --service-account-key-file: a user-created token secret is filled (token, ca.crt, namespace), the token
// authenticates (TokenReview) as the service account, and the secret goes when its account is deleted.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { freePort } from '../harness/free-port.js';
import type { InProcessCluster } from '../harness/in-process-apiserver.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const serviceaccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };
const secrets = { group: '', version: 'v1', resource: 'secrets' };
const tokenreviews = { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews' };
const caPEM = '-----BEGIN CERTIFICATE-----\nMIIBdGVzdC1jYQ==\n-----END CERTIFICATE-----\n';

/** An apiserver that verifies legacy tokens with the public half of the key the manager signs with. */
async function startWithKeys(t: TestContext): Promise<{ cluster: InProcessCluster; keyFile: string; caFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-satoken-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(dir, 'sa.key');
  const pubFile = join(dir, 'sa.pub');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(keyFile, privateKey.export({ type: 'sec1', format: 'pem' }));
  writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(caFile, caPEM);
  const ac = new AbortController();
  const server = await runAPIServer(
    {
      ...defaultAPIServerOptions(dir),
      securePort: 0,
      bindAddress: '127.0.0.1',
      advertiseAddress: '127.0.0.1',
      insecurePort: await freePort(),
      serviceAccountKeyFiles: [pubFile],
      serviceAccountIssuers: ['https://kubernetes.default.svc.cluster.local'],
      serviceAccountSigningKeyFile: keyFile,
    },
    ac.signal,
    { openStore: async () => openMemoryStore(), servingCert: await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] }) },
  );
  const clients: Interface[] = [];
  const make = (): Interface => {
    const c = newClient({ host: `http://127.0.0.1:${server.insecurePort}`, qps: -1 });
    clients.push(c);
    return c;
  };
  t.after(async () => {
    for (const c of clients) c.close();
    ac.abort();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { cluster: { server, client: make(), newClient: make }, keyFile, caFile };
}

const decode = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

test('a legacy token secret is filled, authenticates, and is deleted with its service account', async (t) => {
  const { cluster, keyFile, caFile } = await startWithKeys(t);
  const { client } = await startControllers(t, {
    cluster,
    controllers: ['serviceaccount-token'],
    configure: (o) => {
      o.serviceAccountPrivateKeyFile = keyFile;
      o.rootCAFile = caFile;
    },
  });
  const sa = await client.resource(serviceaccounts, 'default').create({ metadata: { name: 'builder' } });
  await client.resource(secrets, 'default').create({
    metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
    type: 'kubernetes.io/service-account-token',
  });
  let filled: KubeObject & { data?: Record<string, string> } = {};
  await eventually(async () => {
    filled = await client.resource(secrets, 'default').get('builder-token');
    return filled.data?.token !== undefined;
  });
  assert.equal(decode(filled.data?.['ca.crt']), caPEM);
  assert.equal(decode(filled.data?.namespace), 'default');
  assert.equal(filled.metadata?.annotations?.['kubernetes.io/service-account.uid'], sa.metadata?.uid);

  const review = await client.resource(tokenreviews).create({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: decode(filled.data?.token) } });
  const status = review.status as { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[] }; error?: string };
  assert.equal(status.authenticated, true, status.error ?? 'not authenticated');
  assert.equal(status.user?.username, 'system:serviceaccount:default:builder');
  assert.equal(status.user?.uid, sa.metadata?.uid);
  assert.ok(status.user?.groups?.includes('system:serviceaccounts:default'));

  // A token secret naming an account that does not exist is removed at once.
  await client.resource(secrets, 'default').create({
    metadata: { name: 'ghost-token', annotations: { 'kubernetes.io/service-account.name': 'ghost' } },
    type: 'kubernetes.io/service-account-token',
  });
  const gone = async (name: string) => {
    try {
      await client.resource(secrets, 'default').get(name);
      return false;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  };
  await eventually(() => gone('ghost-token'));

  await client.resource(serviceaccounts, 'default').delete('builder');
  await eventually(() => gone('builder-token'));
});
