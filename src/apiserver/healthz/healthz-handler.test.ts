// Tests for /healthz, /livez and /readyz: upstream's output format, post-start hooks, exclude, single checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthzHandler, type HealthzOptions } from './healthz-handler.js';

function req(pathAndQuery: string) {
  const [path, query] = pathAndQuery.split('?');
  return { method: 'GET', path: path!, query: new URLSearchParams(query ?? ''), headers: {} };
}

function handler(opts: Partial<HealthzOptions> & { storageUp?: () => boolean } = {}) {
  const up = opts.storageUp ?? (() => true);
  return new HealthzHandler({
    storage: async () => {
      if (!up()) throw new Error('connection refused');
    },
    postStartHooks: ['start-apiserver-admission-initializer', 'bootstrap-controller'],
    ...opts,
  });
}

async function get(h: HealthzHandler, path: string) {
  const res = await h.handle(req(path));
  assert.ok(res, `no reply for ${path}`);
  return { status: res.status, body: String(res.body), headers: res.headers };
}

test('not ready until every post-start hook is done; verbose output as upstream', async () => {
  const h = handler();
  const before = await get(h, '/readyz');
  assert.equal(before.status, 500);
  assert.equal(
    before.body,
    [
      '[+]ping ok',
      '[+]log ok',
      '[+]etcd ok',
      '[-]poststarthook/start-apiserver-admission-initializer failed: reason withheld',
      '[-]poststarthook/bootstrap-controller failed: reason withheld',
      '[+]shutdown ok',
      'readyz check failed',
      '',
    ].join('\n'),
  );
  assert.equal(before.headers['Content-Type'], 'text/plain; charset=utf-8');

  h.postStartHookDone('start-apiserver-admission-initializer');
  assert.equal((await get(h, '/livez')).status, 500);
  h.postStartHookDone('bootstrap-controller');

  for (const endpoint of ['healthz', 'livez', 'readyz']) {
    const plain = await get(h, `/${endpoint}`);
    assert.deepEqual([plain.status, plain.body], [200, 'ok'], endpoint);
    const verbose = await get(h, `/${endpoint}?verbose`);
    assert.equal(verbose.status, 200);
    assert.ok(verbose.body.startsWith('[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]poststarthook/start-apiserver-admission-initializer ok\n'));
    assert.ok(verbose.body.endsWith(`${endpoint} check passed\n`), verbose.body);
    assert.equal(verbose.body.includes('shutdown'), endpoint === 'readyz');
  }
});

test('storage down fails every endpoint; exclude skips it', async () => {
  let up = false;
  const h = handler({ storageUp: () => up, postStartHooks: [] });
  for (const endpoint of ['healthz', 'livez', 'readyz']) {
    const r = await get(h, `/${endpoint}`);
    assert.equal(r.status, 500);
    assert.match(r.body, /\[-\]etcd failed: reason withheld\n/);
  }
  const excluded = await get(h, '/readyz?verbose&exclude=etcd&exclude=nonesuch');
  assert.equal(excluded.status, 200);
  assert.equal(
    excluded.body,
    '[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]shutdown ok\nwarn: some health checks cannot be excluded: no matches for "nonesuch"\nreadyz check passed\n',
  );
  up = true;
  assert.equal((await get(h, '/healthz')).status, 200);
});

test('a storage check that hangs times out', async () => {
  const h = new HealthzHandler({ storage: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), storageTimeoutMs: 50 });
  const start = Date.now();
  const r = await get(h, '/livez/etcd');
  assert.equal(r.status, 500);
  assert.match(r.body, /^internal server error: /);
  assert.ok(Date.now() - start < 2000);
});

test('single checks, shutdown, and paths that are not ours', async () => {
  const h = handler({ postStartHooks: ['bootstrap-controller'] });
  assert.deepEqual([(await get(h, '/healthz/ping')).status, (await get(h, '/healthz/ping')).body], [200, 'ok']);
  const hook = await get(h, '/readyz/poststarthook/bootstrap-controller');
  assert.deepEqual([hook.status, hook.body], [500, 'internal server error: not finished\n']);
  h.postStartHookDone('bootstrap-controller');
  assert.equal((await get(h, '/readyz/poststarthook/bootstrap-controller')).status, 200);

  h.shutdown();
  assert.equal((await get(h, '/readyz')).status, 500);
  assert.equal((await get(h, '/readyz/shutdown')).status, 500);
  assert.equal((await get(h, '/livez')).status, 200);
  assert.equal(await h.handle(req('/livez/shutdown')), undefined);

  for (const path of ['/healthzz', '/api', '/healthz/nonesuch', '/metrics']) assert.equal(await h.handle(req(path)), undefined, path);
});

test('extra checks run on their endpoint only', async () => {
  let synced = false;
  const h = handler({
    postStartHooks: [],
    extraChecks: { readyz: [{ name: 'informer-sync', check: () => { if (!synced) throw new Error('not synced'); } }] },
  });
  assert.equal((await get(h, '/readyz')).status, 500);
  assert.equal((await get(h, '/healthz')).status, 200);
  synced = true;
  assert.equal((await get(h, '/readyz')).status, 200);
});
