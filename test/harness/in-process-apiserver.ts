// An in-process apiserver on a memory store for client-library integration tests, with a plain-HTTP client
// on its insecure port; both are closed when the test ends.
import type { TestContext } from 'node:test';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { type APIServer, runAPIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { freePort } from './free-port.js';

export interface InProcessCluster {
  server: APIServer;
  /** Unlimited QPS, plain HTTP. */
  client: Interface;
  /** Another client with its own connection, e.g. for a second candidate or writer. */
  newClient(): Interface;
}

export async function startInProcessAPIServer(t: TestContext): Promise<InProcessCluster> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer({ ...opts, insecurePort: await freePort() }, ac.signal, {
    openStore: async () => openMemoryStore(),
    servingCert: cert,
  });
  const clients: Interface[] = [];
  const make = (): Interface => {
    const c = newClient({ host: `http://127.0.0.1:${server.insecurePort}`, qps: -1 });
    clients.push(c);
    return c;
  };
  const client = make();
  t.after(async () => {
    for (const c of clients) c.close();
    ac.abort();
    await server.close();
  });
  return { server, client, newClient: make };
}
