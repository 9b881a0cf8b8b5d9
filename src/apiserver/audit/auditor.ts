// Auditing of API requests (upstream's WithAudit filter and audit.k8s.io/v1 Event): one RequestAudit per
// request collects the user, the authorization decision and the outcome, and writes the events the policy asks
// for — RequestReceived, ResponseStarted (streams), ResponseComplete or Panic — as JSON lines.

import { randomUUID } from 'node:crypto';
import { parse as parseYAML } from 'yaml';
import { realClock, type Clock } from '../../base/clock.js';
import type { UserInfo } from '../authentication/interface.js';
import type { AuthorizationResult } from '../authorization/interface.js';
import type { HTTPResponse } from '../http-types.js';
import type { RequestInfo } from '../request-info.js';
import type { AuditSink } from './log-backend.js';
import type { AuditAttributes, Level, RequestAuditConfig, Stage } from './policy.js';

/** The user as an audit event shows it (authentication/v1 UserInfo). */
export interface EventUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** audit.k8s.io/v1 Event, fields in upstream's order. */
export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: Level;
  auditID: string;
  stage: Stage;
  requestURI: string;
  verb: string;
  user: EventUser;
  impersonatedUser?: EventUser;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: ObjectReference;
  responseStatus?: Record<string, unknown>;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** What the request filter tells the audit of a request (upstream sets these on the request's audit context). */
export interface AuditContext {
  /** The requestor once authenticated; the policy is evaluated with it and RequestReceived is written. First call wins. */
  authenticated(user: UserInfo | undefined): void;
  /** The user the request acts as after Impersonate-* headers. */
  impersonated(user: UserInfo): void;
  /** The authorizer's answer: annotations authorization.k8s.io/decision and authorization.k8s.io/reason. */
  authorized(result: AuthorizationResult): void;
}

/** The request facts an audit needs, independent of the HTTP layer. */
export interface AuditedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  /** The peer's address (absent in socket-free tests). */
  connection?: { remoteAddress?: string };
}

/** A complete or streamed reply, as the api handler has it. */
export type AuditedResponse = HTTPResponse | { status: number; headers: Record<string, string>; stream: AsyncIterable<string> };

export interface AuditorOptions {
  evaluate: (a: AuditAttributes) => RequestAuditConfig;
  sink: AuditSink;
  clock?: Clock;
  /** For protobuf request and response bodies (kubectl 1.32+); without it they are not logged as objects. */
  decodeProtobuf?: ProtobufDecoder;
}

/** Go's metav1.MicroTime: RFC 3339 with exactly six fractional digits, UTC. */
export function microTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // Rounded: ms carries float noise (…678.9 is 678.8999…); never rolls into the next second.
  const micros = Math.min(999_999, Math.round((ms - seconds * 1000) * 1000));
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

const levelRank: Record<Level, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

function eventUser(u: UserInfo | undefined): EventUser {
  if (!u) return {};
  return { username: u.name, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups.length ? { groups: u.groups } : {}), ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) };
}

const header = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

/** upstream utilnet.SourceIPs: X-Forwarded-For, then X-Real-Ip, then the peer address, without duplicates. */
function sourceIPs(req: AuditedRequest): string[] {
  const ips: string[] = [];
  const add = (ip: string | undefined) => {
    const v = ip?.trim().replace(/^::ffff:/, '');
    if (v && !ips.includes(v)) ips.push(v);
  };
  for (const ip of (header(req.headers['x-forwarded-for']) ?? '').split(',')) add(ip);
  add(header(req.headers['x-real-ip']));
  add(req.connection?.remoteAddress);
  return ips;
}

/** Decodes an `application/vnd.kubernetes.protobuf` body of a built-in kind. */
export type ProtobufDecoder = (body: Uint8Array) => Record<string, unknown>;

/**
 * Decodes a JSON, YAML or (with a decoder) protobuf body for requestObject/responseObject; undefined for other
 * media types and malformed bodies.
 */
