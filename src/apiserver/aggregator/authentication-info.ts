// Upstream's cluster authentication trust controller: publishes how this apiserver authenticates clients
// (--client-ca-file, the --requestheader-* settings) in kube-system/extension-apiserver-authentication, the
// ConfigMap extension apiservers (metrics-server, custom metrics adapters) read to trust the aggregator.

import { readFile } from 'node:fs/promises';
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import type { APIServerOptions } from '../options.js';
import type { Registries } from '../registry/generic/registries.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import type { BootstrapHook } from '../bootstrap/hook.js';

const log = klog.withName('authentication-info.ts');

export const authenticationConfigMapNamespace = 'kube-system';
export const authenticationConfigMapName = 'extension-apiserver-authentication';

/**
 * The ConfigMap's data as upstream writes it: PEM bundles under client-ca-file and requestheader-client-ca-file,
 * the request-header settings as JSON string arrays. Keys without a configured value are left out.
 */
export async function authenticationInfo(opts: APIServerOptions): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  if (opts.clientCAFile) data['client-ca-file'] = await readFile(opts.clientCAFile, 'utf8');
  if (opts.requestheaderClientCAFile) {
    data['requestheader-client-ca-file'] = await readFile(opts.requestheaderClientCAFile, 'utf8');
    data['requestheader-username-headers'] = JSON.stringify(opts.requestheaderUsernameHeaders ?? []);
    data['requestheader-uid-headers'] = JSON.stringify(opts.requestheaderUIDHeaders ?? []);
    data['requestheader-group-headers'] = JSON.stringify(opts.requestheaderGroupHeaders ?? []);
    data['requestheader-extra-headers-prefix'] = JSON.stringify(opts.requestheaderExtraHeadersPrefix ?? []);
    data['requestheader-allowed-names'] = JSON.stringify(opts.requestheaderAllowedNames ?? []);
  }
  return data;
}

/**
 * Creates or updates the ConfigMap with `data` (nothing to publish: left alone). Returns false when
 * kube-system does not exist yet (the caller tries again later).
 */
export async function publishAuthenticationInfo(registries: Registries, data: Record<string, string>): Promise<boolean> {
  if (Object.keys(data).length === 0) return true;
  const configMaps = registries.get('', 'configmaps');
  if (!configMaps) throw new Error('configmaps are not served');
  const key = { namespace: authenticationConfigMapNamespace, name: authenticationConfigMapName };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const current = await configMaps.get(key);
      if (JSON.stringify(current.data) === JSON.stringify(data)) return true;
      await configMaps.update({ ...key, obj: { ...current, data } });
      return true;
    } catch (err) {
      if (isConflict(err)) continue;
      if (!isNotFound(err)) throw err;
    }
    try {
      await configMaps.create({ namespace: key.namespace, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...key }, data } });
      return true;
    } catch (err) {
      if (isAlreadyExists(err)) continue;
      // The namespace is missing (404) or not ready: try again on the next period.
      if (isNotFound(err)) return false;
      throw err;
    }
  }
  return false;
}

/**
 * Upstream's `start-cluster-authentication-info-controller` hook: publishes at start (when kube-system exists)
 * and again every `periodMs` (default 1 min), restoring the ConfigMap if someone changed or deleted it.
 */
export function clusterAuthenticationInfoHook(opts: { periodMs?: number; clock?: Clock } = {}): BootstrapHook {
  return {
    name: 'start-cluster-authentication-info-controller',
    async run(ctx) {
      const data = await authenticationInfo(ctx.options);
      if (Object.keys(data).length === 0) return;
      const publish = async () => {
        try {
          await publishAuthenticationInfo(ctx.registries, data);
        } catch (err) {
          if (!ctx.signal.aborted) log.error('Publishing the authentication info failed', err);
        }
      };
      await publish();
      // Owned by ctx.signal: ends with the server.
      const clock = opts.clock ?? realClock;
      void (async () => {
        for (;;) {
          try {
            await clock.sleep(opts.periodMs ?? 60_000, ctx.signal);
          } catch {
            return;
          }
          await publish();
        }
      })();
    },
  };
}
