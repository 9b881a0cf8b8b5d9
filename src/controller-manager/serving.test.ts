// /healthz, /livez, /readyz (with subpaths and ?verbose) and /metrics on a loopback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { PrometheusControllerMetrics } from './metrics.js';
import { startServing } from './serving.js';

function fetchText(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('health endpoints report checks as upstream healthz does; /metrics serves the registry', async () => {
  let healthy = true;
  const metrics = new PrometheusControllerMetrics({ processMetrics: false });
  metrics.observeSync('deployment', 'success', 0.01);
  metrics.setLeader('kube-controller-manager', true);
  const serving = await startServing({
    bindAddress: '127.0.0.1',
    port: 0,
    metrics,
    checks: [
      { name: 'ping', check: () => true },
      { name: 'leaderElection', check: () => healthy },
    ],
  });
  try {
    const cases: Array<[string, number, string | RegExp]> = [
      ['/healthz', 200, 'ok'],
      ['/livez', 200, 'ok'],
      ['/readyz?verbose', 200, '[+]ping ok\n[+]leaderElection ok\nreadyz check passed\n'],
      ['/healthz/ping', 200, 'ok'],
      ['/healthz/nosuch', 404, '404 page not found\n'],
      ['/nosuch', 404, '404 page not found\n'],
      ['/metrics', 200, /controller_sync_total\{controller="deployment",result="success"\} 1\n[\s\S]*leader_election_master_status\{name="kube-controller-manager"\} 1/],
    ];
    for (const [path, status, body] of cases) {
      const r = await fetchText(serving.port, path);
      assert.equal(r.status, status, path);
      if (typeof body === 'string') assert.equal(r.body, body, path);
      else assert.match(r.body, body, path);
    }
    healthy = false;
    assert.deepEqual(await fetchText(serving.port, '/healthz'), {
      status: 500,
      body: '[+]ping ok\n[-]leaderElection failed: reason withheld\nhealthz check failed\n',
    });
  } finally {
    await serving.close();
  }
});

test('the secure port serves HTTPS with a self-signed certificate for localhost and 127.0.0.1', async () => {
  const { controllerManagerServingCert } = await import('./serving-cert.js');
  const { FakeClock } = await import('../base/clock.js');
  const { request } = await import('node:https');
  const { X509Certificate } = await import('node:crypto');
  const tls = await controllerManagerServingCert({ tlsCertFile: '', tlsPrivateKeyFile: '', clock: new FakeClock(Date.UTC(2026, 10, 22)) });
  const [leaf, ca] = tls.cert.split(/(?<=-----END CERTIFICATE-----\n)/);
  const leafCert = new X509Certificate(leaf!);
  assert.match(leafCert.subject, /CN=localhost@\d+/);
  assert.match(leafCert.subjectAltName ?? '', /DNS:localhost/);
  assert.match(leafCert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  const serving = await startServing({ bindAddress: '127.0.0.1', port: 0, tls, metrics: new PrometheusControllerMetrics({ processMetrics: false }), checks: [] });
  try {
    // Verified against the generated CA, by IP and by name.
    for (const servername of ['localhost', undefined]) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: serving.port, path: '/healthz', ca, servername, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200, `servername ${servername}`);
    }
  } finally {
    await serving.close();
  }
});
