// The envelope of `application/vnd.kubernetes.protobuf` bodies: the 4 bytes "k8s\0", then a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}.

import { Reader, WireError, wireBytes } from './wire.js';

/** "k8s\0" */
export const protobufMagic = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** runtime.Unknown, with `raw` the object's own protobuf encoding. */
export interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const utf8 = new TextDecoder();

/** Splits a body into its envelope fields. Throws WireError (upstream's message for a missing prefix). */
export function decodeEnvelope(body: Uint8Array): Unknown {
  if (body.length < 4 || protobufMagic.some((b, i) => body[i] !== b)) {
    throw new WireError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const out: Unknown = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = new Reader(body, 4);
  while (!r.done()) {
    const tag = r.varint();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (wire !== wireBytes || num < 1 || num > 4) {
      r.skipField(wire);
      continue;
    }
    const { start, end } = r.bytes();
    if (num === 1) {
      const tm = new Reader(body, start, end);
      while (!tm.done()) {
        const t = tm.varint();
        if ((t & 7) !== wireBytes) {
          tm.skipField(t & 7);
          continue;
        }
        const b = tm.bytes();
        const text = utf8.decode(body.subarray(b.start, b.end));
        if (t >>> 3 === 1) out.apiVersion = text;
        else if (t >>> 3 === 2) out.kind = text;
      }
    } else if (num === 2) out.raw = body.subarray(start, end);
    else if (num === 3) out.contentEncoding = utf8.decode(body.subarray(start, end));
    else out.contentType = utf8.decode(body.subarray(start, end));
  }
  return out;
}
