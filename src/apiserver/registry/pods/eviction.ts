// pods/eviction (upstream EvictionREST): deletes a pod unless that would break its PodDisruptionBudget.
// A pod that is Pending, terminal or already being deleted is deleted at once; otherwise the one PDB
// selecting it must allow a disruption, which the eviction spends (status.disruptionsAllowed - 1).

import { isConflict, newBadRequest, newConflict, newForbidden, newTimeout, newTooManyRequests, StatusError } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { checkDryRun } from '../generic/list-options.js';
import { parseDeleteOptions, type DeleteOptions } from '../generic/delete-options.js';
import { rfc3339 } from '../generic/object-meta.js';
import type { GenericRegistry } from '../generic/registry.js';
import { asObject, asObjectList, readPath } from '../object-paths.js';
import type { APIObject, ObjectMeta } from '../strategy.js';
import { successStatus } from './binding.js';

export interface EvictPodOptions {
  pods: GenericRegistry;
  podDisruptionBudgets: GenericRegistry;
  namespace: string;
  /** The pod named by the URL. */
  name: string;
  /** The decoded policy/v1 (or v1beta1) Eviction. */
  eviction: APIObject;
  /** dryRun=All on the request (CreateOptions). */
  dryRun?: boolean;
  /** Wall clock in ms, for status.disruptedPods. */
  now?: () => number;
}

/** upstream EvictionsRetry: conflicts are retried this many times. */
const evictionRetries = 5;
/** upstream MaxDisruptedPodSize. */
const maxDisruptedPods = 2000;

const budgetMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
const pdbResource = { group: 'policy', resource: 'poddisruptionbudget' };

/** The 429 for a budget the disruption controller has not caught up with (upstream asks to retry in 10 s). */
function stillProcessing(pdbName: string): StatusError {
  const err = newTooManyRequests(budgetMessage, 10);
  err.status.details = { ...err.status.details, causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdbName} is still being processed by the server.` }] };
  return err;
}

/** upstream propagateDryRun: the request's dryRun and the body's deleteOptions.dryRun must agree. */
function deleteOptionsOf(eviction: APIObject, dryRun: boolean): DeleteOptions {
  const body = asObject(eviction.deleteOptions);
  const options = parseDeleteOptions(body ? { ...body, kind: undefined, apiVersion: undefined } : undefined, new URLSearchParams());
  const bodyDryRun = options.dryRun ?? [];
  checkDryRun(bodyDryRun, 'DeleteOptions');
  if (bodyDryRun.length === 0) {
    if (dryRun) options.dryRun = ['All'];
    return options;
  }
  if (dryRun && bodyDryRun.join(',') !== 'All') {
    throw new StatusError({ code: 500, message: `Non-matching dry-run options in request and content: [All] and [${bodyDryRun.join(' ')}]` });
  }
  return options;
}

/** upstream canIgnorePDB: such pods already are, or cause, no disruption. */
function canIgnorePDB(pod: APIObject): boolean {
  const phase = readPath(pod, 'status.phase');
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function isTerminalOrDeleting(pod: APIObject): boolean {
  const phase = readPath(pod, 'status.phase');
  return phase === 'Succeeded' || phase === 'Failed' || !!pod.metadata?.deletionTimestamp;
}

function isPodReady(pod: APIObject): boolean {
  return asObjectList(readPath(pod, 'status.conditions')).some((c) => c.type === 'Ready' && c.status === 'True');
}

function withResourceVersion(options: DeleteOptions, rv: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...(options.preconditions ?? {}), resourceVersion: rv } };
}

async function retryOnConflict<T>(enabled: boolean, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!enabled || !isConflict(err) || attempt >= evictionRetries) throw err;
    }
  }
}

/** The PDBs in the pod's namespace whose (non-empty, valid) selector matches the pod's labels. */
async function matchingBudgets(opts: EvictPodOptions, pod: APIObject): Promise<APIObject[]> {
  const { items } = await opts.podDisruptionBudgets.listObjects({ namespace: opts.namespace });
  const labels = pod.metadata?.labels ?? {};
  return items.filter((pdb) => {
    try {
      const selector = labelSelectorAsSelector(readPath(pdb, 'spec.selector') as LabelSelector | undefined);
      // A nil or empty selector matches nothing here, unlike elsewhere in policy/v1.
      return !selector.empty() && selector.matches(labels);
    } catch {
      return false;
    }
  });
}

/**
 * upstream checkAndDecrement: 429 while the budget's status is stale or allows no disruption, else
 * spends one disruption and records the pod in status.disruptedPods (skipped on dry run).
 */
async function checkAndDecrement(opts: EvictPodOptions, pdb: APIObject, dryRun: boolean): Promise<void> {
  const meta = pdb.metadata as ObjectMeta;
  const name = meta.name ?? '';
  const status = (asObject(pdb.status) ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  if (num(status.observedGeneration) < (meta.generation ?? 0)) throw stillProcessing(name);
  const allowed = num(status.disruptionsAllowed);
  if (allowed < 0) throw newForbidden(pdbResource, name, 'pdb disruptions allowed is negative');
  const disrupted = (asObject(status.disruptedPods) ?? {}) as Record<string, string>;
  if (Object.keys(disrupted).length > maxDisruptedPods) {
    throw newForbidden(pdbResource, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    const err = newTooManyRequests(budgetMessage, 0);
    err.status.details = {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${num(status.desiredHealthy)} healthy pods and has ${num(status.currentHealthy)} currently` }],
    };
    throw err;
  }
  const now = opts.now ?? Date.now;
  const next: Record<string, unknown> = { ...status, disruptionsAllowed: allowed - 1 };
  if (allowed - 1 === 0) next.conditions = withInsufficientPods(status, meta.generation, now());
  if (dryRun) return;
  next.disruptedPods = { ...disrupted, [opts.name]: rfc3339(now()) };
  // The read resourceVersion makes this conditional: a concurrent eviction makes it a 409, retried above.
  await opts.podDisruptionBudgets.update({ namespace: opts.namespace, name, subresource: 'status', obj: { ...pdb, status: next } });
}

