// The claims of a legacy, secret-based service account token (upstream pkg/serviceaccount LegacyClaims):
// flat `kubernetes.io/serviceaccount/*` claims, issuer `kubernetes/serviceaccount`, no expiry.

/** The issuer the apiserver's legacy token authenticator accepts. */
export const legacyIssuer = 'kubernetes/serviceaccount';

export interface LegacyTokenSubject {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  secretName: string;
}

/** The claims set, keys in upstream's order. */
export function legacyClaims(s: LegacyTokenSubject): Record<string, string> {
  return {
    iss: legacyIssuer,
    'kubernetes.io/serviceaccount/namespace': s.namespace,
    'kubernetes.io/serviceaccount/secret.name': s.secretName,
    'kubernetes.io/serviceaccount/service-account.name': s.serviceAccountName,
    'kubernetes.io/serviceaccount/service-account.uid': s.serviceAccountUID,
    sub: `system:serviceaccount:${s.namespace}:${s.serviceAccountName}`,
  };
}
