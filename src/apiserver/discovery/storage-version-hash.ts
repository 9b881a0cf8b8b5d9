// storageVersionHash for discovery: an opaque, stable token per storage group/version/kind, computed the
// way upstream does (base64 of the first 8 bytes of SHA-256 over "group/version/kind"), so it matches a real
// apiserver's value for the same storage version.
import { createHash } from 'node:crypto';

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
