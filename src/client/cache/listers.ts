// Listers over an informer's indexer: list by label selector, get by name, per namespace (client-go's
// generated listers, generic over the object type).
import { parse, type Selector } from '../../apimachinery/labels/selector.js';
import type { KubeObject } from '../rest/interface.js';
import type { Indexer, Lister, NamespaceLister } from './interface.js';
import { namespaceIndex } from './store.js';

function selectorOf(selector: string | undefined): Selector | undefined {
  return selector ? parse(selector) : undefined;
}

function matching<T extends KubeObject>(objs: T[], sel: Selector | undefined): T[] {
  return sel ? objs.filter((o) => sel.matches(o.metadata?.labels)) : objs;
}

/**
 * A lister over `indexer`. Namespace listing uses the "namespace" index when the indexer has one and
 * scans otherwise. A malformed selector throws (the selector is the caller's constant).
 */
export function newLister<T extends KubeObject>(indexer: Indexer<T>): Lister<T> {
  return {
    list: (selector) => matching(indexer.list(), selectorOf(selector)),
    get: (name) => indexer.getByKey(name),
    namespace: (ns) => newNamespaceLister(indexer, ns),
  };
}

function newNamespaceLister<T extends KubeObject>(indexer: Indexer<T>, ns: string): NamespaceLister<T> {
  return {
    list(selector) {
      let objs: T[];
      try {
        objs = indexer.byIndex(namespaceIndex, ns);
      } catch {
        objs = indexer.list().filter((o) => (o.metadata?.namespace ?? '') === ns);
      }
      return matching(objs, selectorOf(selector));
    },
    get: (name) => indexer.getByKey(ns ? `${ns}/${name}` : name),
  };
}
