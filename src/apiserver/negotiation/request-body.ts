// Decoding request bodies: objects (POST/PUT) in JSON, YAML or Kubernetes protobuf, and the patch
// documents PATCH accepts. Errors are 400/415 Status values with upstream's wording.

import { parse as parseYAML, parseAllDocuments } from 'yaml';
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

/** The patch types this server applies (server-side apply comes later); the others are answered 415. */
export const supportedPatchTypes: readonly string[] = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

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

/**
 * Decodes an object body. Returns a plain JSON object; anything else (arrays, scalars, multi-document YAML,
 * syntax errors) is a 400 BadRequest. Unknown content types are 415.
 */
export function decodeObjectBody(opts: DecodeObjectOptions): Record<string, unknown> {
  const media = parseMediaType(opts.contentType ?? 'application/json').type || 'application/json';
  const accepted = ['application/json', 'application/yaml'];
  if (opts.decodeProtobuf) accepted.push(protobufMediaType);
  let value: unknown;
  if (media === protobufMediaType && opts.decodeProtobuf) {
    try {
      value = opts.decodeProtobuf(opts.body);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw newBadRequest(`the object provided is unrecognized (must be of type ${opts.expectedKind}): ${(err as Error).message}`);
    }
  } else if (media === 'application/json' || media === '*/*') {
    const text = textDecoder.decode(opts.body);
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw newBadRequest(
        `the object provided is unrecognized (must be of type ${opts.expectedKind}): couldn't get version/kind; json parse error: ${(err as Error).message} (${summarize(text)})`,
      );
    }
  } else if (media === 'application/yaml' || media === 'application/x-yaml' || media === 'text/yaml') {
    const text = textDecoder.decode(opts.body);
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length > 1) throw newBadRequest(`the object provided is unrecognized (must be of type ${opts.expectedKind}): yaml: expected a single document in the stream`);
    const doc = list[0];
    if (doc && doc.errors.length > 0) {
      throw newBadRequest(`the object provided is unrecognized (must be of type ${opts.expectedKind}): error converting YAML to JSON: ${doc.errors[0].message} (${summarize(text)})`);
    }
    value = doc ? doc.toJS() : null;
  } else {
    throw newUnsupportedMediaTypeFor(media, accepted);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw newBadRequest(`the object provided is unrecognized (must be of type ${opts.expectedKind}): couldn't get version/kind; json parse error: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct (${summarize(textDecoder.decode(opts.body))})`);
  }
  return value as Record<string, unknown>;
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

/** Parses a DeleteOptions body (JSON or YAML); an empty body means no options. */
export function decodeOptionalBody(contentType: string | undefined, body: Uint8Array, expectedKind: string): Record<string, unknown> | undefined {
  if (body.length === 0 || textDecoder.decode(body).trim() === '') return undefined;
  return decodeObjectBody({ contentType, body, expectedKind });
}
