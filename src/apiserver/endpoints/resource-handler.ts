// REST endpoints for stored resources: maps a parsed request (RequestInfo) onto the resource's
// GenericRegistry — GET, LIST, WATCH, POST, PUT, PATCH, DELETE, DELETECOLLECTION — and encodes the reply.

import type { Duplex } from 'node:stream';
import { stringify as toYAML } from 'yaml';
import { newMethodNotSupported, StatusError } from '../../apimachinery/errors.js';
import type { HTTPRequest, HTTPResponse } from '../http-types.js';
import { unsecuredUser, type ConnectionInfo, type UserInfo } from '../authentication/interface.js';
import type { AuditContext } from '../audit/auditor.js';
import type { AdmissionHooks } from '../admission/interface.js';
import type { CreateOnlyResource } from './create-only.js';
import { contentTypeOf, negotiateConversion, negotiateOutput, type OutputEncoding, type ProtobufEncoder, type ReplyConversion } from '../negotiation/media-type.js';
import { decodeObject, decodeObjectBody, decodeOptionalBody, decodePatchBody, patchTypeOf, type PatchType, type ProtobufDecoder } from '../negotiation/request-body.js';
import { parseDeleteOptions } from '../registry/generic/delete-options.js';
import { parseDryRun, parseListOptions } from '../registry/generic/list-options.js';
import type { Registries } from '../registry/generic/registries.js';
import type { GenericRegistry, ListChunk } from '../registry/generic/registry.js';
import type { APIObject } from '../registry/strategy.js';
import type { RequestInfo } from '../request-info.js';
import type { ComponentStatuses } from './component-status.js';
import { renderListTable, renderObjectTable } from '../printers/render-table.js';
import { printerFor } from '../printers/printers.js';
import type { TablePrinter } from '../printers/table.js';
import { tableContentType, tableRequestFor, type TableRequest } from '../printers/table-request.js';
import { TableWatchEncoder } from '../printers/watch-table.js';
import { errorResponse, newPathNotFound } from './status.js';
import { warningHeaderValue } from '../field-validation/field-validation.js';
import { isPodSubresourceRequest, servePodSubresource } from './pod-subresources.js';
import { isProxyRequest, serveProxy } from './proxy-subresources.js';
import { scaleApply, serveApply, trackWrite } from './server-side-apply.js';

/** A request with its body read (bounded by the server). */
export interface APIRequest extends HTTPRequest {
  body: Uint8Array;
  /** TLS facts of the connection (absent in socket-free tests). */
  connection?: ConnectionInfo;
  /** Who is asking, once the request filter has authenticated (and impersonated) it. */
  user?: UserInfo;
  /** The request's audit, only while auditing is on: the request filter reports the user and decision to it. */
  audit?: AuditContext;
  /** Time the request spent waiting on admission webhooks, which the SLI latency leaves out. */
  excludedLatency?: ExcludedLatency;
  /**
   * An HTTP/1.1 Upgrade request (SPDY, WebSocket): the client's connection and the bytes read past the request
   * head. A handler that takes the connection over answers 101 and owns the socket from then on; any other
   * answer is written to the socket by the server, which then closes it.
   */
  upgrade?: { socket: Duplex; head: Uint8Array };
}

/** Seconds of a request spent outside the apiserver's own work (admission webhook calls), summed. */
export interface ExcludedLatency {
  seconds: number;
}

/** What the admission chain is told about a write besides the objects. */
export interface AdmissionRequest {
  registry: GenericRegistry;
  user: UserInfo;
  namespace: string;
  /** From the URL; "" for creates (the object's name is in the object). */
  name: string;
  subresource: string;
  dryRun: boolean;
  /** The operation's options as upstream sends them to webhooks (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions). */
  options: Record<string, unknown>;
  /** The kind of the object written when it is not the registry's (Eviction, Binding, TokenRequest on a subresource). */
  kind?: { group: string; version: string; kind: string };
  /** Where webhook call time is added (the request's, for its SLI latency). */
  excludedLatency?: ExcludedLatency;
}

/** A streamed reply (watch): chunks are written and flushed one by one until the iterable ends. */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  stream: AsyncIterable<string>;
}

export type APIResponse = HTTPResponse | StreamResponse;

export function isStreamResponse(r: APIResponse): r is StreamResponse {
  return (r as StreamResponse).stream !== undefined;
}

