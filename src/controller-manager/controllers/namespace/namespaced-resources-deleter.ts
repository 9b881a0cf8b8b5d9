// upstream NamespacedResourcesDeleter: empties a terminating namespace — every namespaced resource the
// server serves (built-ins and custom resources, found through discovery) — keeps the namespace's
// conditions saying what remains, and removes the `kubernetes` finalizer through the finalize subresource
// once nothing is left.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isConflict, isMethodNotSupported, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { discoverResources, type APIResourceInfo, type DiscoveryResult } from '../../../client/discovery/discovery-client.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import { updateConditions, type DeletionFindings } from './deletion-conditions.js';

type Namespace = Typed<corev1.Namespace>;

const namespaces = { group: '', version: 'v1', resource: 'namespaces' };

/** The finalizer the namespace controller owns (upstream FinalizerKubernetes). */
export const finalizerKubernetes = 'kubernetes';

/** How long to wait for content that carries finalizers before looking again (upstream finalizerEstimateSeconds). */
export const finalizerEstimateSeconds = 15;

/** Content remains that is expected to go away by itself: look again in about `estimateSeconds`. */
export interface DeleteResult {
  remainingEstimateSeconds: number;
}

export interface NamespacedResourcesDeleterOptions {
  client: Interface;
  clock: Clock;
  logger: Logger;
  /** Default: discovery through the client. */
  discover?: (signal?: AbortSignal) => Promise<DiscoveryResult>;
  /** Default finalizerEstimateSeconds (tests shorten it). */
  finalizerEstimateSeconds?: number;
}

/** metav1.Time: RFC 3339 in whole seconds. */
function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** upstream ErrGroupDiscoveryFailed.Error(). */
export function discoveryFailureMessage(failed: ReadonlyMap<string, string>): string {
  const groups = [...failed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([gv, err]) => `${gv}: ${err}`);
  return `Discovery failed for some groups, ${failed.size} failing: unable to retrieve the complete list of server APIs: ${groups.join(', ')}`;
}

export class NamespacedResourcesDeleter {
  private readonly opts: NamespacedResourcesDeleterOptions;

  constructor(opts: NamespacedResourcesDeleterOptions) {
    this.opts = opts;
  }

  /**
   * One deletion pass over namespace `name`. Resolves with an estimate > 0 while content is still going
   * away; rejects when something failed (the caller retries with backoff); resolves with 0 when the
   * namespace is finalized or not being deleted.
   */
  async delete(name: string): Promise<DeleteResult> {
    const nsClient = this.opts.client.resource<Namespace>(namespaces);
    let ns: Namespace;
    try {
      ns = await nsClient.get(name);
    } catch (err) {
      if (isNotFound(err)) return { remainingEstimateSeconds: 0 };
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return { remainingEstimateSeconds: 0 };
    ns = await this.retryOnConflict(ns, (cur) => this.ensureTerminating(cur));
    if (!(ns.spec?.finalizers ?? []).includes(finalizerKubernetes)) return { remainingEstimateSeconds: 0 };

    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) return { remainingEstimateSeconds: estimate };
    await this.retryOnConflict(ns, (cur) => this.finalize(cur));
    return { remainingEstimateSeconds: 0 };
  }

