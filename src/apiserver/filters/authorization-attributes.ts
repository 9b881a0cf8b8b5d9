// Authorization attributes of a request and upstream's Forbidden reply for a denied one
// (endpoints/filters/authorization.go and handlers/responsewriters/errors.go).

import { StatusError } from '../../apimachinery/errors.js';
import type { UserInfo } from '../authentication/interface.js';
import type { Attributes } from '../authorization/interface.js';
import type { RequestInfo } from '../request-info.js';

/** The attributes `user` asks for with the request `info` describes. */
export function attributesFor(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

/** `User "alice" cannot list resource "pods" in API group "" in the namespace "default"`, as upstream words it. */
export function forbiddenMessage(a: Attributes): string {
  if (!a.isResourceRequest) return `User ${JSON.stringify(a.user.name)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = `User ${JSON.stringify(a.user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
  return a.namespace ? `${what} in the namespace ${JSON.stringify(a.namespace)}` : `${what} at the cluster scope`;
}

/**
 * The 403 for denied attributes: `<resource>[.<group>] ["<name>"] is forbidden: <message>[: <reason>]`, or
 * `forbidden: <message>` for non-resource paths; details {name, group, kind: resource}.
 */
export function newForbiddenFor(a: Attributes, reason: string): StatusError {
  const message = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  let full: string;
  if (!a.resource) full = `forbidden: ${message}`;
  else if (a.name) full = `${qualified} ${JSON.stringify(a.name)} is forbidden: ${message}`;
  else full = `${qualified} is forbidden: ${message}`;
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.resource) details.kind = a.resource;
  return new StatusError({ code: 403, reason: 'Forbidden', message: full, details });
}
