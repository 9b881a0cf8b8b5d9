// What the resource client needs from the REST client: JSON requests and streams with Status errors.
// Kept apart from rest-client.ts so the two do not import each other.
import type { RawRequest } from './interface.js';
import type { RequestDescription } from './response-error.js';
import type { TransportResponse } from './transport.js';

/** A request as the resource client builds it: the raw request of the Interface. */
export type ClientRequest = RawRequest;

export interface Requester {
  /** Sends a request and decodes its JSON reply; rejects with a StatusError for statuses >= 300. */
  json<R>(req: ClientRequest, about: Omit<RequestDescription, 'method'>): Promise<R>;
  /** Opens a streaming reply; statuses >= 300 reject with a StatusError, a 2xx reply is the caller's. */
  stream(req: ClientRequest, about: Omit<RequestDescription, 'method'>): Promise<TransportResponse>;
}