/** upstream UpdateDisruptionAllowedCondition for a budget with no disruption left. */
function withInsufficientPods(status: Record<string, unknown>, generation: number | undefined, nowMs: number): unknown[] {
  const conditions = asObjectList(status.conditions).filter((c) => c.type !== 'DisruptionAllowed');
  const old = asObjectList(status.conditions).find((c) => c.type === 'DisruptionAllowed');
  const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : generation;
  const changed = !old || old.status !== 'False';
  conditions.push({
    type: 'DisruptionAllowed',
    status: 'False',
    reason: 'InsufficientPods',
    message: typeof old?.message === 'string' && !changed ? old.message : '',
    observedGeneration: observed,
    lastTransitionTime: changed ? rfc3339(nowMs) : old.lastTransitionTime,
  });
  return conditions;
}

/**
 * upstream addConditionAndDeletePod: unless dry run, the pod first gets the DisruptionTarget condition
 * (checked against the delete preconditions, whose resourceVersion then moves to the updated pod), so
 * that controllers can tell an eviction from other deletions; then it is deleted.
 */
async function markAndDelete(opts: EvictPodOptions, options: DeleteOptions): Promise<void> {
  let next = options;
  if (!options.dryRun?.length) {
    const pre = options.preconditions;
    const podsResource = { group: '', resource: 'Pod' };
    const updated = await opts.pods.patch({
      namespace: opts.namespace,
      name: opts.name,
      subresource: 'status',
      setsResourceVersion: false,
      apply: (pod) => {
        const meta = pod.metadata as ObjectMeta;
        if (pre?.uid && pre.uid !== meta.uid) {
          throw newConflict(podsResource, opts.name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`);
        }
        if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
          throw newConflict(podsResource, opts.name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`);
        }
        const status = (asObject(pod.status) ?? {}) as Record<string, unknown>;
        const conditions = asObjectList(status.conditions).map((c) => ({ ...c }));
        const target = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
        const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
        const stamp = rfc3339((opts.now ?? Date.now)());
        if (i < 0) conditions.push({ ...target, lastProbeTime: null, lastTransitionTime: stamp });
        else conditions[i] = { ...conditions[i], ...target, lastTransitionTime: conditions[i].status === 'True' ? conditions[i].lastTransitionTime : stamp };
        pod.status = { ...status, conditions };
        return pod;
      },
    });
    if (pre?.resourceVersion) next = withResourceVersion(options, updated.metadata?.resourceVersion);
  }
  await opts.pods.delete({ namespace: opts.namespace, name: opts.name, options: next });
}

