// Namespaces for namespaceSelector, read from the scheduler's shared namespace informer.
import type { Namespace } from '../../../api/generated/core/v1.js';
import type { SharedInformerFactory } from '../../../client/cache/informer-factory.js';
import type { Typed } from '../../../client/typed.js';
import type { NamespaceLister } from './affinity-term.js';

/** Asking creates the informer: call before the factory starts. */
export function informerNamespaceLister(f: SharedInformerFactory): NamespaceLister {
  const lister = f.forResource<Typed<Namespace>>({ group: '', version: 'v1', resource: 'namespaces' }).lister;
  return {
    labels: (name) => lister.get(name)?.metadata?.labels,
    namesMatching: (selector) =>
      lister
        .list()
        .filter((n) => selector.matches(n.metadata?.labels))
        .map((n) => n.metadata?.name ?? ''),
  };
}
