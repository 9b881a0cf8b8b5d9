// ClusterIP and NodePort bookkeeping of Services (upstream pkg/registry/core/service/storage/alloc.go):
// IP family fields, allocation on create, changes on update, release on delete. Every allocation is a
// storage write that fails when taken (see src/apiserver/allocators).

import { newInvalid, type StatusError } from '../../../apimachinery/errors.js';
import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { parseIP } from '../../allocators/cidr.js';
import { AllocationError, allocationInternalError, type ClusterIPAllocator, type ServiceRef } from '../../allocators/ip-allocator.js';
import type { NodePortAllocator } from '../../allocators/port-allocator.js';
import { asObjectList } from '../object-paths.js';
import { needsClusterIP, needsHealthCheck, needsNodePorts, type ServicePort, type ServiceSpec } from './defaults.js';

export interface ServiceAllocationOptions {
  /** The allocator of --service-cluster-ip-range (one family: k8ts runs single-stack). */
  clusterIPs: ClusterIPAllocator;
  nodePorts: NodePortAllocator;
}

/** Undo work on failure; `commit` (after a successful write) performs deferred releases. */
export interface AllocationTransaction {
  revert(): Promise<void>;
  commit(): Promise<void>;
}

function invalidService(name: string, errs: FieldError[]): StatusError {
  return newInvalid({ group: '', kind: 'Service' }, name, errs);
}