/** Applies a JSON Patch or JSON Merge Patch document to an object (src/apimachinery/patch). */
export type PatchApplier = (type: PatchType, original: APIObject, patch: unknown) => APIObject;

/** Strict/Warn/Ignore unknown-field handling for write bodies (src/apiserver/field-validation). */
export type FieldValidator = (req: {
  query: URLSearchParams;
  obj: APIObject;
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';
  registry: GenericRegistry;
  /** Strict-decoding problems of the body (duplicate fields), reported before unknown fields. */
  decoderErrors?: readonly string[];
}) => {
  warnings: string[];
};

/** Serves watches; see endpoints/watch.ts. `transformFrame` rewrites each event line (e.g. into a Table event). */
export type WatchServer = (req: {
  registry: GenericRegistry;
  query: URLSearchParams;
  namespace: string;
  name: string;
  signal: AbortSignal;
  transformFrame?: (frame: string) => string;
}) => Promise<StreamResponse>;

export interface ResourceHandlerOptions {
  registries: Registries;
  decodeProtobuf?: ProtobufDecoder;
  /** Protobuf replies of built-in kinds when the client prefers them; absent = JSON/YAML only. */
  encodeProtobuf?: ProtobufEncoder;
  applyPatch?: PatchApplier;
  fieldValidator?: FieldValidator;
  watch?: WatchServer;
  /** Wall clock for Table ages (ms). */
  now?: () => number;
  /**
   * Fills upstream's defaults into a decoded body or patch result, in place (src/api/defaults), as
   * upstream's decoder does before anything else sees the object.
   */
  defaulter?: (registry: GenericRegistry, obj: APIObject) => void;
  /** The componentstatuses resource (not stored: probed on each request). */
  componentStatuses?: ComponentStatuses;
  /**
   * The admission chain for one write (src/apiserver/admission); absent = no admission. Hooks tell the
   * operation from their arguments: (obj, undefined) CREATE, (obj, old) UPDATE, (undefined, old) DELETE.
   */
  admissionFor?: (req: AdmissionRequest) => AdmissionHooks | undefined;
  /** Create-only resources (reviews, serviceaccounts/token), matched before stored resources. */
  createOnly?: readonly CreateOnlyResource[];
  /** Table printers of resources served at run time (custom resources); the built-in printers otherwise. */
  printerFor?: (r: { group: string; version: string; kind: string }) => TablePrinter | undefined;
}

function encode(obj: unknown, encoding: OutputEncoding, protobuf: ProtobufEncoder | undefined): { encoding: OutputEncoding; body: string | Uint8Array } {
  if (encoding === 'yaml') return { encoding, body: toYAML(obj) };
  if (encoding === 'protobuf' && protobuf) {
    const o = obj as Record<string, unknown>;
    // Kinds without a protobuf form (custom resources, a reply of another kind) are written as JSON, as
    // upstream falls back when the object's serializer lacks protobuf.
    if (typeof o.apiVersion === 'string' && typeof o.kind === 'string' && protobuf.has(o.apiVersion, o.kind)) {
      return { encoding, body: protobuf.encode(o) };
    }
  }
  return { encoding: 'json', body: JSON.stringify(obj) };
}

/** Options of one reply beyond its status and object. */
interface ReplyOptions {
  warnings?: string[];
  /** Needed for `encoding: 'protobuf'`; without it the reply is JSON. */
  protobuf?: ProtobufEncoder;
}

function reply(status: number, obj: unknown, encoding: OutputEncoding, opts: ReplyOptions = {}): HTTPResponse {
  const out = encode(obj, encoding, opts.protobuf);
  const headers: Record<string, string> = { 'Content-Type': contentTypeOf[out.encoding], 'Cache-Control': 'no-cache, private' };
  if (opts.warnings?.length) headers.Warning = opts.warnings.join(', ');
  return { status, headers, body: out.body };
}

/** The reply's warnings followed by those admission plugins added (already Warning header values). */
function withAdmissionWarnings(warnings: string[] | undefined, admission: AdmissionHooks | undefined): string[] {
  return admission?.warnings?.length ? [...(warnings ?? []), ...admission.warnings] : (warnings ?? []);
}