/**
 * Evicts the pod: 400 when the body names another pod; 404 when it does not exist; 429 TooManyRequests
 * (cause DisruptionBudget) when its budget allows no disruption; 500 when more than one budget selects
 * it. Returns the Success Status the create handler replies 201 with.
 */
export async function evictPod(opts: EvictPodOptions): Promise<APIObject> {
  const ev = opts.eviction;
  if (ev.kind !== undefined && ev.kind !== 'Eviction') {
    throw newBadRequest(`${String(ev.kind)} in version "${String(ev.apiVersion)}" cannot be handled as a Eviction`);
  }
  if (ev.apiVersion !== undefined && ev.apiVersion !== 'policy/v1' && ev.apiVersion !== 'policy/v1beta1') {
    throw newBadRequest(`the API version in the data (${String(ev.apiVersion)}) does not match the expected API version (policy/v1)`);
  }
  if ((ev.metadata?.name ?? '') !== opts.name) throw newBadRequest('name in URL does not match name in Eviction object');
  const original = deleteOptionsOf(ev, !!opts.dryRun);
  const dryRun = !!original.dryRun?.length;
  // A resourceVersion precondition from the client is final: no retry on conflicts.
  const clientRV = !!original.preconditions?.resourceVersion;

  let pod: APIObject | undefined;
  const deletedAtOnce = await retryOnConflict(!clientRV, async () => {
    pod = await opts.pods.get({ namespace: opts.namespace, name: opts.name });
    if (!canIgnorePDB(pod)) return false;
    const options = !isTerminalOrDeleting(pod) && !clientRV ? withResourceVersion(original, pod.metadata?.resourceVersion) : original;
    await markAndDelete(opts, options);
    return true;
  });
  if (deletedAtOnce) return successStatus();
  const current = pod as APIObject;

  const budgets = await matchingBudgets(opts, current);
  if (budgets.length > 1) {
    throw new StatusError({ code: 500, message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' });
  }
  let pinToRead = false;
  if (budgets.length === 1) {
    let pdb = budgets[0];
    const status = (asObject(pdb.status) ?? {}) as Record<string, number>;
    const desired = status.desiredHealthy ?? 0;
    const alwaysAllow = readPath(pdb, 'spec.unhealthyPodEvictionPolicy') === 'AlwaysAllow';
    if (!isPodReady(current) && (alwaysAllow || ((status.currentHealthy ?? 0) >= desired && desired > 0))) {
      // An unready pod does not count as healthy (or the budget lets unhealthy pods go): no disruption
      // is spent, but the pod must not have become ready in the meantime.
      pinToRead = true;
    } else {
      let refresh = false;
      for (let attempt = 1; ; attempt++) {
        try {
          if (refresh) pdb = await opts.podDisruptionBudgets.get({ namespace: opts.namespace, name: pdb.metadata?.name ?? '' });
          await checkAndDecrement(opts, pdb, dryRun);
          break;
        } catch (err) {
          refresh = true;
          if (!isConflict(err)) throw err;
          if (attempt >= evictionRetries) throw newTimeout(`couldn't update PodDisruptionBudget "${pdb.metadata?.name ?? ''}" due to conflicts`, 10);
        }
      }
    }
  }

  const options = pinToRead && !clientRV ? withResourceVersion(original, current.metadata?.resourceVersion) : original;
  try {
    await markAndDelete(opts, options);
  } catch (err) {
    if (isConflict(err) && pinToRead && !clientRV) throw stillProcessing(budgets[0].metadata?.name ?? '');
    throw err;
  }
  return successStatus();
}
