// The default ServiceCIDR `kubernetes` (networking.k8s.io/v1, upstream's default-servicecidr controller):
// records --service-cluster-ip-range as an API object with a Ready condition (`kubectl get servicecidrs`).

import { isAlreadyExists, isConflict } from '../../apimachinery/errors.js';
import type { APIObject } from '../registry/strategy.js';
import type { BootstrapHook } from './hook.js';
import { primaryServiceCIDR } from './service-allocation.js';

export const defaultServiceCIDRName = 'kubernetes';

function readyCondition(now: Date): Record<string, string> {
  return {
    type: 'Ready',
    status: 'True',
    lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    reason: '',
    message: 'Kubernetes default Service CIDR is ready',
  };
}

export function serviceCIDRHook(opts: { now?: () => Date } = {}): BootstrapHook {
  const now = opts.now ?? (() => new Date());
  return {
    name: 'start-kubernetes-service-cidr-controller',
    async run(ctx) {
      const registry = ctx.registries.get('networking.k8s.io', 'servicecidrs');
      if (!registry) return; // The group is not served: nothing to record.
      const obj: APIObject = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name: defaultServiceCIDRName },
        spec: { cidrs: [primaryServiceCIDR(ctx.options)] },
      };
      let stored: APIObject;
      try {
        stored = await registry.create({ namespace: '', obj });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        stored = await registry.get({ namespace: '', name: defaultServiceCIDRName });
      }
      const conditions = (stored.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return;
      try {
        await registry.update({
          namespace: '',
          name: defaultServiceCIDRName,
          subresource: 'status',
          obj: { ...stored, status: { conditions: [readyCondition(now())] } },
        });
      } catch (err) {
        // Another apiserver marked it ready meanwhile.
        if (!isConflict(err)) throw err;
      }
    },
  };
}