/** Builds a List body by concatenating pre-serialized items (no re-encoding on the hot path). */
export function listBody(registry: GenericRegistry, chunk: ListChunk): string {
  const metadata: Record<string, unknown> = { resourceVersion: chunk.resourceVersion };
  if (chunk.continue) metadata.continue = chunk.continue;
  if (chunk.remainingItemCount !== undefined) metadata.remainingItemCount = chunk.remainingItemCount;
  const head = `{"kind":${JSON.stringify(registry.resource.listKind)},"apiVersion":${JSON.stringify(registry.apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[`;
  return `${head}${chunk.items.join(',')}]}`;
}

function hasVerb(registry: GenericRegistry, verb: string): boolean {
  return registry.resource.verbs.includes(verb);
}

/** Verbs a subresource supports (e.g. status: get, patch, update). */
function subresourceVerbs(registry: GenericRegistry, sub: string): string[] | undefined {
  return registry.resource.subresources.find((s) => s.name === sub)?.verbs;
}

/** Subresources served by the generic registry: status, scale, and those the strategy updates (finalize). */
function isGenericSubresource(registry: GenericRegistry, sub: string): boolean {
  return sub === 'status' || (sub === 'scale' && registry.hasScale) || !!registry.strategy?.subresourceUpdates?.[sub];
}

export class ResourceHandler {
  /** The admission hooks of each write in flight, so a refusal still carries the warnings admission added. */
  private readonly admissions = new WeakMap<APIRequest, AdmissionHooks>();

  constructor(private readonly opts: ResourceHandlerOptions) {}

  /** Handles a resource request; throws StatusError for every failure (the server turns it into a Status). */
  async handle(info: RequestInfo, req: APIRequest, signal: AbortSignal): Promise<APIResponse> {
    try {
      return await this.handleResource(info, req, signal);
    } catch (err) {
      // Upstream sends admission's warnings with a refusal too (e.g. PodSecurity's warn level next to its enforce).
      const warnings = this.admissions.get(req)?.warnings;
      if (!warnings?.length || !(err instanceof StatusError)) throw err;
      const res = errorResponse(err);
      res.headers.Warning = warnings.join(', ');
      return res;
    }
  }

