// A tiny extension apiserver for aggregation tests: HTTPS on 127.0.0.1 with its own CA, serving discovery for
// one group-version and whatever the test answers for its resources; it accepts only the aggregator's front-proxy
// client certificate and records the X-Remote-* identity of every request. Also: the front-proxy PKI and the
// APIService + ExternalName Service manifests that register it.

import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../../src/pki/keys.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../../src/pki/certificate.js';

/** One entry of the served APIResourceList (meta/v1 APIResource). */
export interface ExtensionResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** A request as the extension apiserver saw it. */
export interface ExtensionRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** From X-Remote-User / X-Remote-Group / X-Remote-Extra-* (empty when absent). */
  user: string;
  groups: string[];
  extra: Record<string, string[]>;
  /** CN of the client certificate the request came with ("" without one). */
  clientCN: string;
  /** The Authorization header, which an aggregator must never forward. */
  authorization?: string;
  body: string;
}

/** The test's answer: a JSON body, or a stream of watch frames that ends when the iterable does. */
export type ExtensionAnswer = { status: number; body: unknown } | { status: number; frames: AsyncIterable<unknown> };

export interface ExtensionAPIServerOptions {
  group: string;
  version: string;
  resources: ExtensionResource[];
  /** PEM CA of the front proxy: requests without a client certificate it signed are refused with 401. */
  frontProxyCA: string;
  /** Accepted client certificate CNs (default: any signed by frontProxyCA). */
  allowedNames?: string[];
  /** Names the serving certificate is valid for besides 127.0.0.1 (the aggregator verifies `<svc>.<ns>.svc`). */
  dnsNames: string[];
  /** Answers resource requests; undefined → 404 NotFound Status. */
  handle(req: ExtensionRequest): ExtensionAnswer | undefined;
  /**
   * Upgrade requests (exec, port-forward): by default answered 101 with the requested protocol, after which
   * every byte received is echoed back. Recorded in `requests` like any other request.
   */
  onUpgrade?: (req: ExtensionRequest, socket: Duplex) => void;
}

export interface ExtensionAPIServer {
  port: number;
  /** base64 PEM of the serving CA, for an APIService's spec.caBundle. */
  caBundle: string;
  /** Every request, in order (discovery probes included). */
  requests: ExtensionRequest[];
  /** Stops listening and drops connections (the port stays reserved for start()). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function headerList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Starts the server on a random 127.0.0.1 port. */
export async function startExtensionAPIServer(opts: ExtensionAPIServerOptions): Promise<ExtensionAPIServer> {
  const pair = await generateSelfSigned({ dns: ['localhost', ...opts.dnsNames], ips: ['127.0.0.1'] });
  const requests: ExtensionRequest[] = [];
  const sockets = new Set<Socket>();
  const groupVersion = `${opts.group}/${opts.version}`;
  /** The request as seen, or undefined when it lacks an accepted front-proxy client certificate. */
  const received = (req: IncomingMessage, body: string): ExtensionRequest | undefined => {
    const url = new URL(req.url ?? '/', 'https://extension');
    const tls = req.socket as TLSSocket;
    const peer = tls.getPeerCertificate();
    const clientCN = peer && 'subject' in peer && peer.subject ? String(peer.subject.CN ?? '') : '';
    if (!tls.authorized || (opts.allowedNames && !opts.allowedNames.includes(clientCN))) return undefined;
    const extra: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith('x-remote-extra-')) extra[decodeURIComponent(name.slice('x-remote-extra-'.length))] = headerList(value);
    }
    return {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      user: headerList(req.headers['x-remote-user'])[0] ?? '',
      groups: headerList(req.headers['x-remote-group']),
      extra,
      clientCN,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body,
    };
  };
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const url = new URL(req.url ?? '/', 'https://extension');
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const seen = received(req, Buffer.concat(chunks).toString('utf8'));
    if (!seen) {
      json(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    requests.push(seen);
    if (url.pathname === `/apis/${groupVersion}`) {
      json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: opts.resources });
      return;
    }
    const answer = url.pathname.startsWith(`/apis/${groupVersion}/`) ? opts.handle(seen) : undefined;
    if (!answer) {
      json(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if ('body' in answer) {
      json(answer.status, answer.body);
      return;
    }
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    for await (const frame of answer.frames) {
      if (res.destroyed) break;
      res.write(`${JSON.stringify(frame)}\n`);
    }
    res.end();
  };
  const server = https.createServer({ cert: pair.cert, key: pair.key, ca: opts.frontProxyCA, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const seen = received(req, '');
    if (!seen) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    requests.push(seen);
    if (opts.onUpgrade) return opts.onUpgrade(seen, socket);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${String(req.headers.upgrade ?? '')}\r\n\r\n`);
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    caBundle: Buffer.from(pair.ca).toString('base64'),
    requests,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    start: listen,
  };
}

/** The aggregator's side of the front-proxy PKI, as kubeadm lays it out: a CA and a client certificate signed by it. */
export interface FrontProxyPKI {
  dir: string;
  caPEM: string;
  caFile: string;
  /** --proxy-client-cert-file / --proxy-client-key-file (CN front-proxy-client). */
  clientCertFile: string;
  clientKeyFile: string;
  clientCN: string;
}

/** Generates front-proxy-ca.crt and front-proxy-client.{crt,key} in a new temp dir. */
export async function generateFrontProxyPKI(now = new Date()): Promise<FrontProxyPKI> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-front-proxy-'));
  const caKey = await generatePrivateKey('ecdsa');
  const caPEM = await newSelfSignedCACert({ key: caKey, commonName: 'front-proxy-ca', now, validitySeconds: oneYearSeconds });
  const clientKey = await generatePrivateKey('ecdsa');
  const clientCN = 'front-proxy-client';
  const clientPEM = await newSignedCert({
    config: { commonName: clientCN, extKeyUsages: ['client auth'] },
    publicKey: clientKey,
    ca: { certPEM: caPEM, key: caKey },
    now,
    validitySeconds: oneYearSeconds,
  });
  const pki = {
    dir,
    caPEM,
    caFile: join(dir, 'front-proxy-ca.crt'),
    clientCertFile: join(dir, 'front-proxy-client.crt'),
    clientKeyFile: join(dir, 'front-proxy-client.key'),
    clientCN,
  };
  await writeFile(pki.caFile, caPEM);
  await writeFile(pki.clientCertFile, clientPEM);
  await writeFile(pki.clientKeyFile, encodePrivateKeyPEM(clientKey), { mode: 0o600 });
  return pki;
}

/**
 * YAML registering an extension apiserver listening on 127.0.0.1:`port`: an ExternalName Service pointing at
 * 127.0.0.1 (no cluster networking needed) and the APIService naming it, verified with `caBundle`.
 */
export function apiServiceManifests(args: { group: string; version: string; namespace: string; service: string; port: number; caBundle: string; groupPriorityMinimum?: number; versionPriority?: number }): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${args.service}
  namespace: ${args.namespace}
spec:
  type: ExternalName
  externalName: 127.0.0.1
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: ${args.version}.${args.group}
spec:
  group: ${args.group}
  version: ${args.version}
  groupPriorityMinimum: ${args.groupPriorityMinimum ?? 100}
  versionPriority: ${args.versionPriority ?? 100}
  caBundle: ${args.caBundle}
  service:
    namespace: ${args.namespace}
    name: ${args.service}
    port: ${args.port}
`;
}
