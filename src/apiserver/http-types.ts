// The plain request/response values the apiserver's handlers exchange, independent of node:http, so that
// handlers (resource endpoints, discovery, health, metrics, openapi) can be driven in tests without sockets.

/** A request as a handler sees it. `path` has no query string; `query` holds it, already parsed. */
export interface HTTPRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
}

/** A complete (non-streaming) reply. Header names should be given in their canonical case (e.g. Content-Type). */
export interface HTTPResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * A handler for paths that are not API resources (/api, /apis, /version, /healthz, /metrics, /openapi/…).
 * It returns undefined when the path is not its own, so the server can try the next one.
 */
export interface NonResourceHandler {
  handle(req: HTTPRequest): Promise<HTTPResponse | undefined>;
}