  private async handleResource(info: RequestInfo, req: APIRequest, signal: AbortSignal): Promise<APIResponse> {
    if (info.apiGroup === '' && info.apiVersion === 'v1' && info.resource === 'componentstatuses' && this.opts.componentStatuses) {
      return this.handleComponentStatuses(this.opts.componentStatuses, info, req, signal);
    }
    const createOnly = this.opts.createOnly?.find((c) => c.group === info.apiGroup && c.resource === info.resource && (c.subresource ?? '') === info.subresource);
    if (createOnly) return this.handleCreateOnly(createOnly, info, req);
    if (isPodSubresourceRequest(info)) return this.handlePodSubresource(info, req);
    if (isProxyRequest(info)) return serveProxy(info, this.opts.registries);
    const registry = this.opts.registries.get(info.apiGroup, info.resource, info.apiVersion);
    if (!registry) throw newPathNotFound();
    const r = registry.resource;
    // Namespaces are addressed by name, not as a namespace of their own.
    const namespace = r.namespaced ? info.namespace : '';
    // A cluster-scoped resource under /namespaces/<ns>/ does not exist; /namespaces/<name> itself is a namespace.
    const isNamespaceItself = info.resource === 'namespaces' && info.parts.length >= 2 && info.name === info.namespace;
    if (!r.namespaced && info.namespace && !isNamespaceItself) throw newPathNotFound();
    const named = info.parts.length >= 2;
    const name = named ? info.name : '';
    if (r.namespaced && !namespace && (named || info.verb === 'create' || info.verb === 'deletecollection')) throw newPathNotFound();
    if (info.parts.length > 3) throw newPathNotFound();

    // Reads may be asked for as a server-side printed Table (kubectl get) or as metadata only
    // (PartialObjectMetadata, metadata informers); writes reply with the object.
    const accept = firstHeader(req.headers.accept);
    const isRead = info.verb === 'get' || info.verb === 'list' || info.verb === 'watch';
    // Protobuf for built-in kinds; watch streams stay JSON (their protobuf framing is not written yet).
    const protobuf = { protobuf: info.verb !== 'watch' && !!this.opts.encodeProtobuf?.has(registry.apiVersion, r.kind) };
    const conversion: ReplyConversion = isRead ? negotiateConversion(accept, protobuf) : { as: 'none', encoding: negotiateOutput(accept, protobuf) };
    const table = conversion.as === 'Table' ? tableRequestFor(accept, req.query) : undefined;
    const partial = conversion.as === 'PartialObjectMetadata' || conversion.as === 'PartialObjectMetadataList' ? conversion : undefined;
    const encoding = conversion.encoding;
    const sub = info.subresource;
    if (sub) {
      const verbs = subresourceVerbs(registry, sub);
      if (!verbs || !isGenericSubresource(registry, sub)) throw newPathNotFound();
      if (!verbs.includes(info.verb)) throw newMethodNotSupported(registry.groupResource, info.verb);
    } else if (!hasVerb(registry, info.verb)) {
      throw newMethodNotSupported(registry.groupResource, info.verb);
    }

    if (sub === 'scale') return this.handleScale(registry, info.verb, namespace, name, req, encoding);

    switch (info.verb) {
      case 'get': {
        const json = await registry.getJSON({ namespace, name, resourceVersion: req.query.get('resourceVersion') ?? undefined });
        if (table) return this.tableReply(table, renderObjectTable({ ...this.tableOptions(registry, table), object: JSON.parse(json) as APIObject }));
        if (partial) {
          if (partial.as === 'PartialObjectMetadataList') throw newNotAcceptableConversion(`you requested PartialObjectMetadataList, but the requested object is not a list (*v1.${r.kind})`);
          return reply(200, asPartialObjectMetadata(JSON.parse(json) as APIObject, partial.groupVersion), encoding);
        }
        if (encoding === 'json') return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' }, body: json };
        return reply(200, JSON.parse(json), encoding, { protobuf: this.opts.encodeProtobuf });
      }
      case 'list': {
        const opts = parseListOptions(req.query, namespace, false);
        const chunk = await registry.list(opts);
        if (partial) {
          if (partial.as === 'PartialObjectMetadata') throw newNotAcceptableConversion(`you requested PartialObjectMetadata, but the requested object is a list (*v1.${r.listKind})`);
          const metadata: Record<string, unknown> = { resourceVersion: chunk.resourceVersion };
          if (chunk.continue) metadata.continue = chunk.continue;
          if (chunk.remainingItemCount !== undefined) metadata.remainingItemCount = chunk.remainingItemCount;
          const items = chunk.items.map((t) => asPartialObjectMetadata(JSON.parse(t) as APIObject, partial.groupVersion));
          return reply(200, { kind: 'PartialObjectMetadataList', apiVersion: partial.groupVersion, metadata, items }, encoding);
        }
        if (table) {
          const items = chunk.items.map((t) => JSON.parse(t) as APIObject);
          const listMeta = { resourceVersion: chunk.resourceVersion, continue: chunk.continue, remainingItemCount: chunk.remainingItemCount };
          return this.tableReply(table, renderListTable({ ...this.tableOptions(registry, table), items, listMeta }));
        }
        if (encoding === 'json') {
          return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' }, body: listBody(registry, chunk) };
        }
        return reply(200, JSON.parse(listBody(registry, chunk)), encoding, { protobuf: this.opts.encodeProtobuf });
      }
      case 'watch': {
        if (!this.opts.watch) throw newMethodNotSupported(registry.groupResource, 'watch');
        if (encoding !== 'json') throw new StatusError({ code: 406, reason: 'NotAcceptable', message: 'only the following media types are accepted: application/json' });
        let transformFrame: ((frame: string) => string) | undefined;
        if (partial) {
          transformFrame = (frame) => {
            const event = JSON.parse(frame) as { type: string; object: APIObject };
            if (event.type === 'ERROR') return frame;
            return `${JSON.stringify({ type: event.type, object: asPartialObjectMetadata(event.object, partial.groupVersion) })}\n`;
          };
        }
        if (table) {
          const encoder = new TableWatchEncoder({ ...this.tableOptions(registry, table), now: this.now });
          transformFrame = (frame) => {
            const event = JSON.parse(frame) as { type: string; object: APIObject };
            return `${JSON.stringify(encoder.encode(event))}\n`;
          };
        }
        return this.opts.watch({ registry, query: req.query, namespace, name, signal, transformFrame });
      }
      case 'create': {
        const dryRun = parseDryRun(req.query, 'CreateOptions');
        const { object: obj, strictErrors } = this.decodeBody(registry, req);
        const warnings = this.validateFields(req, obj, 'CreateOptions', registry, strictErrors);
        this.opts.defaulter?.(registry, obj);
        const tracked = trackWrite({ registry, old: undefined, obj, subresource: '', query: req.query, userAgent: firstHeader(req.headers['user-agent']), now: new Date(this.now()) });
        const admission = this.admission(req, registry, { namespace, name: '', subresource: '', dryRun, kind: 'CreateOptions' });
        const created = await registry.create({ namespace, obj: tracked, dryRun, admission, user: req.user });
        return reply(201, created, encoding, { warnings: withAdmissionWarnings(warnings, admission), protobuf: this.opts.encodeProtobuf });
      }
      case 'update': {
        const dryRun = parseDryRun(req.query, 'UpdateOptions');
        const { object: obj, strictErrors } = this.decodeBody(registry, req);
        const warnings = this.validateFields(req, obj, 'UpdateOptions', registry, strictErrors);
        this.opts.defaulter?.(registry, obj);
        const userAgent = firstHeader(req.headers['user-agent']);
        const track = (old: APIObject | undefined, next: APIObject) => trackWrite({ registry, old, obj: next, subresource: sub, query: req.query, userAgent, now: new Date(this.now()) });
        const admission = this.admission(req, registry, { namespace, name, subresource: sub, dryRun, kind: 'UpdateOptions' });
        const res = await registry.update({ namespace, name, obj, subresource: sub, dryRun, track, admission });
        return reply(res.created ? 201 : 200, res.obj, encoding, { warnings: withAdmissionWarnings(warnings, admission), protobuf: this.opts.encodeProtobuf });
      }
      case 'patch': {
        const dryRun = parseDryRun(req.query, 'PatchOptions');
        const type = patchTypeOf(firstHeader(req.headers['content-type']));
        const patch = decodePatchBody(type, req.body);
        const admission = this.admission(req, registry, { namespace, name, subresource: sub, dryRun, kind: 'PatchOptions' });
        if (type === 'apply') {
          const res = await serveApply({
            registry,
            namespace,
            name,
            subresource: sub,
            dryRun,
            patch,
            query: req.query,
            now: new Date(this.now()),
            admission,
            prepare: (obj) => {
              const applyWarnings = this.validateFields(req, obj, 'PatchOptions', registry);
              this.opts.defaulter?.(registry, obj);
              return applyWarnings;
            },
          });
          return reply(res.status, res.obj, encoding, { warnings: withAdmissionWarnings(res.warnings, admission), protobuf: this.opts.encodeProtobuf });
        }
        const applyPatch = this.opts.applyPatch;
        if (!applyPatch) throw newMethodNotSupported(registry.groupResource, 'patch');
        let warnings: string[] = [];
        const obj = await registry.patch({
          namespace,
          name,
          subresource: sub,
          dryRun,
          setsResourceVersion: patchSetsResourceVersion(type, patch),
          admission,
          apply: (current) => {
            const old = structuredClone(current);
            const patched = applyPatch(type, current, patch);
            warnings = this.validateFields(req, patched, 'PatchOptions', registry);
            this.opts.defaulter?.(registry, patched);
            return trackWrite({ registry, old, obj: patched, subresource: sub, query: req.query, userAgent: firstHeader(req.headers['user-agent']), now: new Date(this.now()) });
          },
        });
        return reply(200, obj, encoding, { warnings: withAdmissionWarnings(warnings, admission), protobuf: this.opts.encodeProtobuf });
      }
      case 'delete': {
        const body = this.decodeOptions(req, 'DeleteOptions');
        const options = parseDeleteOptions(body, req.query);
        const admission = this.admission(req, registry, { namespace, name, subresource: '', dryRun: !!options.dryRun?.length, kind: 'DeleteOptions', options });
        const res = await registry.delete({ namespace, name, options, admission });
        const status = !res.deleted && options.orphanDependents === false ? 202 : 200;
        if ((!res.deleted && !res.pending) || registry.returnsDeletedObject) return reply(status, res.obj, encoding, { protobuf: this.opts.encodeProtobuf });
        const details: Record<string, unknown> = { name, kind: r.plural, uid: res.obj.metadata?.uid };
        if (r.group) details.group = r.group;
        return reply(status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, encoding, { protobuf: this.opts.encodeProtobuf });
      }
      case 'deletecollection': {
        const body = this.decodeOptions(req, 'DeleteOptions');
        const options = parseDeleteOptions(body, req.query);
        const list = parseListOptions(req.query, namespace, false);
        const admission = this.admission(req, registry, { namespace, name: '', subresource: '', dryRun: !!options.dryRun?.length, kind: 'DeleteOptions', options });
        const items = await registry.deleteCollection({ list, options, admission });
        return reply(200, { kind: r.listKind, apiVersion: registry.apiVersion, metadata: {}, items }, encoding, { protobuf: this.opts.encodeProtobuf });
      }
      default:
        throw newMethodNotSupported(registry.groupResource, info.verb || req.method);
    }
  }

