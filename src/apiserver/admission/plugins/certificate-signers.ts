// Who may approve or sign CertificateSigningRequests of a signer (upstream certificates admission
// IsAuthorizedForSignerName): the verb on `signers` in certificates.k8s.io named after the signer, or its
// domain wildcard ("example.com/*").

import type { UserInfo } from '../../authentication/interface.js';
import type { Authorizer } from '../../authorization/interface.js';

export async function isAuthorizedForSignerName(authorizer: Authorizer, user: UserInfo, verb: 'approve' | 'sign', signerName: string): Promise<boolean> {
  const attrs = (name: string) => ({ user, verb, isResourceRequest: true, path: '', namespace: '', apiGroup: 'certificates.k8s.io', apiVersion: '*', resource: 'signers', subresource: '', name });
  if ((await authorizer.authorize(attrs(signerName))).decision === 'allow') return true;
  const slash = signerName.indexOf('/');
  if (slash < 0) return false;
  return (await authorizer.authorize(attrs(`${signerName.slice(0, slash)}/*`))).decision === 'allow';
}
