// The request filter chain of the secure port (upstream DefaultBuildHandlerChain, the security part):
// authentication → impersonation → authorization. Its result is the user the request acts as.

import { StatusError } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import { authenticationFor, type Authentication } from '../authentication/authenticator.js';
import type { Authorizer } from '../authorization/interface.js';
import { newAuthorizer } from '../authorization/modes.js';
import type { RequestFilter } from '../endpoints/api-handler.js';
import type { SecurityContext } from '../security-context.js';
import { attributesFor, newForbiddenFor } from './authorization-attributes.js';
import { impersonate } from './impersonation.js';

const log = klog.withName('request-filter.ts');

/** Upstream's 401: the body says only "Unauthorized", whatever the cause (which is logged). */
export function newUnauthorized(): StatusError {
  return new StatusError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
}

export interface RequestFilterDeps {
  /** Built from the flags when absent (authenticationFor). */
  authentication?: Authentication;
  /** The --authorization-mode chain when absent (newAuthorizer). */
  authorizer?: Authorizer;
}

/**
 * Builds the filter from the apiserver's flags. Each request is authenticated (401 when a credential is
 * invalid or, without --anonymous-auth, missing), impersonation headers are authorized and applied (403),
 * and the result is authorized for the request's attributes (403 with upstream's message).
 */
export async function buildRequestFilter(ctx: SecurityContext, deps: RequestFilterDeps = {}): Promise<RequestFilter> {
  const authentication = deps.authentication ?? (await authenticationFor(ctx));
  const authorizer = deps.authorizer ?? (await newAuthorizer(ctx)).authorizer;
  return async (info, req) => {
    const authn = await authentication.request.authenticate(req);
    if ('error' in authn) {
      log.v(4).info('Unable to authenticate the request', { err: authn.error, path: req.path });
      throw newUnauthorized();
    }
    // Auditing sees the requestor (upstream audits between authentication and impersonation), then the outcome.
    req.audit?.authenticated(authn.user);
    const user = await impersonate({ requestor: authn.user, headers: req.headers, authorizer });
    if (user !== authn.user) req.audit?.impersonated(user);
    const attrs = attributesFor(user, info);
    const decision = await authorizer.authorize(attrs);
    req.audit?.authorized(decision);
    if (decision.decision !== 'allow') {
      log.v(5).info('Forbidden', { user: user.name, verb: info.verb, path: req.path, reason: decision.reason });
      throw newForbiddenFor(attrs, decision.reason);
    }
    return user;
  };
}
