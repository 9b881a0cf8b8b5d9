// A ListerWatcher over one resource of the REST client, with fixed selectors (client-go
// NewFilteredListWatchFromClient).
import type { KubeObject, ListOptions, ResourceInterface } from '../rest/interface.js';
import type { ListerWatcher } from './interface.js';

/** Selectors applied to every list and watch (and a hook to change other options, like client-go's tweak). */
export interface ListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  tweakListOptions?: (opts: ListOptions) => void;
}

export function newListWatchFromClient<T extends KubeObject>(resource: ResourceInterface<T>, opts: ListWatchOptions = {}): ListerWatcher<T> {
  const withSelectors = <O extends ListOptions>(o: O): O => {
    const out = { ...o };
    if (opts.labelSelector) out.labelSelector = opts.labelSelector;
    if (opts.fieldSelector) out.fieldSelector = opts.fieldSelector;
    opts.tweakListOptions?.(out);
    return out;
  };
  return {
    list: (o) => resource.list(withSelectors(o)),
    watch: (o) => resource.watch(withSelectors(o)),
  };
}