function decodeBody(body: Uint8Array | string, contentType: string | undefined, decodeProtobuf?: ProtobufDecoder): unknown {
  if (body.length === 0) return undefined;
  try {
    if (contentType?.includes('protobuf')) return typeof body !== 'string' && decodeProtobuf ? decodeProtobuf(body) : undefined;
    const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    if (!contentType || contentType.includes('json')) return JSON.parse(text);
    if (contentType.includes('yaml')) return parseYAML(text);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Removes metadata.managedFields from an object and the items of a list (omitManagedFields). */
function withoutManagedFields(obj: unknown): unknown {
  if (!obj || typeof obj !== 'object') return obj;
  const o = obj as { metadata?: Record<string, unknown>; items?: unknown[] };
  let out: Record<string, unknown> = o as Record<string, unknown>;
  if (o.metadata && 'managedFields' in o.metadata) {
    const { managedFields: _dropped, ...metadata } = o.metadata;
    out = { ...out, metadata };
  }
  if (Array.isArray(o.items)) out = { ...out, items: o.items.map(withoutManagedFields) };
  return out;
}

/** responseStatus: {metadata, code} for success; a Status reply's status/message/reason/details for failure. */
function responseStatus(res: AuditedResponse, decodeProtobuf: ProtobufDecoder | undefined): Record<string, unknown> {
  if (res.status < 400 || !('body' in res)) return { metadata: {}, code: res.status };
  const s = decodeBody(res.body, res.headers['Content-Type'], decodeProtobuf) as { kind?: string; status?: string; message?: string; reason?: string; details?: unknown } | undefined;
  if (s?.kind !== 'Status') return { metadata: {}, code: res.status };
  return { metadata: {}, status: s.status, message: s.message, reason: s.reason, ...(s.details ? { details: s.details } : {}), code: res.status };
}

/** The audit of one request. */
export class RequestAudit implements AuditContext {
  readonly auditID: string;
  private config: RequestAuditConfig | undefined;
  private user: UserInfo | undefined;
  private impersonatedUser: UserInfo | undefined;
  private readonly annotations: Record<string, string> = {};
  private readonly received: number;
  private objectRef: ObjectReference | undefined;

  constructor(
    private readonly auditor: Auditor,
    private readonly req: AuditedRequest,
    private readonly info: RequestInfo,
  ) {
    this.received = auditor.clock.now();
    this.auditID = header(req.headers['audit-id']) || randomUUID();
  }

  authenticated(user: UserInfo | undefined): void {
    if (this.config) return;
    this.user = user;
    this.config = this.auditor.evaluate({ user, info: this.info });
    this.emit('RequestReceived');
  }

  impersonated(user: UserInfo): void {
    this.impersonatedUser = user;
  }

  authorized(result: AuthorizationResult): void {
    this.annotations['authorization.k8s.io/decision'] = result.decision === 'allow' ? 'allow' : 'forbid';
    this.annotations['authorization.k8s.io/reason'] = result.reason;
  }

  /**
   * Writes the final events and returns the reply with the Audit-Id header. A stream gets ResponseStarted now
   * and ResponseComplete when it ends; `panic` (an unexpected error) writes Panic instead of ResponseComplete.
   */
  finish<R extends AuditedResponse>(res: R, panic?: unknown): R {
    this.authenticated(this.user);
    const out = { ...res, headers: { ...res.headers, 'Audit-Id': this.auditID } };
    if (panic !== undefined) {
      this.emit('Panic', { metadata: {}, status: 'Failure', message: `APIServer panic'd: ${(panic as Error)?.message ?? String(panic)}`, reason: 'InternalError', code: 500 });
      return out;
    }
    if (!('stream' in res)) {
      this.emit('ResponseComplete', responseStatus(res, this.auditor.decodeProtobuf), res);
      return out;
    }
    this.emit('ResponseStarted', responseStatus(res, this.auditor.decodeProtobuf));
    const inner = res.stream;
    const complete = () => this.emit('ResponseComplete', responseStatus(res, this.auditor.decodeProtobuf));
    return {
      ...out,
      stream: (async function* () {
        try {
          yield* inner;
        } finally {
          complete();
        }
      })(),
    };
  }

  private decoded: { value: unknown } | undefined;

  /** The request body of a resource request, decoded once (JSON or YAML); undefined without one. */
  private requestObject(): unknown {
    if (!this.info.isResourceRequest || this.req.body.length === 0) return undefined;
    this.decoded ??= { value: decodeBody(this.req.body, header(this.req.headers['content-type']), this.auditor.decodeProtobuf) };
    return this.decoded.value;
  }

  private objectReference(requestObject: unknown): ObjectReference | undefined {
    if (!this.info.isResourceRequest) return undefined;
    if (this.objectRef) return this.objectRef;
    const i = this.info;
    // As upstream's LogRequestObject: a create names its object (and may name its namespace) in the body.
    const meta = (requestObject as { metadata?: { name?: string; namespace?: string } } | undefined)?.metadata;
    const namespace = i.namespace || meta?.namespace;
    const name = i.name || meta?.name;
    const ref: ObjectReference = {
      resource: i.resource,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
      ...(i.apiGroup ? { apiGroup: i.apiGroup } : {}),
      apiVersion: i.apiVersion,
      ...(i.subresource ? { subresource: i.subresource } : {}),
    };
    this.objectRef = ref;
    return ref;
  }

  private emit(stage: Stage, status?: Record<string, unknown>, res?: HTTPResponse): void {
    const config = this.config;
    if (!config || config.level === 'None' || config.omitStages.has(stage)) return;
    const rank = levelRank[config.level];
    const requestObject = this.requestObject();
    const strip = (o: unknown) => (config.omitManagedFields ? withoutManagedFields(o) : o);
    const responseObject = rank >= levelRank.RequestResponse && res ? decodeBody(res.body, res.headers['Content-Type'], this.auditor.decodeProtobuf) : undefined;
    const query = this.req.query.toString();
    const event: AuditEvent = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: config.level,
      auditID: this.auditID,
      stage,
      requestURI: `${encodeURI(this.req.path)}${query ? `?${query}` : ''}`,
      verb: this.info.verb,
      user: eventUser(this.user),
      ...(this.impersonatedUser ? { impersonatedUser: eventUser(this.impersonatedUser) } : {}),
      sourceIPs: sourceIPs(this.req),
      ...(header(this.req.headers['user-agent']) ? { userAgent: header(this.req.headers['user-agent']) } : {}),
      ...(this.info.isResourceRequest ? { objectRef: this.objectReference(requestObject) } : {}),
      ...(status ? { responseStatus: status } : {}),
      ...(rank >= levelRank.Request && requestObject !== undefined ? { requestObject: strip(requestObject) } : {}),
      ...(responseObject !== undefined ? { responseObject: strip(responseObject) } : {}),
      requestReceivedTimestamp: microTime(this.received),
      stageTimestamp: microTime(this.auditor.clock.now()),
      ...(Object.keys(this.annotations).length ? { annotations: { ...this.annotations } } : {}),
    };
    this.auditor.sink.write(`${JSON.stringify(event)}\n`);
  }
}

/** Audits requests with a policy evaluator and a sink; built once per server when auditing is on. */
export class Auditor {
  readonly evaluate: AuditorOptions['evaluate'];
  readonly sink: AuditSink;
  readonly clock: Clock;
  readonly decodeProtobuf: ProtobufDecoder | undefined;

  constructor(opts: AuditorOptions) {
    this.evaluate = opts.evaluate;
    this.sink = opts.sink;
    this.clock = opts.clock ?? realClock;
    this.decodeProtobuf = opts.decodeProtobuf;
  }

  begin(req: AuditedRequest, info: RequestInfo): RequestAudit {
    return new RequestAudit(this, req, info);
  }
}
