// An in-process apiserver over a memory store for CRD validation-rule tests and benchmarks: JSON calls through
// the handler (no sockets) and a wait for a CRD to be served.

import { isStreamResponse } from '../endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer, type APIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CRDTestServer {
  server: APIServer;
  call(method: string, path: string, body?: unknown): Promise<Reply>;
  /** Creates a CRD (throws unless 201) and resolves once its resources are served. */
  createCRD(crd: { metadata: { name: string } }): Promise<void>;
  stop(): void;
}

/** Starts the apiserver; stop() aborts it. */
export async function startCRDTestServer(): Promise<CRDTestServer> {
  const ac = new AbortController();
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const u = new URL(path, 'http://x');
    const res = await server.handler(
      {
        method,
        path: u.pathname,
        query: u.searchParams,
        headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
        body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)),
      },
      ac.signal,
    );
    if (isStreamResponse(res)) throw new Error(`${method} ${path}: unexpected stream`);
    const text = String(res.body);
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, json };
  };
  const createCRD = async (crd: { metadata: { name: string } }) => {
    const created = await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (created.status !== 201) throw new Error(`CRD create: ${created.status} ${JSON.stringify(created.json)}`);
    // The CRD controller serves it asynchronously; idle() resolves once queued work is done.
    for (let i = 0; i < 100; i++) {
      await server.crds.idle();
      const got = await call('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if ((got.json.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`${crd.metadata.name} was not established`);
  };
  return { server, call, createCRD, stop: () => ac.abort() };
}
