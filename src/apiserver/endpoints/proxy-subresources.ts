// The `proxy` subresources of pods, services and nodes (upstream pod/service/node ResourceLocation): the
// target is resolved with upstream's errors; forwarding itself needs pod networking or a kubelet.

import { newBadRequest, newServiceUnavailable, StatusError } from '../../apimachinery/errors.js';
import type { Registries } from '../registry/generic/registries.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import { asObject, asObjectList } from '../registry/object-paths.js';
import { locateNode } from '../registry/pods/connect.js';
import type { RequestInfo } from '../request-info.js';
import { newPathNotFound } from './status.js';

/** Whether the request is a pods, services or nodes proxy request (core/v1). */
export function isProxyRequest(info: RequestInfo): boolean {
  return info.apiGroup === '' && info.apiVersion === 'v1' && info.subresource === 'proxy' && ['pods', 'services', 'nodes'].includes(info.resource);
}

/** upstream SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`; undefined when malformed. */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (name === '' || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}

function registry(registries: Registries, resource: string): GenericRegistry {
  const reg = registries.get('', resource, 'v1');
  if (!reg) throw newPathNotFound();
  return reg;
}

/** Whether an IP is one upstream lets the apiserver proxy to (a global unicast address). */
function isGlobalUnicast(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    if ([a, b, c, d].some((n) => n > 255)) return false;
    return !(a === 0 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 255 && b === 255 && c === 255 && d === 255));
  }
  if (!ip.includes(':')) return false;
  const lower = ip.toLowerCase();
  return !(lower === '::' || lower === '::1' || lower.startsWith('fe80:') || lower.startsWith('ff'));
}

/**
 * Resolves the proxy target and answers what can be answered without forwarding: 400 for a malformed
 * name or a pod without a routable IP, 404 for missing objects, 503 for a service without endpoints; a
 * resolvable target is a 503 naming it, since this apiserver cannot forward to it yet.
 */
export async function serveProxy(info: RequestInfo, registries: Registries): Promise<never> {
  if (info.parts.length < 3 || (info.resource === 'nodes') === !!info.namespace) throw newPathNotFound();
  const id = splitSchemeNamePort(info.name);
  if (!id) throw newBadRequest(`invalid ${info.resource === 'nodes' ? 'node' : info.resource === 'pods' ? 'pod' : 'service'} request "${info.name}"`);
  if (info.resource === 'pods') {
    const pod = await registry(registries, 'pods').get({ namespace: info.namespace, name: id.name });
    const ips = asObjectList(asObject(pod.status)?.podIPs);
    const ip = String(ips[0]?.ip ?? asObject(pod.status)?.podIP ?? '');
    if (!isGlobalUnicast(ip)) throw newBadRequest('address not allowed');
    throw unreachable(`pod ${id.name} (${ip})`);
  }
  if (info.resource === 'services') {
    await registry(registries, 'services').get({ namespace: info.namespace, name: id.name });
    let endpoints;
    try {
      endpoints = await registry(registries, 'endpoints').get({ namespace: info.namespace, name: id.name });
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') throw newServiceUnavailable(`no endpoints available for service "${info.name}"`);
      throw err;
    }
    const ready = asObjectList(endpoints.subsets).some((s) => asObjectList(s.addresses).length > 0);
    if (!ready) throw newServiceUnavailable(`no endpoints available for service "${info.name}"`);
    throw unreachable(`service ${id.name}'s endpoints`);
  }
  const loc = await locateNode(registry(registries, 'nodes'), id.name);
  throw unreachable(`the kubelet on node ${id.name} (${loc.address}:${loc.port})`);
}

function unreachable(target: string): StatusError {
  return newServiceUnavailable(`proxying to ${target} is not supported by this apiserver yet`);
}
