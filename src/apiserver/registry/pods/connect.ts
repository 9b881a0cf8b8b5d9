// The pod subresources served by the node's kubelet — log, exec, attach, portforward (upstream LogLocation,
// streamLocation, PortForwardLocation): the checks the apiserver makes before it would connect.

import { newBadRequest, newServiceUnavailable, StatusError } from '../../../apimachinery/errors.js';
import type { GenericRegistry } from '../generic/registry.js';
import { asObject, asObjectList } from '../object-paths.js';
import type { APIObject } from '../strategy.js';

export type ConnectSubresource = 'log' | 'exec' | 'attach' | 'portforward';

export const connectSubresources: readonly ConnectSubresource[] = ['log', 'exec', 'attach', 'portforward'];

export interface LocateKubeletOptions {
  pods: GenericRegistry;
  nodes: GenericRegistry;
  namespace: string;
  name: string;
  subresource: ConnectSubresource;
  /** The `container` query parameter ("" when absent). */
  container: string;
}

/** Where the kubelet serving a pod's connection is; `undefined` for a log of a pod no node runs (empty log). */
export interface KubeletLocation {
  nodeName: string;
  /** The node's address the apiserver would dial. */
  address: string;
  port: number;
  container: string;
}

function containerNames(pod: APIObject): string[] {
  const spec = asObject(pod.spec) ?? {};
  return [...asObjectList(spec.initContainers), ...asObjectList(spec.containers), ...asObjectList(spec.ephemeralContainers)].map((c) => String(c.name));
}

/** upstream validateContainer: the named container must exist; with none named, the pod must have one. */
export function validateContainer(container: string, pod: APIObject): string {
  const name = pod.metadata?.name ?? '';
  if (container === '') {
    const containers = asObjectList(asObject(pod.spec)?.containers);
    if (containers.length === 1) return String(containers[0].name);
    if (containers.length === 0) throw newBadRequest(`a container name must be specified for pod ${name}`);
    throw newBadRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
  }
  if (!containerNames(pod).includes(container)) throw newBadRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** upstream's preferred address types for reaching a kubelet, in order. */
const addressTypes = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'];

/**
 * Resolves the kubelet a connection subresource must go through, with upstream's errors: 400 for a bad
 * container or (exec, attach, portforward) a pod with no node; 404 for a missing pod or node; a 500
 * without reason for a node with no usable address. A log of an unscheduled pod is empty (undefined).
 */
export async function locateKubelet(opts: LocateKubeletOptions): Promise<KubeletLocation | undefined> {
  const pod = await opts.pods.get({ namespace: opts.namespace, name: opts.name });
  const container = opts.subresource === 'portforward' ? '' : validateContainer(opts.container, pod);
  const nodeName = asObject(pod.spec)?.nodeName;
  if (typeof nodeName !== 'string' || nodeName === '') {
    if (opts.subresource === 'log') return undefined;
    throw newBadRequest(`pod ${opts.name} does not have a host assigned`);
  }
  return { ...(await locateNode(opts.nodes, nodeName)), container };
}

/**
 * The address and port of a node's kubelet (upstream GetConnectionInfo): 404 for a missing node, a 500
 * without reason for a node with no usable address.
 */
export async function locateNode(nodes: GenericRegistry, nodeName: string): Promise<Omit<KubeletLocation, 'container'>> {
  const node = await nodes.get({ namespace: '', name: nodeName });
  const status = asObject(node.status) ?? {};
  const addresses = asObjectList(status.addresses);
  const preferred = addressTypes.map((t) => addresses.find((a) => a.type === t && typeof a.address === 'string' && a.address !== '')).find((a) => a);
  if (!preferred) {
    const known = addresses.map((a) => `{${String(a.type)} ${String(a.address)}}`).join(' ');
    throw new StatusError({ code: 500, message: `no preferred addresses found; known addresses: [${known}]` });
  }
  // DaemonEndpoint's field is spelled `Port` on the wire.
  const port = asObject(asObject(status.daemonEndpoints)?.kubeletEndpoint)?.Port;
  return { nodeName, address: String(preferred.address), port: typeof port === 'number' && port > 0 ? port : 10250 };
}

/**
 * The answer while the apiserver has no client for kubelets: 503, naming the kubelet it would have
 * dialled, so callers retry once kubelet connections exist rather than treat it as a client error.
 */
export function kubeletUnreachable(subresource: ConnectSubresource, loc: KubeletLocation): StatusError {
  return newServiceUnavailable(`pods/${subresource}: connecting to the kubelet on node ${loc.nodeName} (${loc.address}:${loc.port}) is not supported by this apiserver yet`);
}
