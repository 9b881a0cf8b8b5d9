// ResourceQuota admission (upstream k8s.io/apiserver/pkg/admission/plugin/resourcequota): a create in a namespace
// with ResourceQuotas is charged to each quota's status.used with a compare-and-swap write BEFORE it is admitted,
// so the quota status is the lock, across every apiserver sharing the store; over a hard limit it is a 403.
// Updates that can use more are charged their increase: a Service turned NodePort or LoadBalancer, a claim
// expanded, a pod resized (pods/resize).

import type * as corev1 from '../../../api/generated/core/v1.js';
import { newInternalError } from '../../../apimachinery/errors.js';
import { klog } from '../../../base/logger.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { add, prettyPrint, quantity, scopesMatch, usageOf, type Usage } from './resource-quota-usage.js';

export { usageOf } from './resource-quota-usage.js';
export const resourceQuotaPluginName = 'ResourceQuota';
const log = klog.withName('resource-quota');

/** Conflicting status writes re-read the quotas and evaluate again this many times (upstream's 3). */
const conflictRetries = 3;
/** How long a request waits for its namespace's evaluation before it fails (upstream's 10 s). */
const evaluationTimeoutMs = 10_000;
/** At most this many of our own quota writes are remembered while the watch cache catches up. */
const maxRememberedWrites = 1024;

type GroupResource = { group: string; resource: string };

/** One create waiting for its namespace's next evaluation (upstream admissionWaiter). */
interface Waiter {
  attrs: AdmissionAttributes;
  r: GroupResource;
  delta: Usage;
  /** Set once the create is refused; a refused create charges nothing in later evaluations of its batch. */
  refusal?: Error;
  settle(err?: Error): void;
}

/** A quota as the current evaluation sees it: the stored object and its running usage. */
interface RunningQuota {
  quota: corev1.ResourceQuota;
  used: Usage;
  /** True when creates of this batch were charged to it (its status must be written). */
  charged: boolean;
}

/**
 * The ResourceQuota plugin. Creates in one namespace are evaluated in batches (one evaluation at a time per
 * namespace in this apiserver): each is checked against every quota that selects it, on top of the quota's
 * status.used — or, for a resource status.used does not show yet (no quota controller has run), on top of the
 * usage summed over the namespace's objects — and the batch's charges are written to the quotas' status with
 * their resourceVersion as precondition. A create is admitted only once every charged quota was written; a
 * conflict (another apiserver, or the quota controller, wrote first) re-reads the quotas that failed and
 * evaluates again. Nothing is held in memory: a unit charged by a create that then fails (name taken, a later
 * admission plugin refuses it) stays in status.used until the quota controller recomputes usage from the
 * objects; deletions likewise free units only then. Dry runs are evaluated but charge nothing.
 */
