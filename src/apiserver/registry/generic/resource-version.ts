// resourceVersion parameters and the errors about versions the server cannot serve (too new: 504,
// too old: 410), worded as upstream's.

import { newBadRequest, newResourceExpired, newTimeout, type StatusError } from '../../../apimachinery/errors.js';

/** Parses a resourceVersion parameter; 400 when it is not a non-negative integer (upstream's wording). */
export function parseResourceVersion(rv: string): number {
  if (!/^[0-9]+$/.test(rv)) throw newBadRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
  return Number(rv);
}

/** 504 Timeout for a resourceVersion newer than the store's, as upstream's NewTooLargeResourceVersionError. */
export function newTooLargeResourceVersion(want: number, current: number): StatusError {
  const err = newTimeout(`Too large resource version: ${want}, current: ${current}`, 1);
  err.status.details = { ...err.status.details, causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] };
  return err;
}

/** 410 Expired for a watch or list at a compacted revision. */
export function newTooOldResourceVersion(want: number, oldest: number): StatusError {
  return newResourceExpired(`too old resource version: ${want} (${oldest})`);
}
