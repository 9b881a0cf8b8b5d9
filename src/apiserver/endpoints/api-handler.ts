// The apiserver's request handler without sockets: parses the path into a RequestInfo, sends resource
// requests to the ResourceHandler and everything else to the non-resource handlers, and records metrics.
// Tests drive it directly; server.ts puts it behind HTTP/1.1, HTTP/2 and TLS.

import { StatusError } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import type { NonResourceHandler } from '../http-types.js';
import { discardMetrics, dryRunLabel, reportedVerb, type APIServerMetrics } from '../metrics/interface.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { unsecuredUser, type UserInfo } from '../authentication/interface.js';
import { firstHeader, isStreamResponse, type APIRequest, type APIResponse, type ResourceHandler } from './resource-handler.js';
import { errorResponse, newPathNotFound, statusResponse } from './status.js';
import type { Auditor } from '../audit/auditor.js';

const log = klog.withName('api-handler.ts');

/**
 * Authentication, impersonation and authorization of one request (upstream's handler filter chain). Returns
 * the user the request acts as, or throws a StatusError: 401 Unauthorized, 403 Forbidden.
 */
export type RequestFilter = (info: RequestInfo, req: APIRequest) => Promise<UserInfo>;

export interface APIHandlerOptions {
  resources: ResourceHandler;
  /** Absent, or for requests on the insecure port: every request acts as unsecuredUser. */
  filter?: RequestFilter;
  /** Tried in order for non-resource paths; the first answer wins. */
  nonResource: readonly NonResourceHandler[];
  metrics?: APIServerMetrics;
  /** --audit-policy-file + --audit-log-path; absent: auditing is off and costs nothing. */
  auditor?: Auditor;
  /**
   * The aggregator (src/apiserver/aggregator), asked first once the request is authenticated and authorized:
   * it answers requests for remote APIServices and the merged /apis, and resolves undefined for the rest.
   */
  aggregator?: (info: RequestInfo, req: APIRequest, signal: AbortSignal) => Promise<APIResponse | undefined>;
}

/** upstream maxinflight's read-only verbs; every other verb counts as mutating. */
const nonMutatingVerbs: ReadonlySet<string> = new Set(['get', 'list', 'watch']);
/** Subresources whose requests stream (long-running, like watches). */
const longRunningSubresources: ReadonlySet<string> = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);

export type APIHandler = (req: APIRequest, signal: AbortSignal) => Promise<APIResponse>;

/** Builds the handler. It never throws: every failure is a Status reply. */
export function createAPIServerHandler(opts: APIHandlerOptions): APIHandler {
  const metrics = opts.metrics ?? discardMetrics;
  return async (req, signal) => {
    const started = performance.now();
    req.excludedLatency = { seconds: 0 };
    const info = parseRequestInfo(req.method, req.path, req.query);
    // Long-running requests (watches, streams) are not "in flight" in upstream's sense.
    const longRunningRequest = info.verb === 'watch' || info.verb === 'watchlist' || longRunningSubresources.has(info.subresource);
    const executing = longRunningRequest ? undefined : metrics.requestExecuting(nonMutatingVerbs.has(info.verb) ? 'readOnly' : 'mutating');
    // The filter reports the requestor and the authorization decision to req.audit; the outcome is added below.
    const audit = opts.auditor?.begin(req, info);
    if (audit) req.audit = audit;
    let panic: unknown;
    let res: APIResponse;
    try {
      req.user = opts.filter && !req.connection?.insecurePort ? await opts.filter(info, req) : unsecuredUser;
      audit?.authenticated(req.user);
      const aggregated = opts.aggregator ? await opts.aggregator(info, req, signal) : undefined;
      if (aggregated) {
        res = aggregated;
      } else if (info.isResourceRequest) {
        res = await opts.resources.handle(info, req, signal);
      } else {
        let found: APIResponse | undefined;
        for (const h of opts.nonResource) {
          found = await h.handle(req);
          if (found) break;
        }
        res = found ?? statusResponse(newPathNotFound().status);
      }
    } catch (err) {
      res = errorResponse(err);
      // Expected failures are Status errors; anything else is a bug or an I/O failure worth a log line.
      if (!(err instanceof StatusError) && res.status >= 500) {
        log.error('Internal error', err, { method: req.method, path: req.path });
        panic = err;
      }
    }
    const labels = {
      verb: reportedVerb({ method: req.method, requestVerb: info.verb, subresource: info.subresource, contentType: firstHeader(req.headers['content-type']) }),
      dryRun: dryRunLabel(req.query),
      group: info.apiGroup,
      version: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      scope: !info.isResourceRequest ? '' : info.name || info.verb === 'create' ? 'resource' : info.namespace ? 'namespace' : 'cluster',
    };
    if (isStreamResponse(res)) {
      const inner = res.stream;
      const longRunning = { verb: labels.verb, group: labels.group, version: labels.version, resource: labels.resource, subresource: labels.subresource, scope: labels.scope };
      const status = res.status;
      res = {
        ...res,
        stream: (async function* () {
          metrics.watchStarted(longRunning);
          try {
            yield* inner;
          } finally {
            metrics.watchEnded(longRunning);
            metrics.observeRequest({ ...labels, code: status, seconds: (performance.now() - started) / 1000 });
          }
        })(),
      };
    } else {
      const seconds = (performance.now() - started) / 1000;
      const longRunning = labels.verb === 'CONNECT' || labels.verb === 'WATCH';
      metrics.observeRequest({ ...labels, code: res.status, seconds, sliSeconds: longRunning ? undefined : seconds - req.excludedLatency.seconds });
    }
    executing?.();
    return audit ? audit.finish(res, panic) : res;
  };
}