export function newResourceQuota(opts: { reader: ObjectReader; registries: Registries }): AdmissionPlugin {
  const quotasRegistry = () => opts.registries.get('', 'resourcequotas');
  /** Creates waiting per namespace, and the namespaces being evaluated now (upstream's work / inProgress). */
  const waiting = new Map<string, Waiter[]>();
  const inProgress = new Set<string>();
  /** Our latest status writes by namespace/name: the watch cache may not show them yet (upstream updatedQuotas). */
  const written = new Map<string, corev1.ResourceQuota>();

  return {
    name: resourceQuotaPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs: AdmissionAttributes) {
      if (!attrs.object || !attrs.namespace || !evaluated(attrs)) return;
      const r = { group: attrs.resource.group, resource: attrs.resource.resource };
      const quotas = await opts.reader.list({ group: '', resource: 'resourcequotas' }, attrs.namespace);
      if (!quotas.length) return;
      const delta = chargeOf(r, attrs);
      if (!delta.size) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          // As upstream, a request gives up after 10 s; its evaluation still happens when its turn comes.
          timer = setTimeout(() => reject(newInternalError(new Error('resource quota evaluation timed out'))), evaluationTimeoutMs);
          timer.unref();
          enqueue({ attrs, r, delta, settle: (err) => (err ? reject(err) : resolve()) });
        });
      } finally {
        clearTimeout(timer);
      }
    },
  };

  function enqueue(w: Waiter): void {
    const ns = w.attrs.namespace;
    const queue = waiting.get(ns);
    if (queue) queue.push(w);
    else waiting.set(ns, [w]);
    if (inProgress.has(ns)) return;
    inProgress.add(ns);
    void drain(ns);
  }

  /** Evaluates the namespace's waiting creates batch by batch until none are left. */
  async function drain(ns: string): Promise<void> {
    try {
      for (;;) {
        const quotas = await cachedQuotas(ns).catch((err: unknown) => err as Error);
        // Taken after the read: creates that arrived meanwhile join this batch.
        const batch = waiting.get(ns) ?? [];
        waiting.delete(ns);
        if (!batch.length) return;
        if (quotas instanceof Error) {
          for (const w of batch) w.settle(quotas);
          continue;
        }
        try {
          await checkQuotas(batch, quotas);
          for (const w of batch) w.settle(w.refusal);
        } catch (err) {
          for (const w of batch) w.settle(err as Error);
        }
      }
    } finally {
      inProgress.delete(ns);
      // A create may have been queued between the last empty take and here.
      if (waiting.get(ns)?.length) {
        inProgress.add(ns);
        void drain(ns);
      }
    }
  }

  /** The namespace's quotas from the watch cache, each replaced by our own later write when the cache lags. */
  async function cachedQuotas(ns: string): Promise<corev1.ResourceQuota[]> {
    const cached = (await opts.reader.list({ group: '', resource: 'resourcequotas' }, ns)) as corev1.ResourceQuota[];
    return cached.map((q) => {
      const key = `${ns}/${q.metadata?.name}`;
      const mine = written.get(key);
      if (!mine) return q;
      if (mine.metadata?.uid === q.metadata?.uid && newerThan(mine, q)) return mine;
      written.delete(key);
      return q;
    });
  }

  /**
   * upstream checkQuotas: charges the batch to `quotas` and writes the quotas charged; on conflicts, evaluates the
   * batch again against fresh copies of the quotas whose write failed. Marks refused creates; throws when the
   * writes still fail after the retries.
   */
  async function checkQuotas(batch: Waiter[], quotas: corev1.ResourceQuota[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const running: RunningQuota[] = quotas.map((quota) => ({ quota, used: usageFromStatus(quota), charged: false }));
      for (const w of batch) {
        if (w.refusal) continue;
        try {
          const charges = await checkRequest(running, w);
          if (w.attrs.dryRun) continue;
          for (const c of charges) {
            c.running.used = c.used;
            c.running.charged = true;
          }
        } catch (err) {
          w.refusal = err as Error;
        }
      }
      const failed: string[] = [];
      let lastErr: unknown;
      for (const q of running.filter((x) => x.charged)) {
        try {
          await writeStatus(q);
        } catch (err) {
          failed.push(q.quota.metadata?.name ?? '');
          lastErr = err;
        }
      }
      if (!failed.length) return;
      if (attempt >= conflictRetries) throw lastErr;
      log.v(4).info('Quota status conflict, evaluating again', { namespace: batch[0]!.attrs.namespace, quotas: failed, attempt });
      const reg = quotasRegistry();
      if (!reg) throw lastErr;
      // A consistent read (not the cache): the write that beat ours must be in it. Deleted quotas drop out.
      const fresh = (await reg.listObjects({ namespace: batch[0]!.attrs.namespace })).items as corev1.ResourceQuota[];
      quotas = fresh.filter((q) => failed.includes(q.metadata?.name ?? ''));
    }
  }

  /**
   * upstream checkRequest: the new usage of each quota that selects the create (not applied), or throws the
   * refusal: `failed quota: … must specify …` or `exceeded quota: …`.
   */
  async function checkRequest(running: RunningQuota[], w: Waiter): Promise<Array<{ running: RunningQuota; used: Usage }>> {
    const { attrs, r, delta } = w;
    const object = attrs.object!;
    const pod = !r.group && r.resource === 'pods' ? (object as corev1.Pod) : undefined;
    const charges: Array<{ running: RunningQuota; used: Usage }> = [];
    for (const q of running) {
      const quota = q.quota;
      const hard = quota.spec?.hard ?? {};
      if (!scopesMatch(quota, r.resource, object)) continue;
      const computeKey = (k: string) => /^(requests|limits)\.(cpu|memory)$|^(cpu|memory)$/.test(k);
      const tracked = Object.keys(hard).filter((k) => delta.has(k) || (pod && computeKey(k)));
      if (!tracked.length) continue;
      // A quota on cpu/memory needs every container to request (or limit) them (upstream Constraints).
      if (pod) {
        const required = tracked.filter(computeKey);
        const missing = new Map<string, string[]>();
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
          const has = usageOf(r, { spec: { containers: [c] } } as APIObject);
          for (const k of required) if (!has.has(k)) missing.set(k, [...(missing.get(k) ?? []), c.name]);
        }
        if (missing.size) {
          const detail = [...missing.keys()].sort().map((k) => `${k} for: ${missing.get(k)!.join(',')}`).join('; ');
          throw newAdmissionForbidden(attrs, `failed quota: ${quota.metadata?.name}: must specify ${detail}`);
        }
      }
      const charged = tracked.filter((k) => delta.has(k));
      if (charged.some((k) => !q.used.has(k))) await fillFromObjects(q, attrs.namespace, r, charged);
      const used: Usage = new Map(q.used);
      const requested: Usage = new Map();
      const failedUsed: Usage = new Map();
      const failedHard: Usage = new Map();
      for (const k of charged) {
        const d = delta.get(k)!;
        const limit = quantity(hard[k])!;
        const current = q.used.get(k)!;
        if (current.add(d).cmp(limit) > 0) {
          requested.set(k, d);
          failedUsed.set(k, current);
          failedHard.set(k, limit);
        }
        used.set(k, current.add(d));
      }
      if (requested.size) {
        throw newAdmissionForbidden(attrs, `exceeded quota: ${quota.metadata?.name}, requested: ${prettyPrint(requested)}, used: ${prettyPrint(failedUsed)}, limited: ${prettyPrint(failedHard)}`);
      }
      charges.push({ running: q, used });
    }
    return charges;
  }

  /**
   * For resources status.used does not show yet (upstream refuses with `status unknown for quota`): their usage
   * summed over the namespace's objects the quota selects. Once written it is the status that counts.
   */
  async function fillFromObjects(q: RunningQuota, namespace: string, r: GroupResource, keys: string[]): Promise<void> {
    const sum: Usage = new Map();
    for (const obj of await opts.reader.list(r, namespace)) {
      if (!scopesMatch(q.quota, r.resource, obj)) continue;
      for (const [k, v] of usageOf(r, obj)) add(sum, k, v);
    }
    for (const k of keys) if (!q.used.has(k)) q.used.set(k, sum.get(k) ?? quantity('0')!);
  }

  /** The compare-and-swap: status (hard from spec, used with the charges) written at the quota's resourceVersion. */
  async function writeStatus(q: RunningQuota): Promise<void> {
    const reg = quotasRegistry();
    if (!reg) throw newInternalError(new Error('resourcequotas are not served'));
    const quota = q.quota;
    const hard = quota.spec?.hard ?? {};
    const used: Record<string, string> = { ...(quota.status?.used ?? {}) };
    for (const [k, v] of q.used) if (k in hard) used[k] = v.toString();
    const obj = { ...(quota as APIObject), status: { ...quota.status, hard: { ...hard }, used } };
    const { obj: stored } = await reg.update({ namespace: quota.metadata?.namespace ?? '', name: quota.metadata?.name ?? '', subresource: 'status', obj });
    const key = `${quota.metadata?.namespace}/${quota.metadata?.name}`;
    written.delete(key);
    written.set(key, stored as corev1.ResourceQuota);
    if (written.size > maxRememberedWrites) written.delete(written.keys().next().value!);
  }
}

