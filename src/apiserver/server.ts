// kube-apiserver: opens the store, builds the registries, watch caches and handlers, serves them over
// HTTPS (HTTP/2 and HTTP/1.1) and the optional lab-mode plain-HTTP port, then runs the post-start hooks.

import http from 'node:http';
import http2 from 'node:http2';
import { readFile } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { apiGroupOrder, resources as servedResources, storageResourceFor } from '../api/resources.js';
import { newBadRequest, newTooLarge } from '../apimachinery/errors.js';
import { klog } from '../base/logger.js';
import { openStore as openStoreFromOptions } from '../storage/factory.js';
import type { Store } from '../storage/interface.js';
import { DiscoveryHandler } from './discovery/discovery-handler.js';
import { createAPIServerHandler, type APIHandler, type RequestFilter } from './endpoints/api-handler.js';
import type { SecurityContext } from './security-context.js';
import { buildRequestFilter } from './filters/request-filter.js';
import { authenticationResources, serviceAccountIssuerDiscovery } from './authentication/resources.js';
import { newAuthorizer } from './authorization/modes.js';
import { authorizationResources } from './authorization/resources.js';
import { newAdmissionFor } from './admission/chain.js';
import { prometheusAdmissionMetrics } from './admission/admission-metrics.js';
import { prometheusConversionMetrics } from './crd/conversion-metrics.js';
import type { CreateOnlyResource } from './endpoints/create-only.js';
import { ComponentStatuses, defaultComponentProbes } from './endpoints/component-status.js';
import { applyBuiltinPatch, builtinDefaulter, builtinFieldValidator } from './endpoints/builtin-plumbing.js';
import { isStreamResponse, ResourceHandler, type ResourceHandlerOptions } from './endpoints/resource-handler.js';
import { errorResponse } from './endpoints/status.js';
import { HealthzHandler } from './healthz/healthz-handler.js';
import type { HTTPResponse, NonResourceHandler } from './http-types.js';
import { MetricsHandler } from './metrics/metrics-handler.js';
import { instrumentStore, keyResourceResolver } from './metrics/instrumented-store.js';
import { PrometheusAPIServerMetrics } from './metrics/registry.js';
import type { APIServerOptions } from './options.js';
import { Registries, type RegistriesOptions } from './registry/generic/registries.js';
import { builtinMetadataValidator } from './registry/generic/metadata-validation.js';
import { compileSelectors } from './registry/generic/selection.js';
import { conversionFor as builtinConversionFor } from './registry/conversions.js';
import { strategyFor as builtinStrategyFor, type StrategyDependencies } from './registry/strategies.js';
import { ensureServingCert } from './serving-cert.js';
import { VersionHandler } from './version-handler.js';
import { RootPathsHandler } from './root-paths.js';
import { resourceKeys } from './storage-keys.js';
import { allDefinitions } from '../api/schema.js';
import { builtinProtobufEncoder, decodeProtobufObject } from '../api/protobuf.js';
import { runCompactor } from '../storage/compactor.js';
import { encryptionAtRest } from './encryption/encrypting-store.js';
import { auditorFromFlags } from './audit/audit-options.js';
import type { Auditor } from './audit/auditor.js';
import { builtinBootstrap } from './bootstrap/builtin.js';
import { OpenAPIHandler } from './openapi/openapi-handler.js';
import { cachedResources, WatchCacheSet } from './watchcache/cache-set.js';
import { createWatchServer } from './endpoints/watch.js';
import { CustomResourceDefinitions } from './crd/crd-controller.js';
import { registryReader } from './admission/object-reader.js';
import { customResourceDefaulter, customResourceFieldValidator, customResourcePrinterFor } from './crd/crd-plumbing.js';
import { Aggregator, proxyClientCertificateFrom, type AggregatorOptions } from './aggregator/aggregator.js';
import { cachedAggregatorObjects } from './aggregator/cached-objects.js';
import { clusterAuthenticationInfoHook } from './aggregator/authentication-info.js';
import { prometheusAvailabilityMetrics } from './aggregator/availability-metrics.js';