  /** Runs `fn` on the latest namespace until it does not conflict; a namespace replaced meanwhile is an error. */
  private async retryOnConflict(ns: Namespace, fn: (cur: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let cur = ns;
    for (;;) {
      try {
        return await fn(cur);
      } catch (err) {
        if (!isConflict(err)) throw err;
        const latest = await this.opts.client.resource<Namespace>(namespaces).get(cur.metadata?.name ?? '');
        if (latest.metadata?.uid !== cur.metadata?.uid) throw new Error('namespace uid has changed across retries');
        cur = latest;
      }
    }
  }

  /** status.phase Terminating (the apiserver sets it on delete; this repairs a namespace that lacks it). */
  private async ensureTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.status?.phase === 'Terminating') return ns;
    return this.opts.client.resource<Namespace>(namespaces).updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
  }

  /** PUT …/finalize with spec.finalizers minus ours; a namespace already gone is fine. */
  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== finalizerKubernetes))].sort();
    try {
      return await this.opts.client.resource<Namespace>(namespaces).update({ ...ns, spec: { ...ns.spec, finalizers } }, { subresource: 'finalize' });
    } catch (err) {
      if (isNotFound(err)) return ns;
      throw err;
    }
  }

  /**
   * Deletes the content of every deletable namespaced resource, records what remains in the conditions
   * and returns the longest estimate. Rejects (after updating the conditions) when anything failed.
   */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata?.name ?? '';
    const findings: DeletionFindings = { contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
    const errors: string[] = [];
    let discovery: DiscoveryResult;
    try {
      discovery = await (this.opts.discover ?? (() => discoverResources(this.opts.client)))();
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      findings.discoveryFailure = msg;
      discovery = { resources: [], failedGroups: new Map() };
      errors.push(msg);
    }
    if (discovery.failedGroups.size > 0) {
      findings.discoveryFailure = discoveryFailureMessage(discovery.failedGroups);
      errors.push(findings.discoveryFailure);
    }
    const deletable = discovery.resources.filter((r) => r.preferred && r.namespaced && r.verbs.includes('delete'));
    let estimate = 0;
    for (const r of deletable) {
      try {
        const result = await this.deleteAllContentForResource(r, name, ns.metadata?.deletionTimestamp ?? '');
        estimate = Math.max(estimate, result.estimate);
        if (result.remaining > 0) {
          findings.remainingByResource.set(`${r.resource}.${r.group}`, result.remaining);
          for (const [f, n] of result.finalizers) findings.remainingByFinalizer.set(f, (findings.remainingByFinalizer.get(f) ?? 0) + n);
        }
        if (result.error) {
          findings.contentErrors.push(result.error);
          errors.push(result.error);
        }
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        findings.contentErrors.push(msg);
        errors.push(msg);
      }
    }
    const conditions = updateConditions(ns.status?.conditions ?? [], findings, metaTime(this.opts.clock.now()));
    if (conditions) {
      try {
        await this.opts.client.resource<Namespace>(namespaces).updateStatus({ ...ns, status: { ...ns.status, conditions } });
      } catch (err) {
        this.opts.logger.error("Couldn't update status condition for namespace", err, { namespace: name });
      }
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
    return estimate;
  }

  /** upstream deleteAllContentForGroupVersionResource: deletecollection (or each item), then what is left. */
  private async deleteAllContentForResource(
    r: APIResourceInfo,
    namespace: string,
    deletedAt: string,
  ): Promise<{ estimate: number; remaining: number; finalizers: Map<string, number>; error?: string }> {
    const client = this.opts.client.resource(r, namespace);
    const estimate = r.group === '' && r.resource === 'pods' ? await this.estimateGracefulTerminationForPods(namespace, deletedAt) : 0;
    let collectionDeleted = false;
    if (r.verbs.includes('deletecollection')) {
      try {
        await client.deleteCollection({ propagationPolicy: 'Background' });
        collectionDeleted = true;
      } catch (err) {
        if (!isMethodNotSupported(err) && !isNotFound(err)) throw err;
      }
    }
    if (!r.verbs.includes('list')) return { estimate, remaining: 0, finalizers: new Map() };
    const metadata = this.opts.client.resource(r, namespace, { metadataOnly: true });
    if (!collectionDeleted) {
      for (const item of (await metadata.list()).items) {
        try {
          await client.delete(item.metadata?.name ?? '', { propagationPolicy: 'Background' });
        } catch (err) {
          if (!isNotFound(err) && !isMethodNotSupported(err)) throw err;
        }
      }
    }
    const left: KubeObject[] = (await metadata.list()).items;
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata?.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (left.length === 0) return { estimate: 0, remaining: 0, finalizers };
    if (estimate > 0) return { estimate, remaining: left.length, finalizers };
    // Finalizers are a normal reason to wait (the garbage collector, other controllers).
    if (finalizers.size > 0) return { estimate: this.opts.finalizerEstimateSeconds ?? finalizerEstimateSeconds, remaining: left.length, finalizers };
    // Nothing explains why they are still here: counted as remaining and reported as an error.
    return { estimate, remaining: left.length, finalizers, error: `unexpected items still remain in namespace: ${namespace} for gvr: ${r.group ? `${r.group}/` : ''}${r.version}, Resource=${r.resource}` };
  }

  /**
   * The longest termination grace period of the namespace's non-terminal pods, or 0 once that much time
   * has passed since the namespace's deletion (upstream estimateGracefulTerminationForPods).
   */
  private async estimateGracefulTerminationForPods(namespace: string, deletedAt: string): Promise<number> {
    const pods = await this.opts.client.resource<Typed<corev1.Pod>>({ group: '', version: 'v1', resource: 'pods' }, namespace).list();
    let estimate = 0;
    for (const pod of pods.items) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds;
      if (grace !== undefined && grace > estimate) estimate = grace;
    }
    const elapsedSeconds = deletedAt ? (this.opts.clock.now() - Date.parse(deletedAt)) / 1000 : 0;
    return elapsedSeconds >= estimate ? 0 : estimate;
  }
}