  /** GET/PUT/PATCH of the autoscaling/v1 Scale subresource. */
  private async handleScale(registry: GenericRegistry, verb: string, namespace: string, name: string, req: APIRequest, encoding: OutputEncoding): Promise<APIResponse> {
    if (verb === 'get') return reply(200, await registry.getScale({ namespace, name }), encoding, { protobuf: this.opts.encodeProtobuf });
    if (verb === 'update') {
      const dryRun = parseDryRun(req.query, 'UpdateOptions');
      const body = decodeObjectBody({ contentType: firstHeader(req.headers['content-type']), body: req.body, expectedKind: 'Scale', decodeProtobuf: this.opts.decodeProtobuf }) as APIObject;
      const scale = await registry.updateScale({ namespace, name, dryRun, conditional: !!body.metadata?.resourceVersion, scaleFrom: () => body, track: this.scaleTracker(registry, req) });
      return reply(200, scale, encoding, { protobuf: this.opts.encodeProtobuf });
    }
    if (verb === 'patch') {
      const dryRun = parseDryRun(req.query, 'PatchOptions');
      const type = patchTypeOf(firstHeader(req.headers['content-type']));
      const patch = decodePatchBody(type, req.body);
      if (type === 'apply') {
        const applied = scaleApply({ registry, patch, query: req.query, now: new Date(this.now()) });
        const scale = await registry.updateScale({
          namespace,
          name,
          dryRun,
          conditional: applied.conditional,
          scaleFrom: (current) => ({ ...current, spec: { ...(current.spec as object), replicas: applied.replicas ?? (current.spec as { replicas?: number } | undefined)?.replicas } }),
          track: applied.track,
        });
        return reply(200, scale, encoding, { protobuf: this.opts.encodeProtobuf });
      }
      const applyPatch = this.opts.applyPatch;
      if (!applyPatch) throw newMethodNotSupported(registry.groupResource, 'patch');
      const scale = await registry.updateScale({
        namespace,
        name,
        dryRun,
        conditional: patchSetsResourceVersion(type, patch),
        scaleFrom: (current) => applyPatch(type, current, patch),
        track: this.scaleTracker(registry, req),
      });
      return reply(200, scale, encoding, { protobuf: this.opts.encodeProtobuf });
    }
    throw newMethodNotSupported(registry.groupResource, verb);
  }

