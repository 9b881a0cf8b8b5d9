// The edge where every failure becomes a metav1.Status reply: StatusErrors as they are, storage errors
// mapped to their upstream codes, anything else a 500 InternalError.

import { newInternalError, newResourceExpired, newServiceUnavailable, StatusError, type Status } from '../../apimachinery/errors.js';
import { isStorageError } from '../../storage/interface.js';
import type { HTTPResponse } from '../http-types.js';
import { newTooLargeResourceVersion } from '../registry/generic/resource-version.js';

/** The message upstream uses for paths and resources it does not serve. */
export const notFoundMessage = 'the server could not find the requested resource';

export function newPathNotFound(): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: notFoundMessage, details: {} });
}

/** Maps any thrown value to a StatusError. */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  if (isStorageError(err)) {
    switch (err.code) {
      case 'Compacted':
        return newResourceExpired(`The resourceVersion for the provided list is too old.`);
      case 'FutureRevision':
        return newTooLargeResourceVersion(0, err.revision ?? 0);
      case 'Unavailable':
        return newServiceUnavailable(err.message);
      default:
        return newInternalError(err);
    }
  }
  return newInternalError(err);
}

export function statusResponse(status: Status): HTTPResponse {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  const retry = status.details?.retryAfterSeconds;
  if (retry && (status.code === 429 || status.code >= 500)) headers['Retry-After'] = String(retry);
  return { status: status.code, headers, body: JSON.stringify(status) };
}

export function errorResponse(err: unknown): HTTPResponse {
  return statusResponse(toStatusError(err).status);
}
