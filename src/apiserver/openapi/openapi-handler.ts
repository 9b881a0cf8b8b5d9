// Serves /openapi/v3 (the root listing every group-version with a content hash), /openapi/v3/<api|apis/g>/<v>
// (one OpenAPI 3.0 document each) and /openapi/v2 (Swagger 2.0 as JSON, or gnostic protobuf for kubectl
// 1.27/1.28). Each document is built on first request and kept as bytes until the source changes.
import { createHash } from 'node:crypto';
import { headerValue, methodNotAllowedResponse, notAcceptableResponse, notFoundResponse } from '../discovery/responses.js';
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from '../http-types.js';
import { groupVersionDocument, groupVersionKey, publishedGroupVersions, swaggerDocument, type OpenAPISource } from './documents.js';
import { encodeSwaggerProtobuf } from './swagger-protobuf.js';

interface Cached {
  body: Uint8Array;
  /** Upper-case hex SHA-512 of the body, unquoted (kube-openapi's ETag and `hash` value). */
  etag: string;
}

/** The media types of /openapi/v2: JSON, and gnostic protobuf under both spellings clients send. */
const v2ProtobufTypes = new Set(['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf']);
/** The protobuf content type we answer with: the "." spelling; Go's mime parser rejects the "@" one. */
const v2ProtobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function cache(body: string | Uint8Array): Cached {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: bytes, etag: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
}

/** Accept ranges in preference order (q, then position), without parameters other than q. */
function acceptedTypes(accept: string | undefined): string[] {
  const text = accept && accept.trim() ? accept : '*/*';
  return text
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { type: (type ?? '').trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((r) => r.type);
}

const jsonMatches = (t: string) => t === 'application/json' || t === 'application/*' || t === '*/*';

/**
 * The OpenAPI endpoints, with kube-openapi's caching contract: every document has an ETag (the quoted
 * SHA-512 of its bytes) and a matching If-None-Match gets 304. A group-version URL whose `hash` differs from
 * the current one is redirected (301) to the current URL; with the current hash the reply is immutable
 * (Cache-Control: public, immutable; Expires in a year), so clients' disk caches stay correct because the
 * root's URLs change whenever a document does.
 */
export class OpenAPIHandler implements NonResourceHandler {
  private source: OpenAPISource;
  private readonly groupVersions = new Map<string, Cached>();
  private root: Cached | undefined;
  private swaggerJSON: Cached | undefined;
  private swaggerProtobuf: Cached | undefined;
  private lastModified = new Date();

  constructor(source: OpenAPISource, private readonly now: () => Date = () => new Date()) {
    this.source = source;
    this.lastModified = now();
  }

  /** Replaces what is published (e.g. a CRD was added); documents are rebuilt on their next request. */
  setSource(source: OpenAPISource): void {
    this.source = source;
    this.groupVersions.clear();
    this.root = undefined;
    this.swaggerJSON = undefined;
    this.swaggerProtobuf = undefined;
    this.lastModified = this.now();
  }

  /**
   * Builds every document now (about 0.1 s for the built-in API on this machine kind) instead of on first
   * request, e.g. right after the server becomes ready, so no client request pays for it.
   */
  warm(): void {
    this.rootDocument();
    this.swaggerJSON ??= cache(JSON.stringify(swaggerDocument(this.source)));
    this.swaggerProtobuf ??= cache(encodeSwaggerProtobuf(swaggerDocument(this.source)));
  }

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    const path = req.path.replace(/\/+$/, '');
    if (path !== '/openapi/v2' && path !== '/openapi/v3' && !path.startsWith('/openapi/v3/')) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowedResponse();
    if (path === '/openapi/v2') return this.serveV2(req);
    if (path === '/openapi/v3') return this.serve(req, this.rootDocument(), { 'Content-Type': 'application/json' });
    return this.serveGroupVersion(req, path.slice('/openapi/v3/'.length));
  }

  /** The /openapi/v3 root: `{"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}}}`. */
  private rootDocument(): Cached {
    if (!this.root) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gv of publishedGroupVersions(this.source.resources)) {
        const key = groupVersionKey(gv);
        const doc = this.groupVersionDocument(key);
        if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.etag}` };
      }
      this.root = cache(JSON.stringify({ paths }));
    }
    return this.root;
  }

  private groupVersionDocument(key: string): Cached | undefined {
    let doc = this.groupVersions.get(key);
    if (doc) return doc;
    const gv = publishedGroupVersions(this.source.resources).find((g) => groupVersionKey(g) === key);
    if (!gv) return undefined;
    doc = cache(JSON.stringify(groupVersionDocument(gv, this.source)));
    this.groupVersions.set(key, doc);
    return doc;
  }

  private serveGroupVersion(req: HTTPRequest, key: string): HTTPResponse {
    const doc = this.groupVersionDocument(key);
    if (!doc) return notFoundResponse();
    if (!acceptedTypes(headerValue(req.headers, 'accept')).some(jsonMatches)) return notAcceptableResponse(['application/json']);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Vary: 'Accept' };
    const hash = req.query.get('hash');
    if (hash) {
      if (hash !== doc.etag) {
        return { status: 301, headers: { Location: `/openapi/v3/${key}?hash=${doc.etag}`, ETag: `"${doc.etag}"`, Vary: 'Accept' }, body: '' };
      }
      headers['Cache-Control'] = 'public, immutable';
      const expires = this.now();
      expires.setUTCFullYear(expires.getUTCFullYear() + 1);
      headers.Expires = expires.toUTCString();
    }
    return this.serve(req, doc, headers);
  }

  private serveV2(req: HTTPRequest): HTTPResponse {
    for (const type of acceptedTypes(headerValue(req.headers, 'accept'))) {
      if (jsonMatches(type)) {
        this.swaggerJSON ??= cache(JSON.stringify(swaggerDocument(this.source)));
        return this.serve(req, this.swaggerJSON, { 'Content-Type': 'application/json', Vary: 'Accept' });
      }
      if (v2ProtobufTypes.has(type)) {
        this.swaggerProtobuf ??= cache(encodeSwaggerProtobuf(swaggerDocument(this.source)));
        return this.serve(req, this.swaggerProtobuf, { 'Content-Type': v2ProtobufContentType, Vary: 'Accept' });
      }
    }
    return notAcceptableResponse(['application/json', v2ProtobufContentType]);
  }

  /** Writes a cached document with its ETag and Last-Modified, or 304 when the client already has it. */
  private serve(req: HTTPRequest, doc: Cached, headers: Record<string, string>): HTTPResponse {
    const all = { ...headers, ETag: `"${doc.etag}"`, 'Last-Modified': this.lastModified.toUTCString() };
    const ifNoneMatch = headerValue(req.headers, 'if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === all.ETag || t.trim() === '*')) {
      return { status: 304, headers: all, body: '' };
    }
    return { status: 200, headers: all, body: req.method === 'HEAD' ? '' : doc.body };
  }
}
