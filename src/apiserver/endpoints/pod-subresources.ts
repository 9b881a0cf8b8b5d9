// REST endpoints of pod subresources that are not stored objects: binding (and the legacy `bindings`
// resource), eviction, and the kubelet connections (log, exec, attach, portforward).

import { newMethodNotSupported } from '../../apimachinery/errors.js';
import { decodeObjectBody, type ProtobufDecoder } from '../negotiation/request-body.js';
import { parseDryRun } from '../registry/generic/list-options.js';
import type { Registries } from '../registry/generic/registries.js';
import { bindPod } from '../registry/pods/binding.js';
import { connectSubresources, kubeletUnreachable, locateKubelet, type ConnectSubresource } from '../registry/pods/connect.js';
import { evictPod } from '../registry/pods/eviction.js';
import type { APIObject } from '../registry/strategy.js';
import type { RequestInfo } from '../request-info.js';
import { newPathNotFound } from './status.js';

export interface PodSubresourceRequest {
  info: RequestInfo;
  /** The request's query and (already read) body. */
  req: { query: URLSearchParams; body: Uint8Array };
  registries: Registries;
  decodeProtobuf?: ProtobufDecoder;
  contentType: string | undefined;
  now?: () => number;
}

/** A reply body and its HTTP status, encoded by the resource handler. */
export interface PodSubresourceReply {
  status: number;
  body: unknown;
  /** A plain-text body (pod logs), sent as is. */
  text?: string;
}

/** Whether the request is one servePodSubresource answers. */
export function isPodSubresourceRequest(info: RequestInfo): boolean {
  if (info.apiGroup !== '' || info.apiVersion !== 'v1') return false;
  if (info.resource === 'bindings') return true;
  const sub = info.subresource;
  return info.resource === 'pods' && (sub === 'binding' || sub === 'eviction' || connectSubresources.includes(sub as ConnectSubresource));
}

function pods(registries: Registries) {
  const reg = registries.get('', 'pods', 'v1');
  if (!reg) throw newPathNotFound();
  return reg;
}

/** Serves a request isPodSubresourceRequest accepted; throws StatusError for every failure. */
export async function servePodSubresource(r: PodSubresourceRequest): Promise<PodSubresourceReply> {
  const { info, req } = r;
  if (!info.namespace || info.parts.length > 3) throw newPathNotFound();
  const decode = (kind: string) => decodeObjectBody({ contentType: r.contentType, body: req.body, expectedKind: kind, decodeProtobuf: r.decodeProtobuf }) as APIObject;

  if (info.resource === 'bindings') {
    if (info.parts.length !== 1) throw newPathNotFound();
    if (info.verb !== 'create') throw newMethodNotSupported({ group: '', resource: 'bindings' }, info.verb);
    const dryRun = parseDryRun(req.query, 'CreateOptions');
    return { status: 201, body: await bindPod({ pods: pods(r.registries), namespace: info.namespace, binding: decode('Binding'), dryRun }) };
  }

  const sub = info.subresource;
  if (sub === 'binding' || sub === 'eviction') {
    if (info.verb !== 'create') throw newMethodNotSupported({ group: '', resource: `pods/${sub}` }, info.verb);
    const dryRun = parseDryRun(req.query, 'CreateOptions');
    if (sub === 'binding') {
      return { status: 201, body: await bindPod({ pods: pods(r.registries), namespace: info.namespace, urlName: info.name, binding: decode('Binding'), dryRun }) };
    }
    const pdbs = r.registries.get('policy', 'poddisruptionbudgets', 'v1');
    if (!pdbs) throw newPathNotFound();
    const eviction = decode('Eviction');
    return { status: 201, body: await evictPod({ pods: pods(r.registries), podDisruptionBudgets: pdbs, namespace: info.namespace, name: info.name, eviction, dryRun, now: r.now }) };
  }

  const connect = sub as ConnectSubresource;
  const allowed = connect === 'log' ? ['get'] : ['get', 'create'];
  if (!allowed.includes(info.verb)) throw newMethodNotSupported({ group: '', resource: `pods/${connect}` }, info.verb);
  const nodes = r.registries.get('', 'nodes', 'v1');
  if (!nodes) throw newPathNotFound();
  const loc = await locateKubelet({ pods: pods(r.registries), nodes, namespace: info.namespace, name: info.name, subresource: connect, container: req.query.get('container') ?? '' });
  // upstream streams nothing for the log of a pod no node runs.
  if (!loc) return { status: 200, body: undefined, text: '' };
  throw kubeletUnreachable(connect, loc);
}
