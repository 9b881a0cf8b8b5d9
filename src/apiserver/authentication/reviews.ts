// TokenReview and SelfSubjectReview (authentication.k8s.io): a token checked by the apiserver's own
// authenticators on a client's behalf, and "who am I" (`kubectl auth whoami`).

import { newBadRequest } from '../../apimachinery/errors.js';
import { realClock, type Clock } from '../../base/clock.js';
import type { CreateOnlyResource } from '../endpoints/create-only.js';
import { newPathNotFound } from '../endpoints/status.js';
import type { APIObject } from '../registry/strategy.js';
import { invalidBearerToken } from './bearer-token.js';
import { withAuthenticatedGroup } from './authenticator.js';
import type { TokenAuthenticator, UserInfo } from './interface.js';

/** authenticationv1.UserInfo: the wire form of a user. */
export function userInfoObject(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.name };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

function rejectNamespace(body: APIObject): void {
  const ns = body.metadata?.namespace;
  if (ns) throw newBadRequest(`namespace is not allowed on this type: ${ns}`);
}

/**
 * POST tokenreviews: status.authenticated, user and audiences for spec.token, checked against spec.audiences
 * (default: the API audiences). A token nobody accepts gives authenticated false and status.error.
 */
export function tokenReviewResource(opts: { tokens?: TokenAuthenticator; clock?: Clock }): CreateOnlyResource {
  return {
    group: 'authentication.k8s.io',
    resource: 'tokenreviews',
    kind: 'TokenReview',
    async create({ body, info }) {
      if (info.apiVersion !== 'v1') throw newPathNotFound();
      rejectNamespace(body);
      const spec = (body.spec ?? {}) as { token?: string; audiences?: string[] };
      if (!spec.token) throw newBadRequest('token is required for TokenReview in authentication');
      const result = opts.tokens ? await opts.tokens.authenticateToken(spec.token, spec.audiences?.length ? spec.audiences : undefined) : undefined;
      const status: Record<string, unknown> = {};
      if (result && 'user' in result) {
        status.authenticated = true;
        status.user = userInfoObject(withAuthenticatedGroup(result.user));
        if (result.audiences?.length) status.audiences = result.audiences;
      } else {
        status.user = {};
        status.error = result?.error ?? invalidBearerToken;
      }
      // Reviews are never stored: metav1 prints their unset creationTimestamp as null.
      const metadata = { ...(body.metadata ?? {}), creationTimestamp: null } as unknown as APIObject['metadata'];
      return { obj: { ...body, kind: 'TokenReview', apiVersion: body.apiVersion ?? 'authentication.k8s.io/v1', metadata, spec, status }, status: 201 };
    },
  };
}

/** POST selfsubjectreviews (v1, and v1beta1 by the path's version): the requester's user info after impersonation. */
export function selfSubjectReviewResource(opts: { clock?: Clock } = {}): CreateOnlyResource {
  return {
    group: 'authentication.k8s.io',
    resource: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    async create({ body, user, info }) {
      // v1beta1 is what kubectl 1.27 posts (`kubectl auth whoami`); it is served here but not listed in discovery.
      if (info.apiVersion !== 'v1' && info.apiVersion !== 'v1beta1') throw newPathNotFound();
      rejectNamespace(body);
      const created = new Date(Math.floor((opts.clock ?? realClock).now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const obj: APIObject = {
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${info.apiVersion || 'v1'}`,
        metadata: { creationTimestamp: created },
        status: { userInfo: userInfoObject(user) },
      };
      return { obj, status: 201 };
    },
  };
}