  /**
   * Records a write through /scale in the parent's managedFields, as upstream's scale handler does: an Update
   * entry of the writer with `subresource: scale` that owns the replicas field it changed (`f:spec.f:replicas`,
   * or a custom resource's specReplicasPath), taken from whoever owned it before.
   */
  private scaleTracker(registry: GenericRegistry, req: APIRequest): (old: APIObject, next: APIObject) => APIObject {
    const userAgent = firstHeader(req.headers['user-agent']);
    return (old, next) => trackWrite({ registry, old, obj: next, subresource: 'scale', query: req.query, userAgent, now: new Date(this.now()) });
  }

  /** POST of a create-only resource; other verbs are 405 as upstream (these resources only implement create). */
  private async handleCreateOnly(c: CreateOnlyResource, info: RequestInfo, req: APIRequest): Promise<APIResponse> {
    const gr = { group: c.group, resource: c.subresource ? `${c.resource}/${c.subresource}` : c.resource };
    if (info.verb !== 'create') throw newMethodNotSupported(gr, info.verb);
    const dryRun = parseDryRun(req.query, 'CreateOptions');
    const d = decodeObject({ contentType: firstHeader(req.headers['content-type']), body: req.body, expectedKind: c.kind, decodeProtobuf: this.opts.decodeProtobuf });
    const body = d.object as APIObject;
    await this.admitSubresourceCreate(req, info, body, { group: c.group, version: info.apiVersion, kind: c.kind });
    const res = await c.create({ info, body, user: req.user ?? unsecuredUser, dryRun, query: req.query });
    return reply(res.status ?? 201, res.obj, negotiateOutput(firstHeader(req.headers.accept), { protobuf: !!this.opts.encodeProtobuf }), { warnings: res.warnings?.map(warningHeaderValue), protobuf: this.opts.encodeProtobuf });
  }

