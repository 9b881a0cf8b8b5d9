// Small builders for the replies of the non-resource handlers (discovery, openapi, version): JSON bodies
// and metav1.Status errors, shaped as upstream writes them.
import { StatusError } from '../../apimachinery/errors.js';
import type { HTTPResponse } from '../http-types.js';

/** A 200 (or `status`) reply with a JSON body. */
export function jsonResponse(body: unknown, headers: Record<string, string> = {}, status = 200): HTTPResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** The reply carrying a StatusError's metav1.Status. */
export function statusResponse(err: StatusError): HTTPResponse {
  return { status: err.code, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(err.status) };
}

/** Upstream's 404 for a path nothing serves. */
export function notFoundResponse(): HTTPResponse {
  return statusResponse(
    new StatusError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} }),
  );
}

/** 405 for a method a non-resource path does not support. */
export function methodNotAllowedResponse(): HTTPResponse {
  return statusResponse(
    new StatusError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} }),
  );
}

/** 406 when no media type in Accept can be produced. */
export function notAcceptableResponse(accepted: string[]): HTTPResponse {
  return statusResponse(
    new StatusError({ code: 406, reason: 'NotAcceptable', message: `only the following media types are accepted: ${accepted.join(', ')}` }),
  );
}

/** A header's value; repeated headers (arrays from node:http) are joined with ", " as HTTP allows. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
