// Decoding a whole protobuf request body into the object's JSON form, given a message table: the
// envelope names the kind, the table names its message, the decoder does the rest.

import { newBadRequest, newUnsupportedMediaType } from '../errors.js';
import { decodeMessageValue } from './decode.js';
import { decodeEnvelope } from './envelope.js';
import { kindKey, type CompiledTable } from './table.js';
import { WireError } from './wire.js';

/**
 * Decodes a `k8s\0`-enveloped body to `{apiVersion, kind, ...fields}` as the object's JSON would be.
 * Throws 400 BadRequest for malformed bodies and kinds the table does not know, 415 for envelopes
 * whose payload is not protobuf (a content type or encoding we do not handle).
 */
export function decodeProtobufBody(table: CompiledTable, body: Uint8Array): Record<string, unknown> {
  try {
    const env = decodeEnvelope(body);
    if ((env.contentType && env.contentType !== 'application/vnd.kubernetes.protobuf') || env.contentEncoding) {
      throw newUnsupportedMediaType(`${env.contentType || 'application/vnd.kubernetes.protobuf'}; encoding=${env.contentEncoding}`);
    }
    if (!env.kind || !env.apiVersion) throw newBadRequest("Object 'Kind' is missing in protobuf body");
    const slash = env.apiVersion.indexOf('/');
    const group = slash >= 0 ? env.apiVersion.slice(0, slash) : '';
    const version = slash >= 0 ? env.apiVersion.slice(slash + 1) : env.apiVersion;
    const index = table.kinds.get(kindKey(group, version, env.kind));
    if (index === undefined) {
      throw newBadRequest(`no kind "${env.kind}" is registered for version "${env.apiVersion}" in the protobuf table`);
    }
    const obj = decodeMessageValue(table, index, env.raw, 0, env.raw.length) as Record<string, unknown>;
    return { apiVersion: env.apiVersion, kind: env.kind, ...obj };
  } catch (err) {
    if (err instanceof WireError) throw newBadRequest(`unable to decode protobuf body: ${err.message}`);
    throw err;
  }
}
