// client-go's SharedInformerFactory, for every resource through the dynamic client: one informer (and one
// list+watch) per resource, namespace and selector, shared by every controller that asks.
import { setMaxListeners } from 'node:events';
import type { Backoff } from '../../base/backoff.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { GroupVersionResource, Interface, KubeObject, ListOptions } from '../rest/interface.js';
import type { Lister, SharedInformer } from './interface.js';
import { newListWatchFromClient } from './list-watch.js';
import { newLister } from './listers.js';
import { SharedIndexInformer } from './shared-informer.js';
import { namespaceIndexers } from './store.js';
import { waitForCacheSync } from './wait-for-cache-sync.js';

export interface SharedInformerFactoryOptions {
  client: Interface;
  /** Resync period of handlers that do not ask for one (0 = never). */
  defaultResyncPeriodMs?: number;
  /** Watch only this namespace ("" or unset = all). */
  namespace?: string;
  /** Changes every list and watch (e.g. a label selector), as client-go's WithTweakListOptions. */
  tweakListOptions?: (opts: ListOptions) => void;
  clock?: Clock;
  logger?: Logger;
  /** Reflector backoff of every informer (tests pass a zero backoff). */
  backoff?: () => Backoff;
}

/** Per-resource choices that make a distinct informer. */
export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** An informer and a lister over its cache. */
export interface InformerHandle<T extends KubeObject = KubeObject> {
  informer: SharedInformer<T>;
  lister: Lister<T>;
}

export function gvrString(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.group}/${gvr.version}, Resource=${gvr.resource}` : `${gvr.version}, Resource=${gvr.resource}`;
}

export class SharedInformerFactory {
  private readonly opts: SharedInformerFactoryOptions;
  private readonly informers = new Map<string, InformerHandle>();
  private readonly started = new Set<string>();
  private readonly runs: Promise<void>[] = [];

  constructor(opts: SharedInformerFactoryOptions) {
    this.opts = opts;
  }

  /** The shared informer of `gvr` (created on first request; started by the next `start`). */
  forResource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, options: InformerOptions = {}): InformerHandle<T> {
    const namespace = options.namespace ?? this.opts.namespace ?? '';
    const key = JSON.stringify([gvr.group, gvr.version, gvr.resource, namespace, options.labelSelector ?? '', options.fieldSelector ?? '']);
    let handle = this.informers.get(key);
    if (!handle) {
      const resource = this.opts.client.resource<KubeObject>(gvr, namespace);
      const informer = new SharedIndexInformer<KubeObject>({
        name: gvrString(gvr),
        listerWatcher: newListWatchFromClient(resource, {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          tweakListOptions: this.opts.tweakListOptions,
        }),
        indexers: namespaceIndexers(),
        defaultResyncPeriodMs: this.opts.defaultResyncPeriodMs,
        clock: this.opts.clock,
        logger: this.opts.logger,
        backoff: this.opts.backoff?.(),
      });
      handle = { informer, lister: newLister(informer.getIndexer()) };
      this.informers.set(key, handle);
    }
    return handle as unknown as InformerHandle<T>;
  }

  /** Runs every informer not yet started until `signal` aborts. Call again after asking for new ones. */
  start(signal: AbortSignal): void {
    // Each informer (and its reflector's watch) listens on this one signal: a dozen or more is the design
    // (the scheduler runs 12, the garbage collector one per resource), not a leak worth node's warning.
    setMaxListeners(0, signal);
    for (const [key, { informer }] of this.informers) {
      if (this.started.has(key)) continue;
      this.started.add(key);
      this.runs.push(informer.run(signal));
    }
  }

  /**
   * Waits for every started informer's first list; resolves false when `signal` aborts first. It polls on
   * the real clock whatever clock the informers use: it waits for a condition, not for time, and must not
   * hang in tests that drive the informers' resync and backoff with a FakeClock.
   */
  waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    const synced = [...this.informers].filter(([k]) => this.started.has(k)).map(([, h]) => () => h.informer.hasSynced());
    return waitForCacheSync(signal, ...synced);
  }

  /** Resolves once every started informer has stopped (after the `start` signal aborted). */
  async shutdown(): Promise<void> {
    await Promise.all(this.runs);
  }
}
