// StatusError: the one error type that carries a metav1.Status to the client.
// Build errors with the new* constructors; test them with the is* predicates, never by message.

/** metav1.StatusCause */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status, as it travels on the wire. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** The metav1.StatusReason values upstream uses, spelled as on the wire. */
export type StatusReason =
  | ''
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'StoreReadError'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable';

/** Identifies the resource an error is about: `{group, resource}` as upstream's schema.GroupResource. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An error whose payload is a metav1.Status. Thrown across layers and written verbatim by the apiserver. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & { metadata?: Status['metadata'] }) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: status.metadata ?? {},
      status: 'Failure',
      message: status.message,
      reason: status.reason,
      details: status.details,
      code: status.code,
    };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function newNotFound(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 404,
    reason: 'NotFound',
    message: `${qualified(gr)} "${name}" not found`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualified(gr)} "${name}" already exists`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** 409 Conflict, e.g. a stale resourceVersion on update. `detail` completes upstream's sentence. */
export function newConflict(gr: GroupResource, name: string, detail: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${detail}`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** The message upstream uses for optimistic-concurrency failures. */
export const optimisticLockErrorMsg = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid with one cause per field error. `kind` is the object's Kind (e.g. "Deployment"). */
export function newInvalid(
  gk: { group: string; kind: string },
  name: string,
  causes: Array<{ type: string; field: string; detail: string }>,
): StatusError {
  const list = causes.map((c) => `${c.field}: ${c.detail}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const kindName = gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
  return new StatusError({
    code: 422,
    reason: 'Invalid',
    message: `${kindName} "${name}" is invalid: ${summary}`,
    details: {
      name,
      group: gk.group,
      kind: gk.kind,
      causes: causes.map((c) => ({ reason: c.type, message: c.detail, field: c.field })),
    },
  });
}

export function newBadRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}

export function newForbidden(gr: GroupResource, name: string, message: string): StatusError {
  const subject = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return new StatusError({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} is forbidden: ${message}`,
    details: { name: name || undefined, group: gr.group, kind: gr.resource },
  });
}

export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: `${action} is not supported on resources of kind "${qualified(gr)}"`,
    details: { group: gr.group, kind: gr.resource },
  });
}

/** 410 Gone / Expired, used for too-old resourceVersions and expired continue tokens. */
export function newResourceExpired(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Expired', message });
}

export function newGone(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Gone', message });
}

export function newTooLarge(message: string): StatusError {
  return new StatusError({ code: 413, reason: 'RequestEntityTooLarge', message });
}

export function newUnsupportedMediaType(contentType: string): StatusError {
  return new StatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  });
}

export function newNotAcceptable(message: string): StatusError {
  return new StatusError({ code: 406, reason: 'NotAcceptable', message });
}

export function newInternalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${text}`,
    details: { causes: [{ message: text }] },
  });
}

export function newTimeout(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError({ code: 504, reason: 'Timeout', message, details: { retryAfterSeconds } });
}

export function newServiceUnavailable(message: string): StatusError {
  return new StatusError({ code: 503, reason: 'ServiceUnavailable', message });
}

export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError({ code: 429, reason: 'TooManyRequests', message, details: { retryAfterSeconds } });
}

function reasonOf(err: unknown): StatusReason | undefined {
  return err instanceof StatusError ? err.status.reason : undefined;
}

export const isNotFound = (err: unknown): boolean => reasonOf(err) === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err) === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonOf(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonOf(err) === 'Invalid';
export const isBadRequest = (err: unknown): boolean => reasonOf(err) === 'BadRequest';
export const isForbidden = (err: unknown): boolean => reasonOf(err) === 'Forbidden';
export const isMethodNotSupported = (err: unknown): boolean => reasonOf(err) === 'MethodNotAllowed';
export const isResourceExpired = (err: unknown): boolean => reasonOf(err) === 'Expired' || reasonOf(err) === 'Gone';
export const isStatusError = (err: unknown): err is StatusError => err instanceof StatusError;
