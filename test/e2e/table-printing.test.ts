// End to end for server-side printing: the real kubectl (1.27 and 1.33) reads Tables rendered by
// src/apiserver/printers from a small in-process server that serves discovery and fixed objects, so the
// printers are checked against kubectl's own column handling (-o wide, -A, -L, --show-labels, --sort-by,
// get -w) independently of the REST core.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { printerFor } from '../../src/apiserver/printers/printers.js';
import { renderListTable, renderObjectTable } from '../../src/apiserver/printers/render-table.js';
import { tableContentType, tableRequestFor } from '../../src/apiserver/printers/table-request.js';
import { TableWatchEncoder } from '../../src/apiserver/printers/watch-table.js';
import type { APIObject } from '../../src/apiserver/registry/strategy.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];
const now = Date.now();
const ago = (s: number): string => new Date(now - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const pods: APIObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', resourceVersion: '11', labels: { app: 'web' }, creationTimestamp: ago(300) },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.0.0.5' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 2, image: 'nginx', imageID: '', state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(125) } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db-0', namespace: 'data', resourceVersion: '12', labels: { app: 'db' }, creationTimestamp: ago(7200) },
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'pg', image: 'postgres' }] },
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'PodInitializing' } } }] },
  },
];

const services: APIObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '13', creationTimestamp: ago(60) },
    spec: { type: 'NodePort', clusterIPs: ['10.96.0.20'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }, { port: 443, protocol: 'TCP', nodePort: 30443 }], selector: { app: 'web' } },
  },
];

const deployments: APIObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '14', creationTimestamp: ago(600) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  },
];

interface Served {
  shortNames: string[];
  group: string;
  version: string;
  kind: string;
  plural: string;
  objects: APIObject[];
}
const served: Served[] = [
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], objects: pods },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], objects: services },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], objects: deployments },
];

function send(res: ServerResponse, body: unknown, contentType = 'application/json'): void {
  res.writeHead(200, { 'Content-Type': contentType });
  res.end(JSON.stringify(body));
}

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis')
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
    };
  const m = path === '/api/v1' ? ['', '', 'v1'] : /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const [, group, version] = m;
  const list = served.filter((s) => s.group === group && s.version === version);
  if (list.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: list.map((s) => ({ name: s.plural, singularName: s.kind.toLowerCase(), namespaced: true, kind: s.kind, shortNames: s.shortNames, verbs: ['get', 'list', 'watch'] })),
  };
}

/** Serves discovery, lists (all namespaces or one), single GETs and a short watch, as Tables when asked. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const d = discovery(url.pathname);
  if (d) return send(res, d);
  const m = /^\/(?:api|apis\/([^/]+))\/(v1)\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
  const s = m && served.find((x) => x.group === (m[1] ?? '') && x.version === m[2] && x.plural === m[4]);
  if (!m || !s) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
    return;
  }
  const [, , , namespace, , name] = m;
  let items = s.objects.filter((o) => !namespace || o.metadata?.namespace === namespace);
  if (name) items = items.filter((o) => o.metadata?.name === name);
  const table = tableRequestFor(req.headers.accept, url.searchParams);
  const printer = printerFor(s);
  if (url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const enc = table && new TableWatchEncoder({ printer, includeObject: table.includeObject, now: () => now });
    for (const o of items) res.write(JSON.stringify(enc ? enc.encode({ type: 'MODIFIED', object: o }) : { type: 'MODIFIED', object: o }) + '\n');
    res.end();
    return;
  }
  if (name) {
    if (items.length === 0) return void res.writeHead(404).end();
    if (!table) return send(res, items[0]);
    return send(res, renderObjectTable({ object: items[0], printer, includeObject: table.includeObject, now }), tableContentType(table));
  }
  if (!table) return send(res, { kind: `${s.kind}List`, apiVersion: s.group ? `${s.group}/v1` : 'v1', metadata: { resourceVersion: '20' }, items });
  send(res, renderListTable({ items, printer, includeObject: table.includeObject, now, listMeta: { resourceVersion: '20' } }), tableContentType(table));
}

/** kubectl's whitespace-aligned output as rows of cells (columns are separated by 2+ spaces). */
function rows(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('kubectl prints k8ts Tables', () => {
  let server: Server;
  let dir: string;
  let kubeconfig: string;
  const requests: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-table-'));
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.accept ?? ''}`);
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    kubeconfig = join(dir, 'kubeconfig');
    await writeKubeconfig({ path: kubeconfig, server: `http://127.0.0.1:${port}` });
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  for (const version of versions) {
    const run = async (...args: string[]): Promise<string> => {
      const r: KubectlResult = await kubectl({ version, kubeconfig, args, timeoutMs: 30_000 });
      assert.equal(r.code, 0, `${r.command} → ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };

    test(`kubectl ${version}: get pods, -o wide, -A, labels`, async () => {
      assert.deepEqual(rows(await run('get', 'pods')), [
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        ['web-1', '1/1', 'Running', '2 (2m5s ago)', '5m'],
      ]);
      assert.deepEqual(rows(await run('get', 'pods', '-o', 'wide')), [
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
        ['web-1', '1/1', 'Running', '2 (2m5s ago)', '5m', '10.0.0.5', 'node-a', '<none>', '<none>'],
      ]);
      // NAMESPACE and label columns come from rows[].object (PartialObjectMetadata).
      assert.deepEqual(rows(await run('get', 'pods', '-A', '-L', 'app')), [
        ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP'],
        ['default', 'web-1', '1/1', 'Running', '2 (2m5s ago)', '5m', 'web'],
        ['data', 'db-0', '0/1', 'Init:0/1', '0', '120m', 'db'],
      ]);
      assert.deepEqual(rows(await run('get', 'pods', '-n', 'data', '--show-labels')), [
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS'],
        ['db-0', '0/1', 'Init:0/1', '0', '120m', 'app=db'],
      ]);
    });

    test(`kubectl ${version}: services, deployments, single objects, --sort-by`, async () => {
      assert.deepEqual(rows(await run('get', 'svc', '-o', 'wide')), [
        ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
        ['web', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP,443:30443/TCP', '60s', 'app=web'],
      ]);
      assert.deepEqual(rows(await run('get', 'deploy', 'web')), [
        ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
        ['web', '2/3', '3', '2', '10m'],
      ]);
      // --sort-by needs the full objects: kubectl asks for includeObject=Object.
      requests.length = 0;
      assert.deepEqual(rows(await run('get', 'pods', '-A', '--sort-by=.metadata.name', '--no-headers')).map((r) => r[1]), ['db-0', 'web-1']);
      assert.ok(requests.some((r) => r.includes('includeObject=Object')), requests.join('\n'));
    });

    test(`kubectl ${version}: get -w reads Table watch events`, async () => {
      const out = rows(await run('get', 'pods', '-A', '-w', '--request-timeout=10s'));
      assert.deepEqual(out[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      assert.deepEqual(out.slice(1).map((r) => r.slice(0, 4)), [
        ['default', 'web-1', '1/1', 'Running'],
        ['data', 'db-0', '0/1', 'Init:0/1'],
        ['default', 'web-1', '1/1', 'Running'],
        ['data', 'db-0', '0/1', 'Init:0/1'],
      ]);
    });
  }
});
