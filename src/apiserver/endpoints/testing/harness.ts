// An in-process apiserver for tests: the real resource table and REST core over a memory store,
// driven through createAPIServerHandler without sockets.

import { decodeProtobufObject } from '../../../api/protobuf.js';
import { resources as servedResources, storageResourceFor } from '../../../api/resources.js';
import type { Store } from '../../../storage/interface.js';
import { openMemoryStore } from '../../../storage/memory/memory-store.js';
import type { NonResourceHandler } from '../../http-types.js';
import { Registries } from '../../registry/generic/registries.js';
import { builtinMetadataValidator } from '../../registry/generic/metadata-validation.js';
import { compileSelectors } from '../../registry/generic/selection.js';
import { conversionFor } from '../../registry/conversions.js';
import type { ResourceStrategy } from '../../registry/strategy.js';
import { cachedResources, WatchCacheSet } from '../../watchcache/cache-set.js';
import { createAPIServerHandler, type APIHandler } from '../api-handler.js';
import { applyBuiltinPatch, builtinDefaulter, builtinFieldValidator } from '../builtin-plumbing.js';
import { createWatchServer, type WatchServerOptions } from '../watch.js';
import { isStreamResponse, ResourceHandler, type ResourceHandlerOptions, type StreamResponse } from '../resource-handler.js';

export interface TestReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface TestServer {
  store: Store;
  registries: Registries;
  caches: WatchCacheSet;
  handler: APIHandler;
  /** Stops the watch caches. */
  close(): void;
  /** Sends one non-streaming request; `body` objects are sent as JSON. */
  request(method: string, url: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<TestReply>;
  /** Starts a streaming request (watch); abort `signal` to end it. */
  stream(url: string, signal: AbortSignal, headers?: Record<string, string>): Promise<StreamResponse | TestReply>;
}

export interface TestServerOptions {
  store?: Store;
  strategyFor?: (group: string, resource: string) => ResourceStrategy | undefined;
  handlerOptions?: Partial<ResourceHandlerOptions>;
  nonResource?: NonResourceHandler[];
  watchOptions?: Partial<WatchServerOptions>;
  /** Per-watcher queue bound of the watch caches. */
  watcherCapacity?: number;
  /** Namespaces created up front (default: ["default"]). */
  namespaces?: string[];
}

export async function newTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const store = opts.store ?? openMemoryStore();
  const caches = new WatchCacheSet({
    store,
    etcdPrefix: '/registry',
    watcherCapacity: opts.watcherCapacity,
    resources: cachedResources({ resources: servedResources, etcdPrefix: '/registry', storageResourceFor, strategyFor: opts.strategyFor }),
  });
  const stop = new AbortController();
  await caches.start(stop.signal);
  const registries = new Registries({
    resources: servedResources,
    store,
    etcdPrefix: '/registry',
    storageResourceFor,
    strategyFor: opts.strategyFor,
    conversionFor,
    metadataValidator: builtinMetadataValidator,
    selectorCompiler: compileSelectors,
    cacheFor: (root) => caches.listCacheFor(root),
    cachedObject: (root, key) => caches.cacheFor(root)?.get(key)?.json,
  });
  const watch = createWatchServer({ caches, ...opts.watchOptions });
  const resourceHandler = new ResourceHandler({
    registries,
    watch,
    applyPatch: applyBuiltinPatch,
    fieldValidator: builtinFieldValidator,
    defaulter: builtinDefaulter,
    decodeProtobuf: decodeProtobufObject,
    ...opts.handlerOptions,
  });
  const handler = createAPIServerHandler({ resources: resourceHandler, nonResource: opts.nonResource ?? [] });
  const nsRegistry = registries.get('', 'namespaces');
  for (const ns of opts.namespaces ?? ['default']) {
    await nsRegistry!.create({ namespace: '', obj: { metadata: { name: ns } } });
  }
  const toRequest = (method: string, url: string, body: Uint8Array, headers: Record<string, string>) => {
    const u = new URL(url, 'http://test');
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
    return { method, path: u.pathname, query: u.searchParams, headers: lower, body };
  };
  const toReply = (status: number, headers: Record<string, string>, text: string): TestReply => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status, headers, text, json };
  };
  return {
    store,
    registries,
    caches,
    handler,
    close: () => stop.abort(),
    async request(method, url, o = {}) {
      const headers = { ...(o.headers ?? {}) };
      let body: Uint8Array = new Uint8Array();
      if (o.body !== undefined) {
        if (typeof o.body === 'string') body = new TextEncoder().encode(o.body);
        else if (o.body instanceof Uint8Array) body = o.body;
        else {
          body = new TextEncoder().encode(JSON.stringify(o.body));
          headers['content-type'] ??= 'application/json';
        }
      }
      const res = await handler(toRequest(method, url, body, headers), new AbortController().signal);
      if (isStreamResponse(res)) throw new Error(`${method} ${url} answered with a stream`);
      const text = typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body);
      return toReply(res.status, res.headers, text);
    },
    async stream(url, signal, headers = {}) {
      const res = await handler(toRequest('GET', url, new Uint8Array(), headers), signal);
      if (isStreamResponse(res)) return res;
      const text = typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body);
      return toReply(res.status, res.headers, text);
    },
  };
}
