// How admission plugins read other objects (service accounts, limit ranges, priority classes, namespaces…):
// through the in-process registries, so reads at resourceVersion "0" come from the watch cache.

import { isNotFound } from '../../apimachinery/errors.js';
import type { Registries } from '../registry/generic/registries.js';
import type { APIObject } from '../registry/strategy.js';

export interface ObjectReader {
  /** The object, read consistently (cache once caught up, else storage); undefined when it does not exist. */
  get(r: { group: string; resource: string }, namespace: string, name: string): Promise<APIObject | undefined>;
  /** Every object of a resource in a namespace ("" = all or cluster-scoped), as the watch cache has them. */
  list(r: { group: string; resource: string }, namespace?: string): Promise<APIObject[]>;
}

/** Reads through `registries`; a resource k8ts does not serve reads as empty. */
export function registryReader(registries: Registries): ObjectReader {
  return {
    async get(r, namespace, name) {
      const reg = registries.get(r.group, r.resource);
      if (!reg) return undefined;
      try {
        return JSON.parse(await reg.getJSON({ namespace, name })) as APIObject;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list(r, namespace = '') {
      const reg = registries.get(r.group, r.resource);
      if (!reg) return [];
      return (await reg.listObjects({ namespace, resourceVersion: '0' })).items;
    },
  };
}