/**
 * Which requests quota evaluates (upstream's evaluators' Handles): every create, and the updates that can
 * change usage — services and claims, and the resize of a pod. Other subresources never.
 */
function evaluated(attrs: AdmissionAttributes): boolean {
  const core = attrs.resource.group === '';
  if (attrs.operation === 'CREATE') return attrs.subresource === '';
  if (attrs.operation !== 'UPDATE' || !core) return false;
  if (attrs.resource.resource === 'pods') return attrs.subresource === 'resize';
  return attrs.subresource === '' && (attrs.resource.resource === 'services' || attrs.resource.resource === 'persistentvolumeclaims');
}

/**
 * What a request is charged: a create its whole usage; an update what it adds over the stored object, each
 * resource at least zero (upstream SubtractWithNonNegativeResult, then zeros dropped), so a count never moves.
 */
function chargeOf(r: GroupResource, attrs: AdmissionAttributes): Usage {
  const usage = usageOf(r, attrs.object!);
  const old = attrs.operation === 'UPDATE' ? attrs.oldObject : undefined;
  // An update with no stored object (an apply or PUT that creates) is billed in full, as upstream.
  if (!old?.metadata?.resourceVersion) return usage;
  const before = usageOf(r, old);
  const delta: Usage = new Map();
  for (const [k, v] of usage) {
    const increase = before.has(k) ? v.sub(before.get(k)!) : v;
    if (increase.sign() > 0) delta.set(k, increase);
  }
  return delta;
}

/** status.used parsed. */
function usageFromStatus(quota: corev1.ResourceQuota): Usage {
  const used: Usage = new Map();
  for (const [k, v] of Object.entries(quota.status?.used ?? {})) used.set(k, quantity(v)!);
  return used;
}

/** Whether `a` is a later version than `b` (resourceVersions are store revisions, compared as integers). */
function newerThan(a: corev1.ResourceQuota, b: corev1.ResourceQuota): boolean {
  try {
    return BigInt(a.metadata?.resourceVersion ?? '0') > BigInt(b.metadata?.resourceVersion ?? '0');
  } catch {
    return false;
  }
}
