// ClusterRole aggregation (upstream's clusterrole-aggregation controller, run here inside the apiserver):
// a ClusterRole with an aggregationRule gets, as its stored rules, the rules of every ClusterRole its
// selectors match. Decision: an in-process loop in the apiserver, not evaluation-time merging, so that
// `kubectl get clusterrole admin -o yaml` shows the aggregated rules exactly as upstream, SelfSubjectRulesReview
// and escalation checks see the same rules the authorizer uses, and no controller manager is needed for
// admin/edit/view to work. A controller manager running the same controller would write the same rules.

import { isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { klog } from '../../../base/logger.js';
import type { GenericRegistry } from '../../registry/generic/registry.js';
import type { APIObject } from '../../registry/strategy.js';
import type { PolicyIndex } from './policy-index.js';
import type { PolicyRule, RoleObject } from './types.js';

/**
 * The rules an aggregated ClusterRole should hold: those of the matching ClusterRoles (itself excluded)
 * in name order, each distinct rule once. Undefined for roles without an aggregationRule.
 */
export function aggregatedRules(role: RoleObject, all: Iterable<RoleObject>): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const compiled = (selectors ?? []).map((s) => {
    try {
      return labelSelectorAsSelector(s);
    } catch {
      return undefined;
    }
  });
  const matching = [...all]
    .filter((r) => r.metadata.name !== role.metadata.name && compiled.some((sel) => sel?.matches(r.metadata.labels)))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const r of matching) {
    for (const rule of r.rules ?? []) {
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(rule);
    }
  }
  return out;
}

export interface ClusterRoleAggregatorOptions {
  index: PolicyIndex;
  clusterRoles: Pick<GenericRegistry, 'updateStored'>;
  signal: AbortSignal;
}

/**
 * Recomputes aggregated ClusterRoles whenever any ClusterRole changes (changes within one turn of the event
 * loop are coalesced) and writes those whose rules differ. The write comes back through the watch, which
 * triggers one more pass that finds nothing to do.
 */
export class ClusterRoleAggregator {
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ClusterRoleAggregatorOptions) {}

  /** Call on every ClusterRole change. */
  enqueue(): void {
    if (this.scheduled || this.opts.signal.aborted) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.syncAll()).catch((err: unknown) => {
        if (!this.opts.signal.aborted) klog.error('clusterrole aggregation', err);
      });
    });
  }

  /** Resolves when the passes queued so far are done (tests). */
  idle(): Promise<void> {
    return this.running;
  }

  async syncAll(): Promise<void> {
    const roles = [...this.opts.index.clusterRoles.values()];
    for (const role of roles) {
      if (this.opts.signal.aborted) return;
      const want = aggregatedRules(role, roles);
      if (!want || JSON.stringify(want) === JSON.stringify(role.rules ?? [])) continue;
      try {
        await this.opts.clusterRoles.updateStored({
          namespace: '',
          name: role.metadata.name ?? '',
          tryUpdate: (current: APIObject) => {
            const latest = aggregatedRules(current as unknown as RoleObject, this.opts.index.clusterRoles.values()) ?? want;
            return { ...current, rules: latest } as APIObject;
          },
        });
      } catch (err) {
        // Deleted meanwhile, or storage trouble: the next change to any ClusterRole tries again.
        if (!isNotFound(err)) klog.error(`clusterrole aggregation of ${role.metadata.name}`, err);
      }
    }
  }
}
