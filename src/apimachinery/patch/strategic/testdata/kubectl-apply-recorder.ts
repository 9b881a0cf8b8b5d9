// Records the PATCH that client-side `kubectl apply` sends: a tiny HTTP server on 127.0.0.1 answers discovery
// and the GET of one Deployment with canned JSON (no OpenAPI, so kubectl falls back to its compiled-in
// patch metadata) and captures the strategic merge patch body.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONObject } from '../../json-value.js';

const apiVersions = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
const apiGroups = {
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
};
const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const resourceLists: Record<string, unknown> = {
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs }] },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'apps/v1',
    resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs, shortNames: ['deploy'] }],
  },
};

export interface RecordedApply {
  /** The strategic merge patch body kubectl sent, or undefined when it sent none (no change). */
  patch?: JSONObject;
  contentType?: string;
  stderr: string;
}

/**
 * Runs `kubectl apply -f <fileObject>` against a server whose copy of the Deployment is `live` and returns
 * the PATCH kubectl sent. Bounded: kubectl gets 20 s.
 */
export async function recordKubectlApply(kubectl: string, fileObject: JSONObject, live: JSONObject, signal?: AbortSignal): Promise<RecordedApply> {
  const name = (live.metadata as JSONObject).name as string;
  const objectPath = `/apis/apps/v1/namespaces/default/deployments/${name}`;
  const recorded: RecordedApply = { stderr: '' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const reply = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'PATCH' && path === objectPath) {
        recorded.patch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JSONObject;
        recorded.contentType = req.headers['content-type'];
        reply(200, live);
      } else if (req.method === 'GET' && path === objectPath) reply(200, live);
      else if (req.method === 'GET' && path === '/api') reply(200, apiVersions);
      else if (req.method === 'GET' && path === '/apis') reply(200, apiGroups);
      else if (req.method === 'GET' && Object.hasOwn(resourceLists, path)) reply(200, resourceLists[path]);
      else reply(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-apply-'));
  try {
    const file = join(dir, 'deploy.json');
    writeFileSync(file, JSON.stringify(fileObject));
    const port = (server.address() as AddressInfo).port;
    const args = ['apply', '-f', file, `--server=http://127.0.0.1:${port}`, '--kubeconfig=/dev/null', '--validate=false', '-n', 'default', `--cache-dir=${join(dir, 'cache')}`];
    recorded.stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(kubectl, args, { stdio: ['ignore', 'ignore', 'pipe'], signal, timeout: 20_000 });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => resolve(err));
    });
    return recorded;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
