// The errors of strategic merge patch, with upstream's messages and the status the apiserver gives them:
// malformed directives are 400 BadRequest, lists of lists 422, and everything else upstream does not map
// (missing merge keys, unknown fields, bad $setElementOrder order…) reaches the client as a 500 with no reason.
import { StatusError } from '../../errors.js';
import type { JSONObject, JSONValue } from '../json-value.js';
import { formatGoValue, goTypeName } from './go-value.js';

function badRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}

/**
 * A Go error the apiserver did not convert, as responsewriters.ErrorToAPIStatus writes it: 500 with reason
 * Unknown, which is the empty string and so absent on the wire.
 */
export function unconvertedError(message: string): StatusError {
  return new StatusError({ code: 500, message });
}

export const errBadJSONDoc = (): StatusError => badRequest('invalid JSON document');
export const errBadPatchFormatForPrimitiveList = (): StatusError => badRequest('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): StatusError => badRequest('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): StatusError => badRequest('invalid patch format of setElementOrder list');
export const errUnsupportedStrategicMergePatchFormat = (): StatusError => badRequest('strategic merge patch format is not supported');

/** Upstream answers lists of lists with a generic 422 whose message does not mention them. */
export function errNoListOfLists(): StatusError {
  return new StatusError({
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    details: {},
  });
}

export function errNoMergeKey(m: JSONObject | undefined, mergeKey: string): StatusError {
  return unconvertedError(`map: ${formatGoValue(m ?? {})} does not contain declared merge key: ${mergeKey}`);
}

/** `expected` is a Go type name: "map[string]interface {}" or "[]interface {}". */
export function errBadArgType(expected: string, actual: JSONValue | undefined): StatusError {
  return unconvertedError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

export const mapTypeName = 'map[string]interface {}';
export const sliceTypeName = '[]interface {}';

/** Go's `%s` of a decoded value that may not be a string (`%!s(int64=1)`). */
function formatPercentS(v: JSONValue | undefined): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'object') return formatGoValue(v);
  return `%!s(${goTypeName(v)}=${formatGoValue(v)})`;
}

export function errBadPatchType(directive: JSONValue | undefined, m: JSONObject): StatusError {
  return unconvertedError(`unknown patch type: ${formatPercentS(directive)} in map: ${formatGoValue(m)}`);
}
