// The `pod-template-hash` label value that names a Deployment's ReplicaSets (`web-5d4c8b7f9`): upstream's
// ComputeHash shape — 32-bit FNV-1a over the pod template plus the collision count, printed in decimal and
// mapped onto a vowel-free alphabet (SafeEncodeString) — so names look like upstream's.
//
// Upstream feeds FNV a Go-specific dump of the template struct (spew); we feed it the template as JSON with
// sorted keys. The values therefore differ from a real cluster's for the same template, but they are stable,
// deterministic, and change exactly when the template (or the collision count) changes.
import type { PodTemplateSpec } from '../../../api/generated/core/v1.js';

/** The label (and ReplicaSet name suffix) that tells a Deployment's revisions apart. */
export const podTemplateHashLabel = 'pod-template-hash';

/** 32-bit FNV-1a, fed incrementally. */
export class FNV32a {
  private h = 0x811c9dc5;

  write(bytes: Uint8Array): this {
    let h = this.h;
    for (const b of bytes) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    this.h = h;
    return this;
  }

  sum32(): number {
    return this.h >>> 0;
  }
}

/** Consonants and digits that cannot spell words or be confused (upstream rand.SafeEncodeString). */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every byte of `s` onto `alphanums`. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += alphanums[b % alphanums.length];
  return out;
}

/** JSON with object keys sorted at every level, so equal templates always serialise identically. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
}

/**
 * The hash of `template` (without any pod-template-hash label it may carry) and `collisionCount`: the
 * count, when set, is appended as 8 little-endian bytes, so bumping it after a name collision gives a new name.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const hasher = new FNV32a().write(Buffer.from(canonicalJSON(template ?? {}), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    hasher.write(bytes);
  }
  return safeEncodeString(String(hasher.sum32()));
}
