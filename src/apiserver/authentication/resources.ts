// What authentication adds to the API surface: the create-only resources (serviceaccounts/token,
// TokenReview, SelfSubjectReview) and the service-account issuer discovery documents.

import type { CreateOnlyResource } from '../endpoints/create-only.js';
import type { NonResourceHandler } from '../http-types.js';
import type { SecurityContext } from '../security-context.js';
import { authenticationFor } from './authenticator.js';
import { jwksPath, newOIDCDiscoveryHandler } from './oidc-discovery.js';
import { selfSubjectReviewResource, tokenReviewResource } from './reviews.js';
import { ServiceAccountTokenGenerator } from './service-account-token.js';
import { tokenRequestResource } from './token-request.js';

/**
 * TokenReview and SelfSubjectReview always; serviceaccounts/token when a signing key and an issuer are
 * configured (upstream does not install the subresource otherwise, so it is a 404).
 */
export async function authenticationResources(ctx: SecurityContext): Promise<CreateOnlyResource[]> {
  const authn = await authenticationFor(ctx);
  const resources: CreateOnlyResource[] = [tokenReviewResource({ tokens: authn.tokens }), selfSubjectReviewResource()];
  const issuer = ctx.options.serviceAccountIssuers?.[0];
  if (authn.keys.signingKey && issuer) {
    const generator = new ServiceAccountTokenGenerator({ issuer, privateKey: authn.keys.signingKey });
    resources.push(
      tokenRequestResource({
        registries: ctx.registries,
        generator,
        apiAudiences: authn.apiAudiences,
        maxExpirationSeconds: ctx.options.serviceAccountMaxTokenExpirationSeconds,
        extendExpiration: ctx.options.serviceAccountExtendTokenExpiration ?? true,
      }),
    );
  }
  return resources;
}

/** /.well-known/openid-configuration and /openid/v1/jwks, when the first issuer is an https URL. */
export async function serviceAccountIssuerDiscovery(ctx: SecurityContext): Promise<NonResourceHandler | undefined> {
  const issuer = ctx.options.serviceAccountIssuers?.[0];
  if (!issuer) return undefined;
  const authn = await authenticationFor(ctx);
  const o = ctx.options;
  const host = o.advertiseAddress || (o.bindAddress && o.bindAddress !== '0.0.0.0' && o.bindAddress !== '::' ? o.bindAddress : '127.0.0.1');
  const hostPort = host.includes(':') ? `[${host}]:${o.securePort}` : `${host}:${o.securePort}`;
  return newOIDCDiscoveryHandler({ issuer, jwksURI: o.serviceAccountJWKSURI || `https://${hostPort}${jwksPath}`, keys: authn.keys.verifyKeys });
}
