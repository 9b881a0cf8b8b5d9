// A recording API server on 127.0.0.1 for driving the real kubectl through server-side apply: canned discovery,
// objects kept in memory, PATCH apply-patch / json-patch and POST answered by the apply engine. Test support only.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeYAML } from '../../decode/yaml.js';
import { StatusError } from '../../errors.js';
import { applyJSONPatch, decodeJSONPatch } from '../../patch/json-patch.js';
import type { JSONObject } from '../../patch/json-value.js';
import { apply, updateManagedFields } from '../apply.js';
import type { ApplyType } from '../schema.js';

/** One request kubectl made, as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  userAgent: string | undefined;
  body: unknown;
}

/** A served kind: where its objects live, and the apply schema the engine uses for them. */
export interface ServedKind {
  group: string;
  version: string;
  resource: string;
  kind: string;
  schema: ApplyType;
  /** The kind's zero value, the base of creates (see updateManagedFields). */
  emptyObject?: JSONObject;
}

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function statusBody(err: StatusError): JSONObject {
  return err.status as unknown as JSONObject;
}

/**
 * The server. `requests` grows with every request; `objects` holds stored objects by URL path. Answers
 * only what kubectl's apply needs; anything else is 404. Clock: `now` (tests pass a fixed time).
 */
export class KubectlSSAServer {
  readonly requests: RecordedRequest[] = [];
  readonly objects = new Map<string, JSONObject>();
  private readonly server: Server;
  private resourceVersion = 100;

  constructor(
    private readonly kinds: readonly ServedKind[],
    private readonly now: () => Date,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.serve(req, res, Buffer.concat(chunks).toString('utf8')));
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Runs kubectl against this server (no kubeconfig, fresh cache dir); killed after `timeoutMs`. */
  async kubectl(binary: string, args: string[], cacheDir: string, timeoutMs = 20_000): Promise<KubectlRun> {
    const port = (this.server.address() as AddressInfo).port;
    const all = [...args, `--server=http://127.0.0.1:${port}`, '--kubeconfig=/dev/null', `--cache-dir=${cacheDir}`];
    return new Promise<KubectlRun>((resolve, reject) => {
      const child = spawn(binary, all, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  private reply(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private discovery(path: string): unknown {
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    if (path === '/apis') {
      const groups = [...new Set(this.kinds.filter((k) => k.group).map((k) => `${k.group}/${k.version}`))].map((gv) => {
        const [name, version] = gv.split('/') as [string, string];
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return { kind: 'APIGroupList', apiVersion: 'v1', groups };
    }
    for (const gv of new Set(this.kinds.map((k) => (k.group ? `${k.group}/${k.version}` : k.version)))) {
      if (path !== (gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`)) continue;
      const resources = this.kinds
        .filter((k) => (k.group ? `${k.group}/${k.version}` : k.version) === gv)
        .map((k) => ({ name: k.resource, singularName: k.kind.toLowerCase(), namespaced: true, kind: k.kind, verbs }));
      return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
    }
    return undefined;
  }

  /** The served kind and object name of a namespaced object or collection path. */
  private route(path: string): { kind: ServedKind; name: string | undefined } | undefined {
    for (const kind of this.kinds) {
      const prefix = `${kind.group ? `/apis/${kind.group}` : '/api'}/${kind.version}/namespaces/default/${kind.resource}`;
      if (path === prefix) return { kind, name: undefined };
      if (path.startsWith(`${prefix}/`) && !path.slice(prefix.length + 1).includes('/')) return { kind, name: path.slice(prefix.length + 1) };
    }
    return undefined;
  }

  private store(path: string, obj: JSONObject): JSONObject {
    const meta = { ...(obj.metadata as JSONObject) };
    meta.resourceVersion = String(++this.resourceVersion);
    meta.uid ??= `uid-${this.resourceVersion}`;
    meta.creationTimestamp ??= this.now().toISOString().replace(/\.\d+Z$/, 'Z');
    const stored = { ...obj, metadata: meta };
    this.objects.set(path, stored);
    return stored;
  }

  private serve(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = req.headers['content-type'];
    let body: unknown = text;
    if (text) {
      try {
        body = contentType?.includes('yaml') ? decodeYAML(text).value : JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType, userAgent: req.headers['user-agent'], body });
    try {
      this.handle(req.method ?? '', url, contentType ?? '', body, res);
    } catch (err) {
      if (err instanceof StatusError) this.reply(res, err.code, statusBody(err));
      else this.reply(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, message: String(err) });
    }
  }

  private handle(method: string, url: URL, contentType: string, body: unknown, res: ServerResponse): void {
    const path = url.pathname;
    const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' };
    if (method === 'GET') {
      const d = this.discovery(path);
      if (d) return this.reply(res, 200, d);
      const obj = this.objects.get(path);
      return obj ? this.reply(res, 200, obj) : this.reply(res, 404, notFound);
    }
    const route = this.route(path);
    if (!route) return this.reply(res, 404, notFound);
    const { kind } = route;
    const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
    const manager = url.searchParams.get('fieldManager') ?? '';
    if (method === 'POST' && route.name === undefined) {
      const obj = body as JSONObject;
      const objPath = `${path}/${(obj.metadata as JSONObject).name as string}`;
      if (this.objects.has(objPath)) return this.reply(res, 409, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409 });
      const r = updateManagedFields({ old: undefined, new: obj, manager, apiVersion, schema: kind.schema, now: this.now(), emptyObject: kind.emptyObject });
      return this.reply(res, 201, this.store(objPath, r.object));
    }
    if (method !== 'PATCH' || route.name === undefined) return this.reply(res, 405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 405 });
    const live = this.objects.get(path);
    if (contentType.startsWith('application/apply-patch+yaml')) {
      const r = apply({
        live,
        applied: body as JSONObject,
        manager,
        force: url.searchParams.get('force') === 'true',
        apiVersion,
        schema: kind.schema,
        now: this.now(),
        emptyObject: kind.emptyObject,
      });
      if (live && !r.changed) {
        // Upstream still stores the new managedFields of a no-op apply; the object itself is unchanged.
        return this.reply(res, 200, this.store(path, r.object));
      }
      return this.reply(res, live ? 200 : 201, this.store(path, r.object));
    }
    if (!live) return this.reply(res, 404, notFound);
    if (contentType.startsWith('application/json-patch+json')) {
      const patched = applyJSONPatch(live, decodeJSONPatch(body)) as JSONObject;
      const rv = (patched.metadata as JSONObject).resourceVersion;
      if (rv && rv !== (live.metadata as JSONObject).resourceVersion) {
        return this.reply(res, 409, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, message: 'the object has been modified' });
      }
      const r = updateManagedFields({ old: live, new: patched, manager, apiVersion, schema: kind.schema, now: this.now() });
      return this.reply(res, 200, this.store(path, r.object));
    }
    return this.reply(res, 415, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'UnsupportedMediaType', code: 415 });
  }
}
