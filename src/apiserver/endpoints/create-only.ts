// Resources that are only ever created and never stored (upstream's "virtual" REST storage): the
// authentication and authorization reviews and subresources such as serviceaccounts/token. The POST body
// is decoded here; the resource computes the reply (usually the body with its status filled in).

import type { UserInfo } from '../authentication/interface.js';
import type { RequestInfo } from '../request-info.js';
import type { APIObject } from '../registry/strategy.js';

export interface CreateOnlyRequest {
  info: RequestInfo;
  /** The decoded body (JSON, YAML or protobuf), kind and apiVersion checked against `kind`. */
  body: APIObject;
  /** Who asks (after impersonation). */
  user: UserInfo;
  dryRun: boolean;
  query: URLSearchParams;
}

export interface CreateOnlyResource {
  /** e.g. {group: 'authentication.k8s.io', resource: 'tokenreviews'} or {group: '', resource: 'serviceaccounts', subresource: 'token'}. */
  group: string;
  resource: string;
  /** Set for subresources of stored objects (then `info.name` names the parent). */
  subresource?: string;
  /** Kind the body must have, e.g. "TokenReview", "TokenRequest". */
  kind: string;
  /**
   * Serves one POST. Resolves with the reply object (status 201 unless given) and any warnings for the client
   * (texts for `Warning: 299 - "<text>"` headers); throws StatusError to refuse.
   */
  create(req: CreateOnlyRequest): Promise<{ obj: APIObject; status?: number; warnings?: string[] }>;
}
