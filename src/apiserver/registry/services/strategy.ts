// Services (upstream pkg/registry/core/service): defaults, validation, `status.loadBalancer` reset, and
// ClusterIP/NodePort allocation through ServiceAllocation around the write.

import { StatusError } from '../../../apimachinery/errors.js';
import type { FieldError } from '../../../apimachinery/field-error.js';
import { equalJSON, stringField } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import type { ServiceAllocation } from './allocation.js';
import { defaultService, needsClusterIP, needsHealthCheck, needsNodePorts, patchAllocatedValues, serviceSpec, type ServicePort } from './defaults.js';
import { validateService, validateServiceUpdate } from './validation.js';

function nameOf(obj: APIObject): string {
  return obj.metadata?.name ?? '';
}

/**
 * Fields that only make sense for the old type are dropped when the client left them as they were
 * (upstream dropTypeDependentFields), so `kubectl edit` of just `type` works.
 */
function dropTypeDependentFields(obj: APIObject, old: APIObject): void {
  const spec = serviceSpec(obj);
  const prev = serviceSpec(old);
  if (needsClusterIP(prev) && !needsClusterIP(spec) && equalJSON(spec.clusterIPs ?? [], prev.clusterIPs ?? [])) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(prev) && !needsNodePorts(spec)) {
    const oldPorts = (prev.ports ?? []) as ServicePort[];
    for (const port of (spec.ports ?? []) as ServicePort[]) {
      if (port.nodePort && oldPorts.some((o) => o.nodePort === port.nodePort)) delete port.nodePort;
    }
  }
  if (needsHealthCheck(prev) && !needsHealthCheck(spec) && spec.healthCheckNodePort === prev.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
  if (!needsNodePorts(spec)) delete spec.externalTrafficPolicy;
}

export interface ServiceStrategyOptions {
  /** Allocation of ClusterIPs and NodePorts; without it, creates that need an allocation fail with 500. */
  allocation?: ServiceAllocation;
}

function missingAllocation(): StatusError {
  return new StatusError({ code: 500, reason: 'InternalError', message: 'Internal error occurred: service IP and port allocation is not configured' });
}

export function newServiceStrategy(opts: ServiceStrategyOptions): ResourceStrategy {
  const { allocation } = opts;
  return {
    hasStatusSubresource: true,
    hasGeneration: false,
    selectableFields: {
      'spec.clusterIP': stringField('spec.clusterIP'),
      'spec.type': stringField('spec.type'),
    },
    prepareForCreate(obj) {
      defaultService(obj);
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(obj, old) {
      defaultService(obj);
      patchAllocatedValues(serviceSpec(obj), serviceSpec(old));
      dropTypeDependentFields(obj, old);
      keepStatus(obj, old);
    },
    validate(obj): FieldError[] {
      const spec = serviceSpec(obj);
      const errs = validateService(spec);
      // Family fields are part of what users see even on dry run; fill them here when allocation exists.
      if (errs.length === 0 && allocation) errs.push(...allocation.initIPFamilyFields(spec));
      return errs;
    },
    validateUpdate(obj, old): FieldError[] {
      const spec = serviceSpec(obj);
      const errs = [...validateService(spec), ...validateServiceUpdate(spec, serviceSpec(old))];
      if (errs.length === 0 && allocation) errs.push(...allocation.initIPFamilyFields(spec, serviceSpec(old)));
      return errs;
    },
    async beforeCreate(obj, ctx) {
      const spec = serviceSpec(obj);
      if (!allocation) {
        if (needsClusterIP(spec) && spec.clusterIP !== 'None') throw missingAllocation();
        return;
      }
      const txn = await allocation.allocateCreate(nameOf(obj), obj.metadata?.namespace ?? ctx.namespace, spec);
      return () => txn.revert();
    },
    async beforeUpdate(obj, old, ctx) {
      if (!allocation) return;
      const txn = await allocation.allocateUpdate(nameOf(obj), obj.metadata?.namespace ?? ctx.namespace, serviceSpec(obj), serviceSpec(old));
      return Object.assign(() => txn.revert(), { commit: () => txn.commit() });
    },
    async afterDelete(obj) {
      if (!allocation) return;
      await allocation.releaseService(nameOf(obj), obj.metadata?.namespace ?? '', serviceSpec(obj));
    },
  };
}