function nodePortsOf(spec: ServiceSpec): number[] {
  const ports = (asObjectList(spec.ports) as ServicePort[]).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
  if (spec.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return [...new Set(ports)];
}

export class ServiceAllocation {
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;

  constructor(opts: ServiceAllocationOptions) {
    this.clusterIPs = opts.clusterIPs;
    this.nodePorts = opts.nodePorts;
  }

  /**
   * Fills ipFamilyPolicy and ipFamilies (upstream initIPFamilyFields, single-stack cluster). Pure; also
   * runs on dry run so the reply shows them. Returns field errors for families this cluster lacks.
   */
  initIPFamilyFields(spec: ServiceSpec, old?: ServiceSpec): FieldError[] {
    if (!needsClusterIP(spec)) return [];
    const family = this.clusterIPs.family;
    const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
    if (!spec.ipFamilyPolicy) {
      spec.ipFamilyPolicy = old?.ipFamilyPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
    }
    const errs: FieldError[] = [];
    const families = [...(spec.ipFamilies ?? [])];
    (spec.clusterIPs ?? []).forEach((ip, i) => {
      if (ip === 'None' || ip === '') return;
      const parsed = parseIP(ip);
      if (parsed && i >= families.length) {
        if (parsed.family !== family) {
          errs.push(invalid(`spec.clusterIPs[${i}]`, spec.clusterIPs, `${parsed.family} is not configured on this cluster`));
        } else families.push(parsed.family);
      }
    });
    if (errs.length > 0) return errs;
    if (headlessSelectorless) {
      // Headless Services without selectors may name both families even on a single-stack cluster.
      if (families.length === 0) families.push(family);
      if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
      spec.ipFamilies = families;
      return [];
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    families.forEach((f, i) => {
      if (f !== family) errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    });
    if (errs.length > 0) return errs;
    if (families.length === 0) families.push(family);
    spec.ipFamilies = families;
    return [];
  }

  private async allocateClusterIP(name: string, spec: ServiceSpec, ref: ServiceRef): Promise<string | undefined> {
    if (!needsClusterIP(spec) || spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
      if (needsClusterIP(spec)) {
        spec.clusterIP = 'None';
        spec.clusterIPs = ['None'];
      }
      return undefined;
    }
    const requested = spec.clusterIPs?.[0] || spec.clusterIP || '';
    let ip: string;
    try {
      ip = requested ? await this.clusterIPs.allocate(requested, ref) : await this.clusterIPs.allocateNext(ref);
    } catch (err) {
      if (err instanceof AllocationError && requested) {
        throw invalidService(name, [invalid('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${err.message}`)]);
      }
      throw allocationInternalError('serviceIP', err);
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return ip;
  }

  /**
   * Node ports for every port of a NodePort/LoadBalancer Service: requested ones are reserved, missing ones
   * allocated; ports sharing a number (TCP+UDP) share a node port. `keep` lists ports already held.
   */
  private async allocateNodePorts(name: string, spec: ServiceSpec, ref: ServiceRef, keep: Set<number>, got: number[]): Promise<void> {
    const reserve = async (port: number, field: string): Promise<void> => {
      if (keep.has(port) || got.includes(port)) return;
      try {
        await this.nodePorts.allocate(port, ref);
        got.push(port);
      } catch (err) {
        if (err instanceof AllocationError) throw invalidService(name, [invalid(field, port, err.message)]);
        throw err;
      }
    };
    const next = async (): Promise<number> => {
      try {
        const port = await this.nodePorts.allocateNext(ref);
        got.push(port);
        return port;
      } catch (err) {
        throw allocationInternalError('nodePort', err);
      }
    };
    const allocateMissing = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    const byServicePort = new Map<number, number>();
    const ports = asObjectList(spec.ports) as ServicePort[];
    // Requested node ports first, so a later automatic pick cannot take one of them.
    for (const [i, port] of ports.entries()) {
      if (port.nodePort) {
        await reserve(port.nodePort, `spec.ports[${i}].nodePort`);
        if (port.port !== undefined && !byServicePort.has(port.port)) byServicePort.set(port.port, port.nodePort);
      }
    }
    for (const port of ports) {
      if (port.nodePort || !allocateMissing) continue;
      const shared = port.port !== undefined ? byServicePort.get(port.port) : undefined;
      port.nodePort = shared ?? (await next());
      if (port.port !== undefined) byServicePort.set(port.port, port.nodePort);
    }
    if (needsHealthCheck(spec)) {
      if (spec.healthCheckNodePort) await reserve(spec.healthCheckNodePort, 'spec.healthCheckNodePort');
      else spec.healthCheckNodePort = await next();
    }
  }

  private async releaseAllocated(ips: string[], ports: number[], ref: ServiceRef): Promise<void> {
    for (const ip of ips) await this.clusterIPs.release(ip);
    for (const port of ports) await this.nodePorts.release(port, ref);
  }

  /** Allocates everything a new Service needs. Throws 422/500 StatusErrors; returns how to undo it. */
  async allocateCreate(name: string, namespace: string, spec: ServiceSpec): Promise<AllocationTransaction> {
    const ref = { namespace, name };
    const errs = this.initIPFamilyFields(spec);
    if (errs.length > 0) throw invalidService(name, errs);
    const ips: string[] = [];
    const ports: number[] = [];
    try {
      const ip = await this.allocateClusterIP(name, spec, ref);
      if (ip) ips.push(ip);
      if (needsNodePorts(spec) || needsHealthCheck(spec)) await this.allocateNodePorts(name, spec, ref, new Set(), ports);
    } catch (err) {
      await this.releaseAllocated(ips, ports, ref);
      throw err;
    }
    return { revert: () => this.releaseAllocated(ips, ports, ref), commit: async () => {} };
  }

  /**
   * Allocates what an update adds (ExternalName → ClusterIP, new node ports) and defers releasing what it
   * drops to `commit`, so a failed write loses nothing.
   */
  async allocateUpdate(name: string, namespace: string, spec: ServiceSpec, old: ServiceSpec): Promise<AllocationTransaction> {
    const ref = { namespace, name };
    const errs = this.initIPFamilyFields(spec, old);
    if (errs.length > 0) throw invalidService(name, errs);
    const newIPs: string[] = [];
    const newPorts: number[] = [];
    const dropIPs: string[] = [];
    try {
      if (!needsClusterIP(old) && needsClusterIP(spec)) {
        const ip = await this.allocateClusterIP(name, spec, ref);
        if (ip) newIPs.push(ip);
      } else if (needsClusterIP(old) && !needsClusterIP(spec)) {
        for (const ip of old.clusterIPs ?? []) if (ip && ip !== 'None') dropIPs.push(ip);
        delete spec.clusterIP;
        delete spec.clusterIPs;
        delete spec.ipFamilies;
        delete spec.ipFamilyPolicy;
      }
      const held = new Set(nodePortsOf(old));
      if (needsNodePorts(spec) || needsHealthCheck(spec)) await this.allocateNodePorts(name, spec, ref, held, newPorts);
    } catch (err) {
      await this.releaseAllocated(newIPs, newPorts, ref);
      throw err;
    }
    const stillUsed = new Set(nodePortsOf(spec));
    const dropPorts = nodePortsOf(old).filter((p) => !stillUsed.has(p));
    return {
      revert: () => this.releaseAllocated(newIPs, newPorts, ref),
      commit: () => this.releaseAllocated(dropIPs, dropPorts, ref),
    };
  }

  /** Releases everything a deleted Service held. */
  async releaseService(name: string, namespace: string, spec: ServiceSpec): Promise<void> {
    const ips = needsClusterIP(spec) ? (spec.clusterIPs ?? []).filter((ip) => ip && ip !== 'None') : [];
    await this.releaseAllocated(ips, nodePortsOf(spec), { namespace, name });
  }
}
