// Defaults of v1 Service (upstream SetDefaults_Service plus the clusterIP/clusterIPs conversion rule),
// applied on create and update before validation and allocation.

import { asObject, asObjectList, type JSONObject } from '../object-paths.js';

/** The ServiceSpec fields this package reads, as they appear on the wire. */
export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
  externalName?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  sessionAffinity?: string;
  sessionAffinityConfig?: JSONObject;
  [field: string]: unknown;
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  [field: string]: unknown;
}

export const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** The Service's spec, created when absent. */
export function serviceSpec(obj: JSONObject): ServiceSpec {
  const spec = asObject(obj.spec);
  if (spec) return spec as ServiceSpec;
  const created: ServiceSpec = {};
  obj.spec = created;
  return created;
}

export function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName';
}

export function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** Whether the Service needs a health-check node port (LoadBalancer with externalTrafficPolicy Local). */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

export function defaultService(obj: JSONObject): void {
  const spec = serviceSpec(obj);
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = (asObject(spec.sessionAffinityConfig) ?? {}) as JSONObject;
    const clientIP = asObject(cfg.clientIP) ?? {};
    clientIP.timeoutSeconds ??= 10800;
    cfg.clientIP = clientIP;
    spec.sessionAffinityConfig = cfg;
  }
  for (const port of asObjectList(spec.ports) as ServicePort[]) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (needsNodePorts(spec)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // v1 conversion keeps clusterIP and clusterIPs[0] in step.
  if (spec.clusterIP && (!spec.clusterIPs || spec.clusterIPs.length === 0)) spec.clusterIPs = [spec.clusterIP];
  else if (!spec.clusterIP && spec.clusterIPs && spec.clusterIPs.length > 0) spec.clusterIP = spec.clusterIPs[0];
}

/**
 * On update, values the server allocated and the client left out are kept (upstream patchAllocatedValues):
 * clusterIP/clusterIPs, node ports (matched by port and protocol) and the health-check node port.
 */
export function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if ((!spec.clusterIPs || spec.clusterIPs.length === 0) && old.clusterIPs && old.clusterIPs.length > 0) {
      spec.clusterIPs = [...old.clusterIPs];
    }
    if ((!spec.ipFamilies || spec.ipFamilies.length === 0) && old.ipFamilies) spec.ipFamilies = [...old.ipFamilies];
    spec.ipFamilyPolicy ??= old.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const oldPorts = asObjectList(old.ports) as ServicePort[];
    for (const port of asObjectList(spec.ports) as ServicePort[]) {
      if (port.nodePort) continue;
      const match = oldPorts.find((o) => o.port === port.port && (o.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}
