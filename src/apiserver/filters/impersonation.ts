// Impersonation (upstream endpoints/filters/impersonation.go): Impersonate-User, -Group, -Uid and -Extra-*
// headers, each one authorized as verb `impersonate` before the request acts as the impersonated user.

import { StatusError } from '../../apimachinery/errors.js';
import { anonymousUser, systemAuthenticated, systemUnauthenticated, type UserInfo } from '../authentication/interface.js';
import { parseServiceAccountUsername, serviceAccountGroups, serviceAccountUsername } from '../authentication/service-account-token.js';
import type { Attributes, Authorizer } from '../authorization/interface.js';
import type { HTTPRequest } from '../http-types.js';
import { newForbiddenFor } from './authorization-attributes.js';

export const impersonateUserHeader = 'impersonate-user';
export const impersonateUIDHeader = 'impersonate-uid';
export const impersonateGroupHeader = 'impersonate-group';
export const impersonateExtraHeaderPrefix = 'impersonate-extra-';

/** One thing the requestor asks to act as; each is authorized on its own. */
interface ImpersonationRequest {
  apiGroup: string;
  resource: 'users' | 'serviceaccounts' | 'groups' | 'userextras' | 'uids';
  namespace: string;
  name: string;
  /** userextras: the extra key. */
  subresource: string;
}

/**
 * The values of a repeatable header. node:http and node:http2 join repeated headers into one value with
 * ", ", so a joined value is split again (a group name with ", " in it cannot be impersonated).
 */
function headerValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(', ')).filter((s) => s !== '');
}

/** A header that is not repeatable: its first value, undefined when absent or empty. */
function singleValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === '' ? undefined : s;
}

/** Percent-decoding of extra keys as Go's url.PathUnescape; the raw key when it is not valid. */
function unescapeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The impersonation requests in `headers`, in upstream's order (user or service account, groups, extras,
 * uid); empty when the request impersonates nobody. Throws a 500 as upstream when groups, extras or a uid
 * come without a user.
 */
export function impersonationRequests(headers: HTTPRequest['headers']): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];
  const user = singleValue(headers[impersonateUserHeader]);
  if (user !== undefined) {
    const sa = parseServiceAccountUsername(user);
    requests.push(sa ? { apiGroup: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name, subresource: '' } : { apiGroup: '', resource: 'users', namespace: '', name: user, subresource: '' });
  }
  for (const group of headerValues(headers[impersonateGroupHeader])) {
    requests.push({ apiGroup: '', resource: 'groups', namespace: '', name: group, subresource: '' });
  }
  const extraHeaders = Object.keys(headers)
    .filter((h) => h.startsWith(impersonateExtraHeaderPrefix))
    .sort();
  for (const h of extraHeaders) {
    const key = unescapeKey(h.slice(impersonateExtraHeaderPrefix.length)).toLowerCase();
    for (const value of headerValues(headers[h])) {
      requests.push({ apiGroup: 'authentication.k8s.io', resource: 'userextras', namespace: '', name: value, subresource: key });
    }
  }
  const uid = singleValue(headers[impersonateUIDHeader]);
  if (uid !== undefined) requests.push({ apiGroup: 'authentication.k8s.io', resource: 'uids', namespace: '', name: uid, subresource: '' });
  if (user === undefined && requests.length > 0) {
    const what = [...new Set(requests.map((r) => r.resource))].join(', ');
    throw new StatusError({ code: 500, reason: 'InternalError', message: `Internal error occurred: requested impersonation of ${what} without impersonating a user`, details: { causes: [{ message: `requested impersonation of ${what} without impersonating a user` }] } });
  }
  return requests;
}

/**
 * The user the request acts as: `requestor` when nothing is impersonated, else the impersonated user once
 * every part is allowed (the Impersonate-* headers are then removed from `headers`). Throws 403 Forbidden
 * (upstream's message for the part that was denied).
 */
export async function impersonate(args: { requestor: UserInfo; headers: HTTPRequest['headers']; authorizer: Authorizer }): Promise<UserInfo> {
  const requests = impersonationRequests(args.headers);
  if (requests.length === 0) return args.requestor;
  // As upstream: the headers are consumed here, so nothing downstream sees (or forwards) them.
  for (const h of Object.keys(args.headers)) {
    if (h === impersonateUserHeader || h === impersonateUIDHeader || h === impersonateGroupHeader || h.startsWith(impersonateExtraHeaderPrefix)) delete args.headers[h];
  }
  let name = '';
  let uid: string | undefined;
  const groups: string[] = [];
  const extra: Record<string, string[]> = {};
  const groupsSpecified = requests.some((r) => r.resource === 'groups');
  for (const r of requests) {
    const attrs: Attributes = {
      user: args.requestor,
      verb: 'impersonate',
      isResourceRequest: true,
      path: '',
      namespace: r.namespace,
      apiGroup: r.apiGroup,
      apiVersion: 'v1',
      resource: r.resource,
      subresource: r.subresource,
      name: r.name,
    };
    switch (r.resource) {
      case 'serviceaccounts':
        name = serviceAccountUsername(r.namespace, r.name);
        // A service account's groups follow from its name; they are added unless groups were asked for.
        if (!groupsSpecified) groups.push(...serviceAccountGroups(r.namespace));
        break;
      case 'users':
        name = r.name;
        break;
      case 'groups':
        groups.push(r.name);
        break;
      case 'userextras':
        (extra[r.subresource] ??= []).push(r.name);
        break;
      case 'uids':
        uid = r.name;
        break;
    }
    const decision = await args.authorizer.authorize(attrs);
    if (decision.decision !== 'allow') throw newForbiddenFor(attrs, decision.reason);
  }
  if (name !== anonymousUser) {
    if (!groups.includes(systemAuthenticated) && !groups.includes(systemUnauthenticated)) groups.push(systemAuthenticated);
  } else if (!groups.includes(systemUnauthenticated)) {
    groups.push(systemUnauthenticated);
  }
  const user: UserInfo = { name, groups };
  if (uid !== undefined) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
