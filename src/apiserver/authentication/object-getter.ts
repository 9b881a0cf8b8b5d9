// How authenticators read the objects credentials refer to (service accounts, pods, secrets, nodes) from the
// apiserver's own registries: the watch cache first, a consistent read when the cache does not have it yet.

import { isNotFound } from '../../apimachinery/errors.js';
import type { APIObject } from '../registry/strategy.js';
import type { Registries } from '../registry/generic/registries.js';
import type { BoundObject, ServiceAccountTokenGetter } from './service-account-token.js';

/**
 * Reads one core/v1 object; undefined when it does not exist. Like upstream's lister-with-live-fallback:
 * an object created a moment ago is found even before the cache has caught up.
 */
export async function getCoreObject(registries: Registries, resource: string, namespace: string, name: string): Promise<APIObject | undefined> {
  const registry = registries.get('', resource, 'v1');
  if (!registry) return undefined;
  try {
    return JSON.parse(await registry.getJSON({ namespace, name, resourceVersion: '0' })) as APIObject;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return JSON.parse(await registry.getJSON({ namespace, name })) as APIObject;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function bound(obj: APIObject | undefined): BoundObject | undefined {
  if (!obj) return undefined;
  const data = obj.data as Record<string, string> | undefined;
  return { uid: obj.metadata?.uid, deletionTimestamp: obj.metadata?.deletionTimestamp ?? undefined, token: data?.token };
}

/** The service-account token validator's view of the registries. */
export function registryTokenGetter(registries: Registries): ServiceAccountTokenGetter {
  return {
    serviceAccount: async (ns, name) => bound(await getCoreObject(registries, 'serviceaccounts', ns, name)),
    pod: async (ns, name) => bound(await getCoreObject(registries, 'pods', ns, name)),
    secret: async (ns, name) => bound(await getCoreObject(registries, 'secrets', ns, name)),
    node: async (name) => bound(await getCoreObject(registries, 'nodes', '', name)),
  };
}
