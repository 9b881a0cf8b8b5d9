// End to end: API aggregation with `bin/k8ts apiserver` (RBAC, token users, --proxy-client-cert-file) and the
// real kubectl — an HTTPS extension apiserver on 127.0.0.1 registered by an APIService and an ExternalName
// Service: local APIServices listed, proxied discovery, resources and a watch with the front-proxy identity,
// `kubectl api-resources` and `kubectl top pod` through merged discovery, an upgraded (exec-style) connection,
// RBAC refusing before anything is proxied, and the Available condition going False (FailedDiscoveryCheck,
// ServiceNotFound) and back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import tls from 'node:tls';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { describeKubectlResult, kubectl, type KubectlVersion } from '../harness/kubectl.js';
import { apiServiceManifests, generateFrontProxyPKI, startExtensionAPIServer, type ExtensionAPIServer, type FrontProxyPKI } from '../harness/extension-apiserver.js';
import { waitFor } from '../harness/wait-for.js';

const group = 'custom.metrics.k8s.io';
const version = 'v1beta2';
const namespace = 'custom-metrics';
const service = 'custom-metrics-apiserver';
const apiServiceName = `${version}.${group}`;

/** Opens an HTTP/1.1 Upgrade request over TLS; resolves with the answer's head once it arrived. */
async function upgrade(server: APIServerProcess, path: string, token: string): Promise<{ socket: tls.TLSSocket; head: string; body: string; roundTrip(text: string): Promise<string> }> {
  const socket = tls.connect({ host: '127.0.0.1', port: server.securePort, ca: server.caPEM, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
  await once(socket, 'secureConnect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
  let received = Buffer.alloc(0);
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    received = Buffer.concat([received, d]);
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  /** Waits for `done` while data arrives (bounded: a closed socket or 200 wake-ups end the wait). */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done() && !closed; i++) await new Promise<void>((r) => (wake = r));
  };
  await until(() => received.includes('\r\n\r\n'));
  const end = received.indexOf('\r\n\r\n');
  const head = received.subarray(0, end + 4).toString('utf8');
  if (!/^HTTP\/1\.1 101/.test(head)) await until(() => false);
  const body = received.subarray(end + 4).toString('utf8');
  return {
    socket,
    head,
    body,
    async roundTrip(text: string) {
      const from = received.length;
      socket.write(text);
      await until(() => received.length - from >= Buffer.byteLength(text));
      return received.subarray(from).toString('utf8');
    },
  };
}

const widget = (name: string) => ({ apiVersion: `${group}/${version}`, kind: 'Widget', metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' } });

describe('API aggregation with real kubectl', () => {
  let server: APIServerProcess;
  let backend: ExtensionAPIServer;
  let pki: FrontProxyPKI;
  let dir: string;
  const configs: Record<string, string> = {};

  before(async () => {
    pki = await generateFrontProxyPKI();
    dir = await mkdtemp(join(tmpdir(), 'k8ts-aggregation-e2e-'));
    await writeFile(join(dir, 'tokens.csv'), ['admin-token,admin,1,"system:masters"', 'alice-token,alice,2'].join('\n') + '\n');
    server = await startAPIServer({
      backend: 'memory',
      extraArgs: [
        '--authorization-mode=Node,RBAC',
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        `--proxy-client-cert-file=${pki.clientCertFile}`,
        `--proxy-client-key-file=${pki.clientKeyFile}`,
      ],
    });
    for (const user of ['admin', 'alice']) {
      configs[user] = join(dir, `${user}.kubeconfig`);
      await writeKubeconfig({ path: configs[user], server: server.url, caPEM: server.caPEM, token: `${user}-token` });
    }
    backend = await startExtensionAPIServer({
      group,
      version,
      frontProxyCA: pki.caPEM,
      allowedNames: [pki.clientCN],
      dnsNames: [`${service}.${namespace}.svc`],
      resources: [
        { name: 'pods/http_requests', singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] },
        { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list', 'watch'] },
      ],
      handle(req) {
        if (req.path.endsWith('/pods/*/http_requests')) {
          return {
            status: 200,
            body: {
              kind: 'MetricValueList',
              apiVersion: `${group}/${version}`,
              metadata: {},
              items: [{ describedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', apiVersion: '/v1' }, metric: { name: 'http_requests' }, timestamp: '2026-01-01T00:00:00Z', value: '42' }],
            },
          };
        }
        if (!req.path.endsWith('/namespaces/default/widgets')) return undefined;
        if (req.query.get('watch') === 'true' || req.query.get('watch') === '1') {
          return {
            status: 200,
            frames: (async function* () {
              yield { type: 'ADDED', object: widget('w-1') };
              yield { type: 'MODIFIED', object: widget('w-1') };
            })(),
          };
        }
        return { status: 200, body: { kind: 'WidgetList', apiVersion: `${group}/${version}`, metadata: { resourceVersion: '7' }, items: [widget('w-1'), widget('w-2')] } };
      },
    });
  });
  after(async () => {
    await server?.stop();
    await backend?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (pki) await rm(pki.dir, { recursive: true, force: true });
  });

  const run = (user: string, args: string[], stdin?: string, v: KubectlVersion = '1.33') => kubectl({ version: v, kubeconfig: configs[user]!, args, stdin });
  const ok = async (user: string, args: string[], stdin?: string, v: KubectlVersion = '1.33'): Promise<string> => {
    const r = await run(user, args, stdin, v);
    assert.equal(r.code, 0, describeKubectlResult(r));
    return r.stdout;
  };
  const condition = async (name: string): Promise<{ status?: string; reason?: string; message?: string }> =>
    JSON.parse((await ok('admin', ['get', 'apiservice', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Available")]}'])) || '{}');
  const waitForCondition = (name: string, status: string, reason: string) =>
    waitFor(`${name} Available=${status} (${reason})`, async () => {
      const c = await condition(name);
      return c.status === status && c.reason === reason ? c : undefined;
    });

  test('local APIServices: one per served group-version, Local and Available', async () => {
    const out = await ok('admin', ['get', 'apiservices']);
    assert.match(out, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE\n/, out);
    assert.match(out, /\nv1\.\s+Local\s+True\s+\d+s\n/, out);
    assert.match(out, /\nv1\.apps\s+Local\s+True\s+\d+s\n/, out);
    assert.match(out, /\nv2\.autoscaling\s+Local\s+True\s+\d+s\n/, out);
    const spec = JSON.parse(await ok('admin', ['get', 'apiservice', 'v1.apps', '-o', 'jsonpath={.spec}']));
    assert.deepEqual(spec, { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 });
  });

  test('registering the extension apiserver: Available after the discovery check passes', async () => {
    await ok('admin', ['create', 'namespace', namespace]);
    await ok('admin', ['apply', '-f', '-'], apiServiceManifests({ group, version, namespace, service, port: backend.port, caBundle: backend.caBundle }));
    const c = await waitForCondition(apiServiceName, 'True', 'Passed');
    assert.equal(c.message, 'all checks passed');
    const probe = backend.requests.find((r) => r.path === `/apis/${group}/${version}`);
    assert.ok(probe, 'the discovery check reached the backend');
    assert.equal(probe.clientCN, 'front-proxy-client');
    assert.equal(probe.user, 'system:kube-aggregator');
    assert.deepEqual(probe.groups, ['system:masters']);
    const out = await ok('admin', ['get', 'apiservices']);
    assert.match(out, new RegExp(`\\n${apiServiceName.replace(/\./g, '\\.')}\\s+${namespace}/${service}\\s+True\\s+\\d+s\\n`), out);
  });

  test('kubectl get --raw: proxied with the front-proxy identity, never the bearer token', async () => {
    const before = backend.requests.length;
    const list = JSON.parse(await ok('admin', ['get', '--raw', `/apis/${group}/${version}`]));
    assert.equal(list.kind, 'APIResourceList');
    assert.equal(list.groupVersion, `${group}/${version}`);
    const metrics = JSON.parse(await ok('admin', ['get', '--raw', `/apis/${group}/${version}/namespaces/default/pods/*/http_requests`]));
    assert.equal(metrics.items[0].value, '42');
    const seen = backend.requests.slice(before).filter((r) => r.user === 'admin');
    assert.equal(seen.length, 2, JSON.stringify(backend.requests.slice(before)));
    for (const r of seen) {
      assert.equal(r.clientCN, 'front-proxy-client');
      assert.deepEqual(r.groups, ['system:masters', 'system:authenticated']);
      assert.equal(r.authorization, undefined);
    }
    assert.equal(seen[1]!.path, `/apis/${group}/${version}/namespaces/default/pods/*/http_requests`);
  });

  test('a watch streams through the aggregator', async () => {
    const out = await ok('admin', ['get', '--raw', `/apis/${group}/${version}/namespaces/default/widgets?watch=true`]);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w-1', 'MODIFIED w-1'],
    );
    const got = await ok('admin', ['get', 'widgets', '-n', 'default']);
    assert.match(got, /w-1/, got);
    assert.match(got, /w-2/, got);
  });

  for (const v of ['1.27', '1.33'] as const) {
    test(`kubectl ${v} api-resources and /apis include the aggregated group`, async () => {
      const out = await ok('admin', ['api-resources', `--api-group=${group}`], undefined, v);
      assert.match(out, new RegExp(`\\nwidgets\\s+${group.replace(/\./g, '\\.')}/${version}\\s+true\\s+Widget\\n`), out);
      const apis = JSON.parse(await ok('admin', ['get', '--raw', '/apis'], undefined, v));
      const entry = apis.groups.find((g: { name: string }) => g.name === group);
      assert.deepEqual(entry, { name: group, versions: [{ groupVersion: `${group}/${version}`, version }], preferredVersion: { groupVersion: `${group}/${version}`, version } });
      const names = apis.groups.map((g: { name: string }) => g.name);
      assert.equal(names[0], 'apiregistration.k8s.io');
      assert.ok(names.indexOf(group) > names.indexOf('flowcontrol.apiserver.k8s.io'), names.join(' '));
      const groupDoc = JSON.parse(await ok('admin', ['get', '--raw', `/apis/${group}`], undefined, v));
      assert.equal(groupDoc.kind, 'APIGroup');
      assert.equal(groupDoc.preferredVersion.version, version);
    });
  }

  test('an upgraded connection (exec-style) is spliced through with the front-proxy identity; RBAC refuses first', async () => {
    const path = `/apis/${group}/${version}/namespaces/default/widgets/w-1/exec?command=sh`;
    const before = backend.requests.length;
    const admin = await upgrade(server, path, 'admin-token');
    try {
      assert.match(admin.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/, admin.head);
      assert.equal(await admin.roundTrip('ping over SPDY'), 'ping over SPDY');
    } finally {
      admin.socket.destroy();
    }
    const seen = backend.requests.slice(before);
    assert.deepEqual(
      seen.map((r) => [r.path, r.user, r.clientCN, r.authorization ?? '']),
      [[`/apis/${group}/${version}/namespaces/default/widgets/w-1/exec`, 'admin', 'front-proxy-client', '']],
    );
    const alice = await upgrade(server, path, 'alice-token');
    alice.socket.destroy();
    assert.match(alice.head, /^HTTP\/1\.1 403 Forbidden\r\n/, alice.head);
    assert.match(JSON.parse(alice.body).message, /User "alice" cannot get resource "widgets\/exec" in API group "custom\.metrics\.k8s\.io" in the namespace "default"/, alice.body);
    assert.equal(backend.requests.length, before + 1);
  });

  test('RBAC refuses before anything is proxied', async () => {
    const before = backend.requests.length;
    const r = await run('alice', ['get', 'widgets', '-n', 'default']);
    assert.notEqual(r.code, 0, describeKubectlResult(r));
    assert.match(r.stderr, /widgets\.custom\.metrics\.k8s\.io is forbidden: User "alice" cannot list resource "widgets" in API group "custom\.metrics\.k8s\.io" in the namespace "default"/, describeKubectlResult(r));
    const raw = await run('alice', ['get', '--raw', `/apis/${group}/${version}/namespaces/default/pods/*/http_requests`]);
    assert.notEqual(raw.code, 0, describeKubectlResult(raw));
    assert.match(raw.stderr, /Forbidden/, describeKubectlResult(raw));
    assert.equal(backend.requests.slice(before).filter((q) => q.user === 'alice').length, 0);
  });

  test('backend down → Available=False (FailedDiscoveryCheck), 503; back up → Available again', async () => {
    await backend.stop();
    // A change to the Service makes the aggregator check again at once (as any Service or APIService event does).
    await ok('admin', ['-n', namespace, 'annotate', 'service', service, 'e2e/probe=1']);
    const down = await waitForCondition(apiServiceName, 'False', 'FailedDiscoveryCheck');
    assert.match(down.message ?? '', new RegExp(`^failing or missing response from https://127\\.0\\.0\\.1:${backend.port}/apis/${group.replace(/\./g, '\\.')}/${version}: .*connection refused`), down.message ?? '');
    const listed = await ok('admin', ['get', 'apiservices', apiServiceName]);
    assert.match(listed, /False \(FailedDiscoveryCheck\)/, listed);
    const r = await run('admin', ['get', '--raw', `/apis/${group}/${version}/namespaces/default/widgets`]);
    assert.notEqual(r.code, 0, describeKubectlResult(r));
    assert.match(r.stderr, /ServiceUnavailable|the server is currently unable to handle the request/, describeKubectlResult(r));
    // Aggregated discovery keeps the group-version, marked Stale: kubectl says so and still lists the rest.
    // Aggregated discovery keeps the group-version, marked Stale: kubectl leaves it out and lists the rest.
    for (const v of ['1.27', '1.33'] as const) {
      const resources = await ok('admin', ['api-resources'], undefined, v);
      assert.match(resources, /\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/, resources);
      assert.doesNotMatch(resources, /widgets/, resources);
    }
    await backend.start();
    await waitForCondition(apiServiceName, 'True', 'Passed');
    await ok('admin', ['get', '--raw', `/apis/${group}/${version}/namespaces/default/widgets`]);
  });

  test('kubectl top pod reads PodMetrics from a metrics.k8s.io extension apiserver', async () => {
    const metrics = await startExtensionAPIServer({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      frontProxyCA: pki.caPEM,
      dnsNames: ['metrics-server.kube-system.svc'],
      resources: [
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      ],
      handle: (req) =>
        req.path === '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods'
          ? {
              status: 200,
              body: {
                kind: 'PodMetricsList',
                apiVersion: 'metrics.k8s.io/v1beta1',
                metadata: {},
                items: [
                  {
                    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
                    timestamp: '2026-01-01T00:00:00Z',
                    window: '15s',
                    containers: [{ name: 'app', usage: { cpu: '12m', memory: '30Mi' } }],
                  },
                ],
              },
            }
          : undefined,
    });
    try {
      await ok('admin', ['apply', '-f', '-'], apiServiceManifests({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: 'kube-system', service: 'metrics-server', port: metrics.port, caBundle: metrics.caBundle }));
      await waitForCondition('v1beta1.metrics.k8s.io', 'True', 'Passed');
      for (const v of ['1.27', '1.33'] as const) {
        const out = await ok('admin', ['top', 'pod', '-n', 'default'], undefined, v);
        assert.match(out, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nweb-1\s+12m\s+30Mi\s*\n$/, out);
      }
    } finally {
      await ok('admin', ['delete', 'apiservice', 'v1beta1.metrics.k8s.io', '--ignore-not-found']);
      await metrics.stop();
    }
  });

  test('APIService validation: the name must be version.group', async () => {
    const r = await run(
      'admin',
      ['create', '-f', '-'],
      `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: metrics
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
`,
    );
    assert.notEqual(r.code, 0, describeKubectlResult(r));
    assert.match(r.stderr, /The APIService "metrics" is invalid: metadata\.name: Invalid value: "metrics": must be `spec\.version\+"\."\+spec\.group`: "v1beta1\.metrics\.k8s\.io"/, describeKubectlResult(r));
  });

  test('an APIService whose Service does not exist: ServiceNotFound', async () => {
    await ok(
      'admin',
      ['apply', '-f', '-'],
      `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.external.metrics.k8s.io
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service:
    namespace: ${namespace}
    name: missing
    port: 443
`,
    );
    const c = await waitForCondition('v1beta1.external.metrics.k8s.io', 'False', 'ServiceNotFound');
    assert.equal(c.message, `service/missing in "${namespace}" is not present`);
    await ok('admin', ['delete', 'apiservice', 'v1beta1.external.metrics.k8s.io']);
  });
});
