// Client-certificate cost: a new TLS connection + GET /version against an in-process apiserver with
// --client-ca-file, without a client certificate and with RSA-2048 / ECDSA-P256 ones; the same over a
// kept-alive connection; and the x509 authenticator's chain check (first sight and cached). Prints JSON.
// Run: node --import tsx bench/pki-handshake.ts [--requests=300] [--seconds=3]
import { request, Agent } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer } from '../src/apiserver/server.js';
import { newX509Authenticator } from '../src/apiserver/authentication/x509.js';
import { encodePrivateKeyPEM, generatePrivateKey, type KeyAlgorithm } from '../src/pki/keys.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../src/pki/certificate.js';
import { certificateBlocks } from '../src/pki/pem.js';
import { CertPool, verifyClientChain } from '../src/pki/verify.js';
import { median, percentile, round } from './stats.js';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const maxRequests = arg('requests', 300);
const seconds = arg('seconds', 3);

interface Client {
  cert?: string;
  key?: string;
}

function get(port: number, client: Client, agent: Agent | false): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/version', rejectUnauthorized: false, agent, cert: client.cert, key: client.key }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sequential requests, bounded by count and time: per-request latency summary and throughput. */
async function sequential(op: () => Promise<unknown>): Promise<Record<string, number>> {
  for (let i = 0; i < 10; i++) await op();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRequests && performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    await op();
    samples.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  return { requests: samples.length, perSecond: round(samples.length / elapsed, 0), p50Ms: round(median(samples), 3), p99Ms: round(percentile(samples, 99), 3) };
}

async function clientFor(algorithm: KeyAlgorithm, ca: { certPEM: string; key: Awaited<ReturnType<typeof generatePrivateKey>> }): Promise<Required<Client>> {
  const key = await generatePrivateKey(algorithm);
  const cert = await newSignedCert({ config: { commonName: 'bench', organization: ['system:masters'], extKeyUsages: ['client auth'] }, publicKey: key, ca, now: new Date(), validitySeconds: oneYearSeconds });
  return { cert, key: encodePrivateKeyPEM(key) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-pki-'));
  const stop = new AbortController();
  try {
    const caKey = await generatePrivateKey('ecdsa');
    const ca = { certPEM: await newSelfSignedCACert({ key: caKey, commonName: 'bench-ca', now: new Date(), validitySeconds: oneYearSeconds }), key: caKey };
    await writeFile(join(dir, 'ca.crt'), ca.certPEM);
    const servingKey = await generatePrivateKey('ecdsa');
    const servingCert = {
      cert: await newSignedCert({ config: { commonName: 'kube-apiserver', ips: ['127.0.0.1'], extKeyUsages: ['server auth'] }, publicKey: servingKey, ca, now: new Date(), validitySeconds: oneYearSeconds }),
      key: encodePrivateKeyPEM(servingKey),
    };
    // RBAC, so that anonymous may GET /version (system:public-info-viewer) and every client gets a 200; under
    // AlwaysAllow upstream turns anonymous off once --client-ca-file is given.
    const base = { ...defaultAPIServerOptions(dir), securePort: 0, bindAddress: '127.0.0.1', authorizationMode: ['RBAC'] };
    const clients: Record<string, Client> = { noClientCert: {}, rsa2048ClientCert: await clientFor('rsa', ca), ecdsaP256ClientCert: await clientFor('ecdsa', ca) };
    const newConnection: Record<string, unknown> = {};
    const keepAlive: Record<string, unknown> = {};
    // The baseline: a server that does not ask for client certificates at all.
    const servers: Array<[string, typeof base & { clientCAFile?: string }, Record<string, Client>]> = [
      ['withoutClientCAFile', base, { noClientCert: {} }],
      ['withClientCAFile', { ...base, clientCAFile: join(dir, 'ca.crt') }, clients],
    ];
    for (const [serverName, opts, serverClients] of servers) {
      const server = await runAPIServer(opts, stop.signal, { openStore: async () => openMemoryStore(), servingCert });
      for (const [name, client] of Object.entries(serverClients)) {
        newConnection[`${serverName}/${name}`] = await sequential(() => get(server.securePort, client, false));
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        keepAlive[`${serverName}/${name}`] = await sequential(() => get(server.securePort, client, agent));
        agent.destroy();
      }
      await server.close();
    }

    const roots = CertPool.fromPEM(ca.certPEM);
    const chain = certificateBlocks((clients.rsa2048ClientCert as Required<Client>).cert);
    const verify = await sequential(async () => {
      if ('error' in verifyClientChain(chain, roots, new Date())) throw new Error('did not verify');
    });
    const authenticator = newX509Authenticator({ caBundlePEM: ca.certPEM });
    const req = { method: 'GET', path: '/', query: new URLSearchParams(), headers: {}, connection: { peerCertificates: chain } };
    const cached = await sequential(async () => {
      const r = await authenticator.authenticate(req);
      if (!r || !('user' in r)) throw new Error('not authenticated');
    });
    process.stdout.write(
      JSON.stringify(
        {
          benchmark: 'pki-handshake',
          note: 'client and apiserver share this process (and the 2 cores); sequential requests; GET /version',
          newConnectionPerRequest: newConnection,
          keepAliveConnection: keepAlive,
          x509Authenticator: { verifyClientChainFirstSight: verify, cachedChain: cached },
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    stop.abort();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
