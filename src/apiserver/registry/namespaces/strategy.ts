// Namespaces (upstream pkg/registry/core/namespace): Active with the `kubernetes` finalizer on create, and
// two-phase delete — DELETE only marks the namespace Terminating; it disappears once the namespace
// controller has emptied it and cleared spec.finalizers through `namespaces/finalize`.
// Until the controller-manager exists (a later issue) nobody clears that finalizer, so `kubectl delete ns`
// waits; `kubectl replace --raw /api/v1/namespaces/<ns>/finalize` with empty finalizers ends it by hand.

import { newConflict } from '../../../apimachinery/errors.js';
import { asObject, cloneJSON, ensureObject, stringField } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, DeleteDecision, ResourceStrategy } from '../strategy.js';

/** The finalizer the namespace controller removes once the namespace is empty. */
export const finalizerKubernetes = 'kubernetes';
/** The label every namespace carries with its own name (upstream NamespaceDefaultLabelName). */
export const labelMetadataName = 'kubernetes.io/metadata.name';

const terminatingConflict =
  'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.';

function specFinalizers(obj: APIObject): string[] {
  const f = asObject(obj.spec)?.finalizers;
  return Array.isArray(f) ? (f as string[]) : [];
}

function setNameLabel(obj: APIObject): void {
  const meta = obj.metadata ?? (obj.metadata = {});
  if (!meta.name) return;
  meta.labels = { ...(meta.labels ?? {}), [labelMetadataName]: meta.name };
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
function nowTime(now: () => Date): string {
  return now().toISOString().replace(/\.\d+Z$/, 'Z');
}

export interface NamespaceStrategyOptions {
  now?: () => Date;
}

export function newNamespaceStrategy(opts: NamespaceStrategyOptions = {}): ResourceStrategy {
  const now = opts.now ?? (() => new Date());
  return {
    hasStatusSubresource: true,
    hasGeneration: false,
    deleteBehaviour: 'namespace',
    selectableFields: { 'status.phase': stringField('status.phase') },
    prepareForCreate(obj) {
      const spec = ensureObject(obj, 'spec');
      const finalizers = specFinalizers(obj);
      spec.finalizers = finalizers.includes(finalizerKubernetes) ? finalizers : [...finalizers, finalizerKubernetes];
      obj.status = { phase: 'Active' };
      setNameLabel(obj);
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers change only through namespaces/finalize.
      const spec = ensureObject(obj, 'spec');
      const oldFinalizers = specFinalizers(old);
      if (oldFinalizers.length > 0 || asObject(old.spec)?.finalizers !== undefined) spec.finalizers = cloneJSON(oldFinalizers);
      else delete spec.finalizers;
      keepStatus(obj, old);
      setNameLabel(obj);
    },
    subresourceUpdates: {
      finalize(obj, old) {
        // Only spec.finalizers may change.
        const finalizers = cloneJSON(specFinalizers(obj));
        const rv = obj.metadata?.resourceVersion;
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, cloneJSON(old));
        ensureObject(obj, 'spec').finalizers = finalizers;
        if (obj.metadata && rv !== undefined) obj.metadata.resourceVersion = rv;
      },
    },
    shouldDeleteDuringUpdate(obj) {
      return specFinalizers(obj).length === 0;
    },
    beginDelete(existing): DeleteDecision {
      const meta = existing.metadata ?? {};
      const hasSpecFinalizers = specFinalizers(existing).length > 0;
      if (!meta.deletionTimestamp) {
        if (!hasSpecFinalizers && (meta.finalizers ?? []).length === 0) return { action: 'delete' };
        const obj = cloneJSON(existing);
        obj.metadata = { ...meta, deletionTimestamp: nowTime(now), deletionGracePeriodSeconds: 0 };
        obj.status = { ...(asObject(existing.status) ?? {}), phase: 'Terminating' };
        return { action: 'update', obj };
      }
      if (hasSpecFinalizers) throw newConflict({ group: '', resource: 'namespaces' }, meta.name ?? '', terminatingConflict);
      return { action: 'delete' };
    },
  };
}
