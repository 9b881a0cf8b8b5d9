// Media types: parsing Content-Type and Accept headers, and choosing the encoding of a reply.
// Replies are JSON, YAML, or protobuf for kinds that have a protobuf form (built-ins), as the client prefers.

import { StatusError } from '../../apimachinery/errors.js';

export interface MediaType {
  /** e.g. "application/json", lower case, without parameters. */
  type: string;
  params: Record<string, string>;
}

/** Parses one media range such as `application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function parseMediaType(text: string): MediaType {
  const [head, ...rest] = text.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: head.trim().toLowerCase(), params };
}

/** The encodings replies can be written in. */
export type OutputEncoding = 'json' | 'yaml' | 'protobuf';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

export const contentTypeOf: Readonly<Record<OutputEncoding, string>> = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: protobufMediaType,
};

const servedOutputTypes = ['application/json', 'application/yaml', protobufMediaType];

/** Writes objects of the kinds that have a protobuf form as `application/vnd.kubernetes.protobuf` bodies. */
export interface ProtobufEncoder {
  has(apiVersion: string, kind: string): boolean;
  /** The enveloped body ("k8s\0" + runtime.Unknown); throws for values that do not fit the kind's schema. */
  encode(obj: Record<string, unknown>): Uint8Array;
}

/** What the reply being negotiated can be written as. */
export interface NegotiationOptions {
  /**
   * The reply has a protobuf form (a built-in kind, not a custom resource or a watch stream): only then
   * does an Accept range for `application/vnd.kubernetes.protobuf` match; otherwise it is skipped.
   */
  protobuf?: boolean;
}

function encodingFor(m: MediaType, opts: NegotiationOptions = {}): OutputEncoding | undefined {
  // Conversions (as=Table, as=PartialObjectMetadata…) are not served: skipping them lets the client's own
  // fallback (kubectl always lists plain application/json last) take over, as with an upstream server
  // that lacks the conversion.
  if (m.params.as !== undefined) return undefined;
  switch (m.type) {
    case 'application/json':
    case 'application/*':
    case '*/*':
    case '*':
      return 'json';
    case 'application/yaml':
      return 'yaml';
    case protobufMediaType:
      return opts.protobuf && m.params.stream === undefined ? 'protobuf' : undefined;
    default:
      return undefined;
  }
}

/**
 * Chooses the reply encoding from an Accept header: the acceptable range with the highest `q`, ties broken
 * by order. No header means JSON. Nothing acceptable → 406 NotAcceptable (upstream's wording).
 */
export function negotiateOutput(accept: string | undefined, opts: NegotiationOptions = {}): OutputEncoding {
  if (!accept || !accept.trim()) return 'json';
  const ranges = accept
    .split(',')
    .map((r, i) => {
      const m = parseMediaType(r);
      const q = m.params.q === undefined ? 1 : Number(m.params.q);
      delete m.params.q;
      return { m, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    const enc = encodingFor(r.m, opts);
    if (enc) return enc;
  }
  throw new StatusError({
    code: 406,
    reason: 'NotAcceptable',
    message: `only the following media types are accepted: ${servedOutputTypes.join(', ')}`,
  });
}

/** 415 UnsupportedMediaType naming what is accepted, as upstream's negotiation.NewUnsupportedMediaTypeError. */
export function newUnsupportedMediaTypeFor(contentType: string, accepted: string[]): StatusError {
  return new StatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    details: { causes: contentType ? [{ reason: 'UnexpectedServerResponse', message: contentType }] : undefined },
  });
}

/** A conversion of the reply that the client asked for in its Accept header (`as=…;g=meta.k8s.io;v=…`). */
export type ReplyConversion =
  | { as: 'none'; encoding: OutputEncoding }
  | { as: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList'; encoding: OutputEncoding; groupVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1' };

const conversions = new Set(['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);

/**
 * The first range of an Accept header (by q, then order) this server can serve: a plain JSON/YAML reply or
 * one of the meta.k8s.io conversions (Table, PartialObjectMetadata[List]) in v1 or v1beta1. Ranges for other
 * conversions or media types are skipped; none servable → 406.
 */
export function negotiateConversion(accept: string | undefined, opts: NegotiationOptions = {}): ReplyConversion {
  if (!accept || !accept.trim()) return { as: 'none', encoding: 'json' };
  const ranges = accept
    .split(',')
    .map((r, i) => {
      const m = parseMediaType(r);
      const q = m.params.q === undefined ? 1 : Number(m.params.q);
      return { m, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { m } of ranges) {
    const { as, g, v } = m.params;
    const plain = as === undefined && g === undefined && v === undefined;
    // Conversions are written as JSON here (their protobuf forms are not encoded yet).
    const encoding = encodingFor({ type: m.type, params: m.params.stream ? { stream: m.params.stream } : {} }, plain ? opts : {});
    if (!encoding) continue;
    if (plain) return { as: 'none', encoding };
    if (as && conversions.has(as) && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
      return { as: as as 'Table', encoding, groupVersion: `meta.k8s.io/${v}` };
    }
  }
  throw new StatusError({
    code: 406,
    reason: 'NotAcceptable',
    message: `only the following media types are accepted: ${servedOutputTypes.join(', ')}`,
  });
}
