// Creates the namespaces every cluster has (upstream's system-namespaces controller): default,
// kube-system, kube-public, kube-node-lease — at start and then every minute, in case one was deleted.

import { isAlreadyExists } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import { until } from '../../base/wait.js';
import type { Clock } from '../../base/clock.js';
import type { Registries } from '../registry/generic/registries.js';
import type { BootstrapHook } from './hook.js';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates each missing system namespace; existing ones (also terminating ones) are left alone. */
export async function ensureSystemNamespaces(registries: Registries): Promise<string[]> {
  const registry = registries.get('', 'namespaces');
  if (!registry) throw new Error('namespaces are not served');
  const created: string[] = [];
  for (const name of systemNamespaces) {
    try {
      await registry.create({ namespace: '', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
      created.push(name);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  return created;
}

export function systemNamespacesHook(opts: { periodMs?: number; clock?: Clock } = {}): BootstrapHook {
  return {
    name: 'start-system-namespaces-controller',
    async run(ctx) {
      await ensureSystemNamespaces(ctx.registries);
      // Owned by ctx.signal: ends with the server.
      void until({ periodMs: opts.periodMs ?? 60_000, signal: ctx.signal, clock: opts.clock }, async () => {
        try {
          await ensureSystemNamespaces(ctx.registries);
        } catch (err) {
          if (!ctx.signal.aborted) klog.error('system namespaces', err);
        }
      });
    },
  };
}
