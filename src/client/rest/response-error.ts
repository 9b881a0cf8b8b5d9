// Turns a non-2xx reply into the error client-go returns: the server's Status when the body is one,
// otherwise errors.NewGenericServerResponse's wording for the code (e.g. "the server could not find the
// requested resource (get pods foo)").
import { type GroupResource, type Status, type StatusReason, StatusError } from '../../apimachinery/errors.js';

/** What the failed request was about, for the generic messages. */
export interface RequestDescription {
  /** HTTP method, e.g. "GET". */
  method: string;
  /** Empty resource: no "(verb resource name)" suffix. */
  resource?: GroupResource;
  name?: string;
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** client-go caps the body text it copies into a generic error. */
const maxUnstructuredResponseTextBytes = 2048;

function header(headers: ErrorResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds of an integer Retry-After header (client-go's retryAfterSeconds), or undefined. */
export function retryAfterSeconds(headers: ErrorResponse['headers']): number | undefined {
  const v = header(headers, 'retry-after');
  if (v === undefined || !/^\s*[+-]?\d+\s*$/.test(v)) return undefined;
  return Number.parseInt(v, 10);
}

function decodeStatus(body: Buffer): Status | undefined {
  if (body.length === 0 || body[0] !== 0x7b /* { */) return undefined;
  try {
    const v = JSON.parse(body.toString('utf8')) as Partial<Status>;
    return v && v.kind === 'Status' ? (v as Status) : undefined;
  } catch {
    return undefined;
  }
}

/** The error for a reply with status >= 300. */
export function errorFromResponse(resp: ErrorResponse, req: RequestDescription): StatusError {
  const status = decodeStatus(resp.body);
  if (status) {
    return new StatusError({
      code: status.code || resp.status,
      reason: status.reason,
      message: status.message,
      details: status.details,
      metadata: status.metadata,
    });
  }
  // client-go's isTextResponse: no Content-Type, or any text/* media type.
  const contentType = header(resp.headers, 'content-type') ?? '';
  const isText = contentType === '' || contentType.split(';')[0]!.trim().toLowerCase().startsWith('text/');
  const text = isText ? resp.body.subarray(0, maxUnstructuredResponseTextBytes).toString('utf8').trim() : 'unknown';
  return newGenericServerResponse({ ...req, code: resp.status, serverMessage: text, retryAfterSeconds: retryAfterSeconds(resp.headers) });
}

/** upstream errors.NewGenericServerResponse for an unexpected (non-Status) response. */
export function newGenericServerResponse(opts: RequestDescription & { code: number; serverMessage: string; retryAfterSeconds?: number }): StatusError {
  const { code, serverMessage } = opts;
  let reason: StatusReason = '';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = opts.method === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 406:
      reason = 'NotAcceptable';
      message = serverMessage === '' || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage;
      break;
    case 415:
      reason = 'UnsupportedMediaType';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  const gr = opts.resource && opts.resource.resource ? opts.resource : undefined;
  if (gr) {
    const qualified = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
    message = opts.name ? `${message} (${opts.method.toLowerCase()} ${qualified} ${opts.name})` : `${message} (${opts.method.toLowerCase()} ${qualified})`;
  }
  return new StatusError({
    code,
    reason,
    message,
    details: {
      group: gr?.group,
      kind: gr?.resource,
      name: opts.name || undefined,
      causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }],
      retryAfterSeconds: opts.retryAfterSeconds,
    },
  });
}
