// The aggregator's read side: APIServices, Services and EndpointSlices straight from the apiserver's watch
// caches (no storage round trip per proxied request), parsed once per stored version.

import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { Service } from '../../api/generated/core/v1.js';
import type { EndpointSlice } from '../../api/generated/discovery/v1.js';
import { everything } from '../registry/generic/selection.js';
import { objectKey, resourceKeys, type ResourceKeys } from '../storage-keys.js';
import type { WatchCacheSet } from '../watchcache/cache-set.js';
import type { ServiceSource } from './service-resolver.js';

/** What the aggregator reads. Returned objects are shared: never modify them. */
export interface AggregatorObjects extends ServiceSource {
  apiService(name: string): APIService | undefined;
  apiServices(): APIService[];
}

const serviceNameLabel = 'kubernetes.io/service-name';

/** Parses cached JSON once per distinct string (an object's JSON changes exactly when it is written). */
class ParsedCache<T> {
  private readonly parsed = new Map<string, { json: string; value: T }>();

  get(key: string, json: string): T {
    const hit = this.parsed.get(key);
    if (hit && hit.json === json) return hit.value;
    const value = JSON.parse(json) as T;
    if (this.parsed.size > 4096) this.parsed.clear();
    this.parsed.set(key, { json, value });
    return value;
  }
}

/** AggregatorObjects over the watch caches of apiservices, services and endpointslices. */
export function cachedAggregatorObjects(args: { caches: WatchCacheSet; etcdPrefix: string }): AggregatorObjects {
  const keys = (group: string, plural: string, namespaced: boolean): ResourceKeys => resourceKeys({ etcdPrefix: args.etcdPrefix, group, plural, namespaced });
  const apiServiceKeys = keys('apiregistration.k8s.io', 'apiservices', false);
  const serviceKeys = keys('', 'services', true);
  const sliceKeys = keys('discovery.k8s.io', 'endpointslices', true);
  const apiServices = new ParsedCache<APIService>();
  const services = new ParsedCache<Service>();
  const slices = new ParsedCache<EndpointSlice>();
  return {
    apiService(name) {
      const key = objectKey(apiServiceKeys, '', name);
      const o = args.caches.cacheFor(apiServiceKeys.root)?.get(key);
      return o ? apiServices.get(key, o.json) : undefined;
    },
    apiServices() {
      const cache = args.caches.cacheFor(apiServiceKeys.root);
      return (cache?.list(apiServiceKeys.root, everything) ?? []).map((o) => apiServices.get(o.key, o.json));
    },
    service(namespace, name) {
      const key = objectKey(serviceKeys, namespace, name);
      const o = args.caches.cacheFor(serviceKeys.root)?.get(key);
      return o ? services.get(key, o.json) : undefined;
    },
    endpointSlices(namespace, service) {
      const prefix = `${sliceKeys.root}${namespace}/`;
      const cache = args.caches.cacheFor(sliceKeys.root);
      return (cache?.list(prefix, everything) ?? []).filter((o) => o.labels[serviceNameLabel] === service).map((o) => slices.get(o.key, o.json));
    },
  };
}