/** Work done once the server listens (bootstrap objects, compaction, …); /readyz waits for every hook. */
export interface PostStartHook {
  /** Upstream-style name, shown as `poststarthook/<name>` in /healthz?verbose. */
  name: string;
  /**
   * Runs the hook. Long-running hooks (periodic compaction, endpoint reconcilers) start their loop, resolve
   * once their first pass is done, and stop when `signal` aborts.
   */
  run(ctx: PostStartHookContext): Promise<void>;
}

export interface PostStartHookContext {
  registries: Registries;
  store: Store;
  options: APIServerOptions;
  /** The bound HTTPS port (0 when HTTPS is off), e.g. for the `kubernetes` Service's targetPort. */
  securePort: number;
  signal: AbortSignal;
}

/** Things a caller may supply instead of the defaults (tests, the supervisor, later issues). */
export interface APIServerDeps {
  /** Opens the store (default: src/storage/factory.ts openStore from the options). Closed on close(). */
  openStore?: (opts: APIServerOptions) => Promise<Store>;
  /**
   * A serving certificate instead of ensureServingCert(opts). With it, `securePort: 0` means a random free
   * port (tests) rather than "HTTPS off".
   */
  servingCert?: { cert: string; key: string };
  /** Replaces the built-in post-start hooks (bootstrap objects, then compaction). */
  postStartHooks?: readonly PostStartHook[];
  /**
   * Per-resource behaviour; default registry/strategies.ts strategyFor with `strategyDependencies`.
   */
  strategyFor?: RegistriesOptions['strategyFor'];
  /**
   * Dependencies of the built-in strategies (e.g. Service IP/port allocation), built once the registries
   * exist: `registries()` may only be called after runAPIServer has built them (lazily, inside hooks).
   */
  strategyDependencies?: (ctx: { registries: () => Registries; store: Store; options: APIServerOptions }) => StrategyDependencies;
  conversionFor?: RegistriesOptions['conversionFor'];
  /** CRD conversion webhook timeout (default upstream's 30 s); tests shorten it. */
  conversionWebhookTimeoutSeconds?: number;
  metadataValidator?: RegistriesOptions['metadataValidator'];
  /** Extra ResourceHandler plumbing: protobuf decoding, patch engines, field validation. */
  handlerOptions?: Partial<ResourceHandlerOptions>;
  /**
   * Authentication, impersonation and authorization, built once the registries exist. Absent: built from the
   * flags (filters/request-filter.ts); a factory resolving undefined makes every request act as unsecuredUser.
   */
  requestFilter?: (ctx: SecurityContext) => Promise<RequestFilter | undefined>;
  /** The admission chain, built once the registries exist. Absent: the --enable/--disable-admission-plugins chain (admission/chain.ts). */
  admissionFor?: (ctx: SecurityContext) => Promise<ResourceHandlerOptions['admissionFor']>;
  /** Create-only resources (TokenReview, SubjectAccessReview, serviceaccounts/token, …), built once the registries exist. */
  createOnlyResources?: (ctx: SecurityContext) => Promise<readonly CreateOnlyResource[]>;
  /** The aggregator's clock and availability check periods (tests shorten them). */
  aggregator?: Pick<AggregatorOptions, 'clock' | 'resyncMs' | 'retryMs'>;
}


export interface APIServer {
  /** Bound ports (0 when that listener is off). */
  readonly securePort: number;
  readonly insecurePort: number;
  /** True once every post-start hook has finished. */
  readonly ready: boolean;
  readonly registries: Registries;
  readonly store: Store;
  /** The socket-free handler (the same the listeners use). */
  readonly handler: APIHandler;
  /** The served CustomResourceDefinitions. */
  readonly crds: CustomResourceDefinitions;
  /** The aggregator: APIService registration, availability and proxying. */
  readonly aggregator: Aggregator;
  /** Stops listening, ends open requests and watches, and closes the store. Idempotent. */
  close(): Promise<void>;
}

const log = klog.withName('server.ts');

/** The authentication and authorization review resources (the default createOnlyResources). */
async function builtinCreateOnlyResources(ctx: SecurityContext): Promise<readonly CreateOnlyResource[]> {
  return [...(await authenticationResources(ctx)), ...authorizationResources(ctx, await newAuthorizer(ctx))];
}

