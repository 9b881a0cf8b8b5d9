// What every controller receives from the controller manager (upstream's ControllerContext): the API
// client, shared informers, an event recorder, work queues, the clock and the parsed options.
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { Lister, SharedInformer } from '../client/cache/interface.js';
import type { GroupVersionResource, Interface, KubeObject } from '../client/rest/interface.js';
import type { RateLimitingQueue } from '../client/workqueue/interface.js';
import type { ControllerMetrics } from './metrics.js';
import type { ControllerManagerOptions } from './options.js';

/** One shared informer and a lister over its cache. Objects from both are read-only. */
export interface InformerHandle<T extends KubeObject = KubeObject> {
  informer: SharedInformer<T>;
  lister: Lister<T>;
}

/**
 * Shared informers by resource: every controller asking for pods gets the same informer, so the manager
 * keeps one list+watch per resource (client-go's SharedInformerFactory).
 */
export interface InformerSource {
  /** `options` (a namespace, label or field selector) make a distinct informer, shared by equal options. */
  forResource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, options?: { namespace?: string; labelSelector?: string; fieldSelector?: string }): InformerHandle<T>;
}

export type EventType = 'Normal' | 'Warning';

/** Records core/v1 Events about an object; never blocks and never fails the caller. */
export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export interface ControllerContext {
  client: Interface;
  informers: InformerSource;
  /** An event recorder whose events carry `source.component` = `component` (e.g. deployment-controller). */
  recorder(component: string): EventRecorder;
  /** A fresh rate-limited work queue with client-go's default controller rate limiter. */
  newQueue(name: string): RateLimitingQueue<string>;
  options: ControllerManagerOptions;
  clock: Clock;
  metrics: ControllerMetrics;
  logger: Logger;
}

/** A running control loop. `run` resolves after `signal` aborted and its workers drained. */
export interface Controller {
  readonly name: string;
  run(opts: { workers: number; signal: AbortSignal }): Promise<void>;
}

/** Well-known resources controllers ask informers for. */
export const resources = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  replicationControllers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  events: { group: '', version: 'v1', resource: 'events' },
} as const satisfies Record<string, GroupVersionResource>;

/**
 * A recorder for events about objects of one kind: fills in apiVersion and kind, which objects from list
 * responses (and so from informer caches) do not carry, so involvedObject names the kind.
 */
export function recorderForKind(recorder: EventRecorder, gvk: { apiVersion: string; kind: string }): EventRecorder {
  return {
    event(obj, type, reason, message) {
      const full = obj.kind && obj.apiVersion ? obj : { ...obj, apiVersion: gvk.apiVersion, kind: gvk.kind };
      recorder.event(full, type, reason, message);
    },
  };
}

/** How a manager takes part in leader election; the manager runs controllers only between the callbacks. */
export interface LeaderElection {
  /**
   * Campaigns until `signal` aborts: calls `onStartedLeading` with a signal that aborts when leadership
   * ends, and `onStoppedLeading` after it ended. Resolves once stopped (releasing the lease if held).
   */
  run(opts: { signal: AbortSignal; onStartedLeading(leading: AbortSignal): void; onStoppedLeading(): void }): Promise<void>;
}
