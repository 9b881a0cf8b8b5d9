// An ObjectReader over a fixed list of objects: plugin unit tests and benchmarks use it instead of a
// running apiserver.

import type { APIObject } from '../registry/strategy.js';
import type { ObjectReader } from './object-reader.js';

export interface StaticObject {
  group?: string;
  resource: string;
  /** Any API object (typed ones from api/generated included). */
  obj: object;
}

/** Reads `objects` (a copy of each is returned, so plugins may not change the fixtures). */
export function staticReader(objects: readonly StaticObject[]): ObjectReader {
  const all = objects.map((o) => ({ group: o.group ?? '', resource: o.resource, obj: o.obj as APIObject }));
  const of = (r: { group: string; resource: string }, namespace: string) =>
    all.filter((o) => o.group === r.group && o.resource === r.resource && (!namespace || (o.obj.metadata?.namespace ?? '') === namespace));
  return {
    async get(r, namespace, name) {
      const hit = of(r, namespace).find((o) => o.obj.metadata?.name === name);
      return hit ? structuredClone(hit.obj) : undefined;
    },
    async list(r, namespace = '') {
      return of(r, namespace).map((o) => structuredClone(o.obj));
    },
  };
}