/**
 * Starts an apiserver and resolves once it listens and its post-start hooks are done. Aborting `signal`
 * closes it like close().
 */
export async function runAPIServer(opts: APIServerOptions, signal: AbortSignal, deps: APIServerDeps = {}): Promise<APIServer> {
  const openStore = deps.openStore ?? openStoreFromOptions;
  const metrics = new PrometheusAPIServerMetrics();
  // A bad --encryption-provider-config stops the start before the store is opened.
  const encryption = await encryptionAtRest(opts, servedResources.map(storageResourceFor));
  // Every storage call is timed per resource (etcd_request_duration_seconds and friends); encryption wraps
  // the timed store, so those times stay the backend's own.
  const store = encryption.wrap(
    instrumentStore(await openStore(opts), {
      metrics,
      resourceOf: keyResourceResolver({ etcdPrefix: opts.etcdPrefix, resources: servedResources }),
    }),
  );
  const stop = new AbortController();
  // Every open request listens on this signal (thousands of watches): not a leak, so no listener limit.
  setMaxListeners(0, stop.signal);
  // Built-in bootstrap (system namespaces, Service allocation, the kubernetes Service) unless the caller
  // brings its own hooks; compaction always runs as the last hook.
  const bootstrap = deps.postStartHooks || deps.strategyDependencies ? undefined : builtinBootstrap();
  const strategyDependencies = deps.strategyDependencies ?? bootstrap?.strategyDependencies;
  const hooks: PostStartHook[] = [...(deps.postStartHooks ?? bootstrap?.postStartHooks ?? []), compactionHook()];
  hooks.push({ name: 'kube-apiserver-autoregistration', run: async (ctx) => aggregator.start(ctx.signal) }, clusterAuthenticationInfoHook());
  hooks.push({
    name: 'storage-object-count-tracker-hook',
    run: async (ctx) => trackStorageObjects({ caches, resources: servedResources, etcdPrefix: opts.etcdPrefix, metrics, signal: ctx.signal }),
  });
  let built: Registries | undefined;
  const strategyDeps = strategyDependencies?.({
    registries: () => {
      if (!built) throw new Error('registries are not built yet');
      return built;
    },
    store,
    options: opts,
  });
  const strategyFor = deps.strategyFor ?? ((group: string, resource: string) => builtinStrategyFor(group, resource, strategyDeps));
  // One watch cache per stored resource, filled before the server listens, so lists and watches are
  // served from memory from the first request on.
  const caches = new WatchCacheSet({
    store,
    etcdPrefix: opts.etcdPrefix,
    onRelist: (err) => log.warning('Storage watch failed; rebuilding the watch caches', { err: err.message }),
    resources: cachedResources({ resources: servedResources, etcdPrefix: opts.etcdPrefix, storageResourceFor, strategyFor }),
  });
  try {
    const started = performance.now();
    await caches.start(stop.signal);
    log.v(2).info('Watch caches filled', { revision: caches.reflector.rv, ms: Math.round(performance.now() - started) });
  } catch (err) {
    caches.stop();
    await store.close();
    throw err;
  }
  const registries = new Registries({
    resources: servedResources,
    store,
    etcdPrefix: opts.etcdPrefix,
    storageResourceFor,
    cacheFor: (root) => caches.listCacheFor(root),
    cachedObject: (root, key) => caches.cacheFor(root)?.get(key)?.json,
    strategyFor,
    conversionFor: deps.conversionFor ?? builtinConversionFor,
    metadataValidator: deps.metadataValidator ?? builtinMetadataValidator,
    selectorCompiler: compileSelectors,
  });
  built = registries;
  // CustomResourceDefinitions: the stored ones are served before the server listens; later changes follow
  // the CRD watch cache. Discovery is re-rendered whenever the set of custom resources changes.
  const crds: CustomResourceDefinitions = new CustomResourceDefinitions({
    registries,
    caches,
    etcdPrefix: opts.etcdPrefix,
    builtinResources: servedResources,
    webhookReader: registryReader(registries),
    conversionWebhookTimeoutSeconds: deps.conversionWebhookTimeoutSeconds,
    conversionMetrics: prometheusConversionMetrics(metrics.registry),
    onChange: () => {
      encryption.serveCustomResources(crds.resources());
      discovery.setResources([...servedResources, ...crds.resources()]);
      openapi.setSource(openAPISource());
      aggregator.setServedResources({ builtin: servedResources, custom: crds.resources() });
    },
  });
  const builtinDefinitions = allDefinitions();
  const openAPISource = () => ({
    resources: [...servedResources, ...crds.resources()],
    definitions: { ...builtinDefinitions, ...crds.definitions() },
    isBuiltin: (r: { group: string; plural: string }) => !crds.isCustomResource(r),
  });
  const openapi = new OpenAPIHandler(openAPISource());
  const discovery = new DiscoveryHandler({
    resources: servedResources,
    groupOrder: apiGroupOrder,
    storageVersionOf: (r) => crds.storageResourceFor(r) ?? storageResourceFor(r),
  });
  // kube-aggregator in front of the local handlers: APIServices for the local APIs, availability, proxying.
  let aggregator: Aggregator;
  try {
    aggregator = new Aggregator({
      registries,
      caches,
      etcdPrefix: opts.etcdPrefix,
      objects: cachedAggregatorObjects({ caches, etcdPrefix: opts.etcdPrefix }),
      localDiscovery: discovery,
      localOpenAPI: openapi,
      metrics: prometheusAvailabilityMetrics(metrics.registry),
      proxyClientCertificate: await proxyClientCertificateFrom(opts),
      ...deps.aggregator,
    });
    aggregator.setServedResources({ builtin: servedResources, custom: [] });
  } catch (err) {
    stop.abort();
    caches.stop();
    await store.close();
    throw err;
  }
  try {
    await crds.start(stop.signal);
  } catch (err) {
    stop.abort();
    caches.stop();
    await store.close();
    throw err;
  }
  const healthz = new HealthzHandler({
    storage: async () => {
      await store.currentRevision();
    },
    postStartHooks: hooks.map((h) => h.name),
    extraChecks: { healthz: [aggregator.autoregisterCompletion], livez: [aggregator.autoregisterCompletion], readyz: [aggregator.autoregisterCompletion] },
  });
  let filter: RequestFilter | undefined;
  let admissionFor: ResourceHandlerOptions['admissionFor'];
  let createOnly: readonly CreateOnlyResource[] | undefined;
  let issuerDiscovery: NonResourceHandler | undefined;
  let auditor: Auditor | undefined;
  try {
    auditor = await auditorFromFlags(opts, stop.signal);
    const securityContext: SecurityContext = { options: opts, registries, store, signal: stop.signal, admissionMetrics: prometheusAdmissionMetrics(metrics.registry) };
    filter = await (deps.requestFilter ?? buildRequestFilter)(securityContext);
    admissionFor = await (deps.admissionFor ?? newAdmissionFor)(securityContext);
    createOnly = await (deps.createOnlyResources ?? builtinCreateOnlyResources)(securityContext);
    issuerDiscovery = await serviceAccountIssuerDiscovery(securityContext);
  } catch (err) {
    stop.abort();
    caches.stop();
    await store.close();
    throw err;
  }
  const nonResource: NonResourceHandler[] = [
    healthz,
    new VersionHandler(),
    discovery,
    openapi,
    new MetricsHandler(metrics),
    ...(issuerDiscovery ? [issuerDiscovery] : []),
  ];
  nonResource.push(
    new RootPathsHandler(() => [
      ...discovery.paths(),
      ...healthz.paths(),
      '/metrics',
      '/openapi/v2',
      '/openapi/v3',
      '/openapi/v3/',
      '/version',
      ...(issuerDiscovery ? ['/.well-known/openid-configuration', '/openid/v1/jwks'] : []),
    ]),
  );
  const handler = createAPIServerHandler({
    resources: new ResourceHandler({
      registries,
      applyPatch: applyBuiltinPatch,
      fieldValidator: customResourceFieldValidator(crds, builtinFieldValidator),
      defaulter: customResourceDefaulter(crds, builtinDefaulter),
      printerFor: customResourcePrinterFor(crds),
      watch: createWatchServer({ caches, metrics }),
      decodeProtobuf: decodeProtobufObject,
      encodeProtobuf: builtinProtobufEncoder,
      componentStatuses: new ComponentStatuses(defaultComponentProbes(() => store.currentRevision())),
      admissionFor,
      createOnly,
      ...deps.handlerOptions,
    }),
    nonResource,
    metrics,
    filter,
    auditor,
    aggregator: (info, req, signal) => aggregator.handle(info, req, signal),
  });

  const sockets = new Set<Socket | http2.Http2Session>();
  const listeners: Array<http.Server | http2.Http2SecureServer> = [];
  const onSecureRequest = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    void serveHTTP({ handler, req, res, maxBodyBytes: opts.maxRequestBodyBytes, stop: stop.signal, insecurePort: false });
  };
  const onInsecureRequest = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    void serveHTTP({ handler, req, res, maxBodyBytes: opts.maxRequestBodyBytes, stop: stop.signal, insecurePort: true });
  };

  let securePort = 0;
  let insecurePort = 0;
  try {
    if (opts.securePort !== 0 || deps.servingCert) {
      const cert = deps.servingCert ?? (await ensureServingCert(opts));
      // With --client-ca-file, clients are asked for a certificate issued by it; the authenticator checks it.
      // The handshake itself never fails for a missing or foreign certificate (that is a 401 later, as upstream).
      // Front proxies (--requestheader-client-ca-file) present certificates of their own CA: it is announced too.
      const clientCAs = [opts.clientCAFile, opts.requestheaderClientCAFile].filter((f): f is string => !!f);
      const clientCA = clientCAs.length ? (await Promise.all(clientCAs.map((f) => readFile(f, 'utf8')))).join('\n') : undefined;
      const tlsClientAuth = clientCA ? { requestCert: true, rejectUnauthorized: false, ca: clientCA } : {};
      const server = http2.createSecureServer(
        // maxSessionMemory (MB): Node refuses new streams on a session (ENHANCE_YOUR_CALM) once this much is
        // buffered for it; the default 10 MB is soon reached by one client's watches plus its writes.
        { cert: cert.cert, key: cert.key, allowHTTP1: true, maxSessionMemory: 128, ...tlsClientAuth },
        onSecureRequest,
      );
      // Watches and other long-running requests must never be cut by server timeouts.
      server.setTimeout(0);
      server.on('session', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('secureConnection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        void serveUpgrade({ handler, req, socket, head, stop: stop.signal, insecurePort: false });
      });
      securePort = await listen(server, opts.securePort, opts.bindAddress);
      listeners.push(server);
    }
    if (opts.insecurePort !== 0) {
      const server = http.createServer({ requestTimeout: 0, keepAliveTimeout: 65_000, maxHeaderSize: headerLimits.maxHeaderSize }, onInsecureRequest);
      server.setTimeout(0);
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        void serveUpgrade({ handler, req, socket, head, stop: stop.signal, insecurePort: true });
      });
      insecurePort = await listen(server, opts.insecurePort, '127.0.0.1');
      listeners.push(server);
    }
  } catch (err) {
    for (const l of listeners) l.close();
    caches.stop();
    await store.close();
    throw err;
  }

  let ready = false;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      healthz.shutdown();
      // Stop accepting, then end every watch (their responses finish cleanly), then drop what is left
      // (idle keep-alive connections, HTTP/2 sessions) so the listeners' close callbacks can fire.
      const listening = Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
      stop.abort();
      caches.stop();
      await new Promise((resolve) => setImmediate(resolve));
      for (const s of sockets) s.destroy();
      await listening;
      await store.close();
    })();
    return closed;
  };
  if (signal.aborted) {
    await close();
    throw signal.reason;
  }
  signal.addEventListener('abort', () => void close(), { once: true });

  try {
    for (const hook of hooks) {
      await hook.run({ registries, store, options: opts, securePort, signal: stop.signal });
      healthz.postStartHookDone(hook.name);
      log.v(2).info('Post-start hook finished', { name: hook.name });
    }
  } catch (err) {
    await close();
    throw err;
  }
  ready = true;

  return {
    securePort,
    insecurePort,
    get ready() {
      return ready;
    },
    registries,
    store,
    handler,
    crds,
    aggregator,
    close,
  };
}

