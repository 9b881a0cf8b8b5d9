// Decoding request bodies: objects (POST/PUT) in JSON, YAML or Kubernetes protobuf, and the patch
// documents PATCH accepts. Errors are 400/415 Status values with upstream's wording.

import { parse as parseYAML } from 'yaml';
import { decodeObjectBody as decodeBody } from '../../apimachinery/decode/body.js';
import { newBadRequest, StatusError } from '../../apimachinery/errors.js';
import { newUnsupportedMediaTypeFor, parseMediaType } from './media-type.js';

/** Decodes a `k8s\0`-enveloped protobuf body into the object's JSON form (src/api/protobuf.ts). */
export type ProtobufDecoder = (body: Uint8Array) => Record<string, unknown>;

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const patchTypes: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** The patch types this server applies (apply as server-side apply); the others are answered 415. */
export const supportedPatchTypes: readonly string[] = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** Upstream shows at most the first 30 bytes of an undecodable body. */
function summarize(text: string): string {
  return text.length > 30 ? `${text.slice(0, 30)} ...` : text;
}

export interface DecodeObjectOptions {
  contentType: string | undefined;
  body: Uint8Array;
  /** The Kind the URL expects, for error messages ("must be of type Pod"). */
  expectedKind: string;
  decodeProtobuf?: ProtobufDecoder;
}

/** A decoded object body and the strict-decoding problems (duplicate fields) fieldValidation acts on. */
export interface DecodedBody {
  object: Record<string, unknown>;
  /** Upstream's words, e.g. `duplicate field "metadata.name"`; empty for protobuf bodies. */
  strictErrors: string[];
}

/**
 * Decodes an object body (JSON and YAML through src/apimachinery/decode, protobuf through the injected
 * decoder). Anything but one JSON object (arrays, scalars, multi-document YAML, syntax errors) is a 400
 * BadRequest worded like upstream's; unknown content types are 415.
 */
export function decodeObject(opts: DecodeObjectOptions): DecodedBody {
  const media = parseMediaType(opts.contentType ?? 'application/json').type || 'application/json';
  const accepted = ['application/json', 'application/yaml'];
  if (opts.decodeProtobuf) accepted.push(protobufMediaType);
  const unrecognized = (detail: string) => newBadRequest(`the object provided is unrecognized (must be of type ${opts.expectedKind}): ${detail}`);
  if (media === protobufMediaType && opts.decodeProtobuf) {
    try {
      return { object: opts.decodeProtobuf(opts.body), strictErrors: [] };
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw unrecognized((err as Error).message);
    }
  }
  let format: 'json' | 'yaml';
  if (media === 'application/json' || media === '*/*') format = 'json';
  else if (media === 'application/yaml' || media === 'application/x-yaml' || media === 'text/yaml') format = 'yaml';
  else throw newUnsupportedMediaTypeFor(media, accepted);
  try {
    return decodeBody(opts.body, format);
  } catch (err) {
    if (err instanceof StatusError && err.code === 400) {
      throw unrecognized(`${err.message} (${summarize(textDecoder.decode(opts.body))})`);
    }
    throw err;
  }
}

/** The object of decodeObject (for bodies whose strict-decoding problems do not matter). */
export function decodeObjectBody(opts: DecodeObjectOptions): Record<string, unknown> {
  return decodeObject(opts).object;
}

/** The patch type of a PATCH request's Content-Type; 415 for anything that is not a patch type. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const media = parseMediaType(contentType ?? '').type;
  const t = patchTypes[media];
  if (!t || !supportedPatchTypes.includes(media)) throw newUnsupportedMediaTypeFor(media, [...supportedPatchTypes]);
  return t;
}

/** Parses a JSON (or, for apply patches, YAML) patch document; 400 when it is not valid. */
export function decodePatchBody(type: PatchType, body: Uint8Array): unknown {
  const text = textDecoder.decode(body);
  try {
    return type === 'apply' ? parseYAML(text) : JSON.parse(text);
  } catch (err) {
    throw newBadRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** Decodes an options body (DeleteOptions) in any of decodeObject's formats; an empty body means no options. */
export function decodeOptionalBody(opts: DecodeObjectOptions): Record<string, unknown> | undefined {
  if (opts.body.length === 0 || textDecoder.decode(opts.body).trim() === '') return undefined;
  return decodeObjectBody(opts);
}