  /**
   * Admission of a create on a subresource served outside the generic registry (pods/eviction, pods/binding,
   * serviceaccounts/token): upstream admits these like any create, with the subresource's kind. Mutations are
   * applied to `body` in place.
   */
  private async admitSubresourceCreate(req: APIRequest, info: RequestInfo, body: APIObject, objectKind: NonNullable<AdmissionRequest['kind']>): Promise<void> {
    const parent = info.subresource ? this.opts.registries.get(info.apiGroup, info.resource, info.apiVersion) : undefined;
    if (!parent) return;
    const dryRun = parseDryRun(req.query, 'CreateOptions');
    const hooks = this.admission(req, parent, { namespace: info.namespace, name: info.name, subresource: info.subresource, dryRun, kind: 'CreateOptions', objectKind });
    await hooks?.mutate(body, undefined);
    await hooks?.validate(body, undefined);
  }

  /** pods/binding, pods/eviction, the `bindings` resource and the kubelet connections (endpoints/pod-subresources.ts). */
  private async handlePodSubresource(info: RequestInfo, req: APIRequest): Promise<APIResponse> {
    if (info.verb === 'create' && (info.subresource === 'eviction' || info.subresource === 'binding')) {
      const kind = info.subresource === 'eviction' ? { group: 'policy', version: 'v1', kind: 'Eviction' } : { group: '', version: 'v1', kind: 'Binding' };
      const body = decodeObject({ contentType: firstHeader(req.headers['content-type']), body: req.body, expectedKind: kind.kind, decodeProtobuf: this.opts.decodeProtobuf }).object as APIObject;
      await this.admitSubresourceCreate(req, info, body, kind);
      // What admission let through (and possibly changed) is what the subresource handler reads.
      req = { ...req, body: Buffer.from(JSON.stringify(body)), headers: { ...req.headers, 'content-type': 'application/json' } };
    }
    const res = await servePodSubresource({
      info,
      req,
      registries: this.opts.registries,
      decodeProtobuf: this.opts.decodeProtobuf,
      contentType: firstHeader(req.headers['content-type']),
      now: this.opts.now,
    });
    if (res.text !== undefined) return { status: res.status, headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' }, body: res.text };
    return reply(res.status, res.body, negotiateOutput(firstHeader(req.headers.accept), { protobuf: !!this.opts.encodeProtobuf }), { protobuf: this.opts.encodeProtobuf });
  }

  private async handleComponentStatuses(cs: ComponentStatuses, info: RequestInfo, req: APIRequest, signal: AbortSignal): Promise<APIResponse> {
    if (info.namespace || info.subresource || info.parts.length > 2) throw newPathNotFound();
    const gr = { group: '', resource: 'componentstatuses' };
    if (info.verb !== 'get' && info.verb !== 'list') throw newMethodNotSupported(gr, info.verb);
    const accept = firstHeader(req.headers.accept);
    const table = tableRequestFor(accept, req.query);
    const encoding = table ? table.encoding : negotiateOutput(accept);
    const tableOpts = table && { printer: printerFor({ group: '', version: 'v1', kind: 'ComponentStatus' }), includeObject: table.includeObject, groupVersion: table.groupVersion, now: this.now() };
    let res: HTTPResponse;
    if (info.verb === 'get' && info.parts.length === 2) {
      const obj = await cs.get(info.name, signal);
      res = table && tableOpts ? this.tableReply(table, renderObjectTable({ ...tableOpts, object: obj })) : reply(200, obj, encoding);
    } else {
      const list = await cs.list(signal);
      res = table && tableOpts ? this.tableReply(table, renderListTable({ ...tableOpts, items: list.items as APIObject[] })) : reply(200, list, encoding);
    }
    // Upstream marks the whole resource deprecated; kubectl prints this as "Warning: …".
    res.headers.Warning = '299 - "v1 ComponentStatus is deprecated in v1.19+"';
    return res;
  }

  /** The admission hooks of one write, with upstream's options object (kind, apiVersion, dryRun, fieldManager). */
  private admission(
    req: APIRequest,
    registry: GenericRegistry,
    w: {
      namespace: string;
      name: string;
      subresource: string;
      dryRun: boolean;
      kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';
      options?: object;
      objectKind?: AdmissionRequest['kind'];
    },
  ): AdmissionHooks | undefined {
    if (!this.opts.admissionFor) return undefined;
    const options: Record<string, unknown> = { kind: w.kind, apiVersion: 'meta.k8s.io/v1', ...(w.options ?? {}) };
    const fieldManager = req.query.get('fieldManager');
    if (fieldManager && w.kind !== 'DeleteOptions') options.fieldManager = fieldManager;
    if (w.dryRun) options.dryRun = ['All'];
    const hooks = this.opts.admissionFor({ registry, user: req.user ?? unsecuredUser, namespace: w.namespace, name: w.name, subresource: w.subresource, dryRun: w.dryRun, options, kind: w.objectKind, excludedLatency: req.excludedLatency });
    if (hooks) this.admissions.set(req, hooks);
    return hooks;
  }

  private get now(): () => number {
    return this.opts.now ?? Date.now;
  }

  private tableOptions(registry: GenericRegistry, table: TableRequest) {
    return { printer: this.opts.printerFor?.(registry.resource) ?? printerFor(registry.resource), includeObject: table.includeObject, groupVersion: table.groupVersion, now: this.now() };
  }

  private tableReply(table: TableRequest, body: unknown): HTTPResponse {
    const text = table.encoding === 'yaml' ? toYAML(body) : JSON.stringify(body);
    return { status: 200, headers: { 'Content-Type': tableContentType(table), 'Cache-Control': 'no-cache, private' }, body: text };
  }

  /** An options body (DeleteOptions): JSON, YAML or protobuf (client-go's typed clients send protobuf). */
  private decodeOptions(req: APIRequest, kind: string): Record<string, unknown> | undefined {
    return decodeOptionalBody({ contentType: firstHeader(req.headers['content-type']), body: req.body, expectedKind: kind, decodeProtobuf: this.opts.decodeProtobuf });
  }

  private decodeBody(registry: GenericRegistry, req: APIRequest): { object: APIObject; strictErrors: string[] } {
    const d = decodeObject({
      contentType: firstHeader(req.headers['content-type']),
      body: req.body,
      expectedKind: registry.resource.kind,
      decodeProtobuf: this.opts.decodeProtobuf,
    });
    return { object: d.object as APIObject, strictErrors: d.strictErrors };
  }

  private validateFields(
    req: APIRequest,
    obj: APIObject,
    optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
    registry: GenericRegistry,
    decoderErrors: readonly string[] = [],
  ): string[] {
    return this.opts.fieldValidator?.({ query: req.query, obj, optionsKind, registry, decoderErrors }).warnings ?? [];
  }
}

/** Whether a patch document sets metadata.resourceVersion (making it a precondition). */
export function patchSetsResourceVersion(type: PatchType, patch: unknown): boolean {
  if (type === 'json') {
    return Array.isArray(patch) && patch.some((op) => op && typeof op === 'object' && (op as { path?: unknown }).path === '/metadata/resourceVersion' && (op as { op?: unknown }).op !== 'test');
  }
  const meta = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  return !!meta && typeof meta === 'object' && typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '';
}

/** upstream meta.AsPartialObjectMetadata: only the metadata, under the negotiated meta.k8s.io version. */
export function asPartialObjectMetadata(obj: APIObject, groupVersion: string): APIObject {
  return { kind: 'PartialObjectMetadata', apiVersion: groupVersion, metadata: obj.metadata ?? {} };
}

function newNotAcceptableConversion(message: string): StatusError {
  return new StatusError({ code: 406, reason: 'NotAcceptable', message });
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