/**
 * Go's net/http accepts request headers up to 1 MiB (DefaultMaxHeaderBytes) and kube-apiserver keeps that.
 * The plain-HTTP listener is given the same limit; the TLS listener's HTTP/1.1 fallback cannot be (node applies
 * its process-wide 16 KiB there: 431 above it), and over HTTP/2 nghttp2 refuses a single header field above
 * 64 KiB by resetting the session. Clients (kubectl, client-go) use HTTP/2 and never send headers that large.
 */
const headerLimits = { maxHeaderSize: 1 << 20 } as const;

/** Periodic compaction (--etcd-compaction-interval) as upstream's start-... hook: starts the loop and returns. */
function compactionHook(): PostStartHook {
  return {
    name: 'start-storage-compaction',
    run: async (ctx) => {
      void runCompactor({ store: ctx.store, intervalSeconds: ctx.options.etcdCompactionIntervalSeconds, signal: ctx.signal }).catch(() => undefined);
    },
  };
}

/** apiserver_storage_objects from the watch caches' sizes, refreshed every minute like upstream. */
function trackStorageObjects(args: { caches: WatchCacheSet; resources: typeof servedResources; etcdPrefix: string; metrics: PrometheusAPIServerMetrics; signal: AbortSignal }): void {
  const roots = new Map<string, string>();
  for (const r of args.resources) {
    const stored = storageResourceFor(r);
    const { root } = resourceKeys({ etcdPrefix: args.etcdPrefix, group: stored.group, plural: stored.plural, namespaced: stored.namespaced });
    if (!roots.has(root)) roots.set(root, stored.group ? `${stored.plural}.${stored.group}` : stored.plural);
  }
  const update = () => {
    for (const [root, name] of roots) {
      const cache = args.caches.cacheFor(root);
      if (cache) args.metrics.setStorageObjects(name, cache.size);
    }
  };
  update();
  const timer = setInterval(update, 60_000);
  timer.unref();
  args.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

function listen(server: http.Server | http2.Http2SecureServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

/** Reads the body up to `max` bytes; undefined when it is larger (the caller answers 413). */
async function readBody(req: NodeRequest, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** The client certificate chain (DER, leaf first) of a TLS request; empty when none was sent. */
function peerCertificates(req: NodeRequest): Uint8Array[] {
  const sock = req.socket as TLSSocket | undefined;
  if (!sock || typeof sock.getPeerCertificate !== 'function') return [];
  const chain: Uint8Array[] = [];
  let cert = sock.getPeerCertificate(true);
  const seen = new Set<unknown>();
  // The issuer chain ends with a self-signed certificate that points at itself.
  while (cert && cert.raw && !seen.has(cert)) {
    seen.add(cert);
    chain.push(cert.raw);
    const next = (cert as { issuerCertificate?: typeof cert }).issuerCertificate;
    if (!next || next === cert || next.raw?.equals(cert.raw)) break;
    cert = next;
  }
  return chain;
}

function writeWhole(res: NodeResponse, r: HTTPResponse, head: boolean): void {
  // Strings are written as they are (node encodes them once); only their byte length is computed here.
  const length = typeof r.body === 'string' ? Buffer.byteLength(r.body) : r.body.length;
  (res as http.ServerResponse).writeHead(r.status, { ...r.headers, 'Content-Length': String(length) });
  (res as http.ServerResponse).end(head ? undefined : r.body);
}

/**
 * The path (decoded, like Go's URL.Path: names such as "system:node%3Ax" arrive escaped) and query of a request
 * target; a 400 reply for a malformed escape.
 */
function requestTarget(rawURL: string): { path: string; query: URLSearchParams } | { error: HTTPResponse } {
  const q = rawURL.indexOf('?');
  const raw = q < 0 ? rawURL : rawURL.slice(0, q);
  try {
    return { path: decodeURIComponent(raw), query: new URLSearchParams(q < 0 ? '' : rawURL.slice(q + 1)) };
  } catch {
    return { error: errorResponse(newBadRequest(`invalid URL escape in ${JSON.stringify(raw)}`)) };
  }
}

/**
 * Serves an HTTP/1.1 Upgrade request (exec, attach, port-forward over SPDY or WebSocket) through the handler:
 * a handler that takes the connection over (the aggregator, for remote APIServices) answers 101; any other
 * answer is written to the socket, which is then closed.
 */
async function serveUpgrade(args: { handler: APIHandler; req: http.IncomingMessage; socket: Duplex; head: Buffer; stop: AbortSignal; insecurePort: boolean }): Promise<void> {
  const { req, socket } = args;
  const writeAnswer = (r: HTTPResponse) => {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.from(r.body);
    let head = `HTTP/1.1 ${r.status} ${http.STATUS_CODES[r.status] ?? ''}\r\n`;
    for (const [name, value] of Object.entries(r.headers)) head += `${name}: ${value}\r\n`;
    socket.end(Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
  };
  socket.on('error', () => socket.destroy());
  try {
    const target = requestTarget(req.url ?? '/');
    if ('error' in target) return writeAnswer(target.error);
    const connection = { peerCertificates: args.insecurePort ? [] : peerCertificates(req), insecurePort: args.insecurePort, remoteAddress: req.socket?.remoteAddress };
    const r = await args.handler(
      { method: req.method ?? 'GET', path: target.path, query: target.query, headers: req.headers as Record<string, string | string[] | undefined>, body: new Uint8Array(), connection, upgrade: { socket, head: args.head } },
      args.stop,
    );
    if (r.status === 101) return;
    if (isStreamResponse(r)) socket.destroy();
    else writeAnswer(r);
  } catch (err) {
    log.error('Upgrade request failed', err, { method: req.method, url: req.url });
    writeAnswer(errorResponse(err));
  }
}

/** Serves one node:http / node:http2 request through the socket-free handler. */
async function serveHTTP(args: { handler: APIHandler; req: NodeRequest; res: NodeResponse; maxBodyBytes: number; stop: AbortSignal; insecurePort: boolean }): Promise<void> {
  const { req, res } = args;
  const ac = new AbortController();
  const onStop = () => ac.abort();
  args.stop.addEventListener('abort', onStop, { once: true });
  // The client went away before the reply was complete (a watch ended by the client): stop the work.
  // Aborting finished requests too would cost a DOMException per request for nothing.
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  try {
    const body = await readBody(req, args.maxBodyBytes);
    if (!body) {
      writeWhole(res, errorResponse(newTooLarge(`Request entity too large: limit is ${args.maxBodyBytes}`)), false);
      return;
    }
    const target = requestTarget(req.url ?? '/');
    if ('error' in target) {
      writeWhole(res, target.error, false);
      return;
    }
    const { path, query } = target;
    const method = req.method ?? 'GET';
    const connection = { peerCertificates: args.insecurePort ? [] : peerCertificates(req), insecurePort: args.insecurePort, remoteAddress: req.socket?.remoteAddress };
    const r = await args.handler({ method, path, query, headers: req.headers as Record<string, string | string[] | undefined>, body, connection }, ac.signal);
    if (!isStreamResponse(r)) {
      writeWhole(res, r, method === 'HEAD');
      return;
    }
    (res as http.ServerResponse).writeHead(r.status, r.headers);
    // Clients (client-go's Watch) wait for the status line before reading events: send it now, not with
    // the first event, which may be far away on a quiet resource.
    (res as http.ServerResponse).flushHeaders();
    const sock = (req as http.IncomingMessage).socket;
    if (sock && typeof sock.setNoDelay === 'function') sock.setNoDelay(true);
    for await (const chunk of r.stream) {
      if (ac.signal.aborted) break;
      if (!(res as http.ServerResponse).write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            ac.signal.removeEventListener('abort', done);
            resolve();
          };
          res.on('drain', done);
          ac.signal.addEventListener('abort', done, { once: true });
        });
      }
    }
    // Ended by the server (shutdown, timeout) or by the stream: finish the response unless the client left.
    if (!res.destroyed && !res.writableEnded) (res as http.ServerResponse).end();
  } catch (err) {
    log.error('Request failed', err, { method: req.method, url: req.url });
    if (!res.headersSent) writeWhole(res, errorResponse(err), false);
    else res.destroy();
  } finally {
    args.stop.removeEventListener('abort', onStop);
  }
}
