// Status conditions as workload controllers keep them (upstream SetDeploymentCondition and friends): one
// condition per type, replaced only when status or reason changes, timestamps in metav1.Time form.

/** metav1.Time: RFC 3339 in UTC with whole seconds, e.g. `2026-11-22T08:00:00Z`. */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The shape every workload condition shares (Deployment conditions add lastUpdateTime). */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export function getCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Returns `conditions` with `cond` set: unchanged when a condition of that type has the same status and
 * reason; otherwise the old one is replaced (moved to the end, as upstream appends), keeping its
 * lastTransitionTime when only the reason changed.
 */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, cond: C): C[] {
  const current = getCondition(conditions, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return [...(conditions ?? [])];
  const next = { ...cond };
  if (current && current.status === cond.status && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
  return [...(conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
