// --use-service-account-credentials: accounts created on demand, TokenRequest tokens in private files,
// renewed at 80% of their lifetime, one client per controller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import { ServiceAccountClients } from './service-account-clients.js';
import { FakeClient } from './testing/fake-client.js';

test('creates the account, writes its token, renews it, and reuses the client', async () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8));
  const root = new FakeClient(() => clock.now());
  let issued = 0;
  const requests: unknown[] = [];
  root.onCreateSubresource = (gvr, ns, name, sub, body) => {
    assert.deepEqual([gvr.resource, ns, sub], ['serviceaccounts', 'kube-system', 'token']);
    requests.push(body);
    issued++;
    return { status: { token: `token-${name}-${issued}`, expirationTimestamp: new Date(clock.now() + 3600_000).toISOString() } };
  };
  root.seed({ group: '', version: 'v1', resource: 'serviceaccounts' }, { metadata: { name: 'replicaset-controller', namespace: 'kube-system' } });
  const stop = new AbortController();
  const builder = new ServiceAccountClients({
    rootClient: root,
    config: { host: 'https://127.0.0.1:6443', caData: 'CA', bearerToken: 'manager-token', qps: 20, burst: 30 },
    namespace: 'kube-system',
    clock,
    logger: newLogger({ write: () => {} }),
    signal: stop.signal,
  });
  const client = await builder.clientFor('deployment-controller');
  assert.match(client.userAgent, /^kube-controller-manager\/v[^ ]+ \(.+\) kubernetes\/k8ts\/deployment-controller$/);
  assert.equal(await builder.clientFor('deployment-controller'), client, 'one client per controller');
  await builder.clientFor('replicaset-controller');
  const creates = root.writes().filter((a) => a.verb === 'create' && !a.subresource).map((a) => a.name);
  assert.deepEqual(creates, ['deployment-controller'], 'only the missing account is created');
  assert.deepEqual(requests[0], { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });

  // The token file the client reads: find it through the builder's directory.
  const dir = await (builder as unknown as { dir: Promise<string> }).dir;
  const file = `${dir}/deployment-controller`;
  assert.equal(await readFile(file, 'utf8'), 'token-deployment-controller-1');
  assert.equal((await stat(file)).mode & 0o777, 0o600);

  // At 80% of the hour the token is renewed in place.
  for (let i = 0; i < 50 && clock.pendingTimers() < 2; i++) await new Promise((r) => setImmediate(r));
  clock.step(0.8 * 3600_000);
  let renewed = '';
  for (let i = 0; i < 200; i++) {
    renewed = await readFile(file, 'utf8');
    if (renewed !== 'token-deployment-controller-1') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.match(renewed, /^token-deployment-controller-[34]$/);

  stop.abort();
  await builder.close();
  await assert.rejects(stat(dir), /ENOENT/);
});
