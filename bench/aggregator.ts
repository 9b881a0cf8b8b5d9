// Aggregation cost: latency of a GET proxied by the aggregator to an HTTPS extension apiserver on loopback,
// next to a local GET of a ConfigMap on the same apiserver and the same GET sent straight to the backend.
// In-process apiserver (memory store) on HTTPS; sequential requests over one keep-alive connection. Prints JSON.
// Run: node --import tsx bench/aggregator.ts [--requests=2000]
import https from 'node:https';
import { readFile, rm } from 'node:fs/promises';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer } from '../src/apiserver/server.js';
import { generateSelfSigned } from '../src/apiserver/serving-cert.js';
import type { APIObject } from '../src/apiserver/registry/strategy.js';
import { generateFrontProxyPKI, startExtensionAPIServer } from '../test/harness/extension-apiserver.js';
import { median, percentile, round } from './stats.js';

const requests = Math.min(20_000, Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 2000));
const timeBudgetMs = 20_000;
const group = 'custom.metrics.k8s.io';
const version = 'v1beta2';

function getOnce(agent: https.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, agent, headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sequential GETs over one connection: per-request latency in ms. Bounded by count and time. */
async function timeGets(agent: https.Agent, port: number, path: string): Promise<{ medianMs: number; p99Ms: number; requests: number }> {
  for (let i = 0; i < 500; i++) await getOnce(agent, port, path); // warm-up (JIT, connection, caches)
  const samples: number[] = [];
  const deadline = performance.now() + timeBudgetMs;
  for (let i = 0; i < requests && performance.now() < deadline; i++) {
    const t0 = performance.now();
    const status = await getOnce(agent, port, path);
    samples.push(performance.now() - t0);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
  }
  return { medianMs: round(median(samples), 4), p99Ms: round(percentile(samples, 99), 4), requests: samples.length };
}

async function main(): Promise<void> {
  const pki = await generateFrontProxyPKI();
  const widget = { apiVersion: `${group}/${version}`, kind: 'Widget', metadata: { name: 'w-1', namespace: 'default', resourceVersion: '1' } };
  const backend = await startExtensionAPIServer({
    group,
    version,
    frontProxyCA: pki.caPEM,
    dnsNames: ['bench-api.bench.svc'],
    resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get'] }],
    handle: (req) => (req.path.endsWith('/widgets/w-1') ? { status: 200, body: widget } : undefined),
  });
  // The backend keeps every request it saw; a benchmark only needs the latest few.
  const trim = setInterval(() => backend.requests.splice(0, backend.requests.length), 1000);
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const stop = new AbortController();
  const server = await runAPIServer(
    { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', proxyClientCertFile: pki.clientCertFile, proxyClientKeyFile: pki.clientKeyFile },
    stop.signal,
    { openStore: async () => openMemoryStore(), servingCert: cert },
  );
  try {
    const create = (group: string, resource: string, namespace: string, obj: unknown) => server.registries.get(group, resource)!.create({ namespace, obj: obj as APIObject });
    await create('', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    await create('', 'configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c-1', namespace: 'default' }, data: { k: 'v' } });
    await create('', 'services', 'bench', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench-api', namespace: 'bench' }, spec: { type: 'ExternalName', externalName: '127.0.0.1' } });
    await create('apiregistration.k8s.io', 'apiservices', '', {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `${version}.${group}` },
      spec: { group, version, groupPriorityMinimum: 100, versionPriority: 100, caBundle: backend.caBundle, service: { namespace: 'bench', name: 'bench-api', port: backend.port } },
    });
    for (let i = 0; i < 400; i++) {
      const svc = (await server.registries.get('apiregistration.k8s.io', 'apiservices')!.get({ namespace: '', name: `${version}.${group}` })) as { status?: { conditions?: Array<{ status: string }> } };
      if (svc.status?.conditions?.[0]?.status === 'True') break;
      if (i === 399) throw new Error('the APIService never became available');
      await new Promise((r) => setTimeout(r, 25));
    }
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const direct = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false, cert: await readFile(pki.clientCertFile, 'utf8'), key: await readFile(pki.clientKeyFile, 'utf8') });
    const widgetPath = `/apis/${group}/${version}/namespaces/default/widgets/w-1`;
    // Interleaved twice, the second round reported: both paths equally warm.
    await timeGets(agent, server.securePort, '/api/v1/namespaces/default/configmaps/c-1');
    await timeGets(agent, server.securePort, widgetPath);
    const local = await timeGets(agent, server.securePort, '/api/v1/namespaces/default/configmaps/c-1');
    const proxied = await timeGets(agent, server.securePort, widgetPath);
    const backendDirect = await timeGets(direct, backend.port, widgetPath);
    agent.destroy();
    direct.destroy();
    const report = {
      requests,
      node: process.version,
      localGet: local,
      proxiedGet: proxied,
      backendDirectGet: backendDirect,
      proxiedOverLocalMedianRatio: round(proxied.medianMs / local.medianMs, 2),
      aggregatorOverheadMedianMs: round(proxied.medianMs - backendDirect.medianMs, 4),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    clearInterval(trim);
    stop.abort();
    await server.close();
    await backend.stop();
    await rm(pki.dir, { recursive: true, force: true });
  }
}

await main();
