// Upstream's autoregister controller: keeps one local APIService (spec.service unset) per group-version this
// apiserver serves itself — the built-in APIs and every CustomResourceDefinition version.

import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import { autoManagedLabel, builtinPriority, crdPriority, localAPIService } from './api-service-priorities.js';

/** The local APIServices of the served resources: built-ins by upstream's table, CRD versions at crdPriority. */
export function localAPIServicesFor(args: { builtin: readonly ResourceInfo[]; custom: readonly ResourceInfo[] }): APIService[] {
  const out = new Map<string, APIService>();
  for (const r of args.builtin) {
    const priority = builtinPriority(r.group, r.version);
    if (!priority) continue;
    const svc = localAPIService({ group: r.group, version: r.version, priority, automanaged: 'onstart' });
    out.set(svc.metadata!.name!, svc);
  }
  for (const r of args.custom) {
    const svc = localAPIService({ group: r.group, version: r.version, priority: crdPriority, automanaged: 'true' });
    if (!out.has(svc.metadata!.name!)) out.set(svc.metadata!.name!, svc);
  }
  return [...out.values()];
}

function sameSpec(a: APIService, b: APIService): boolean {
  const x = a.spec;
  const y = b.spec;
  return (
    (x?.group ?? '') === (y?.group ?? '') &&
    x?.version === y?.version &&
    x?.groupPriorityMinimum === y?.groupPriorityMinimum &&
    x?.versionPriority === y?.versionPriority &&
    !x?.service === !y?.service
  );
}

/**
 * Brings the stored APIServices in line with `desired`:
 * - a missing one is created; one this controller manages (the automanaged label) whose spec differs is
 *   replaced; one created by someone else (no label) is left alone, as upstream does;
 * - managed ones not desired are deleted: label "true" (CRDs) always, label "onstart" only when `initial`
 *   (at start, for APIs this build no longer serves);
 * - desired "onstart" ones (built-in APIs) are written only when `initial`: deleted later, they come back at the
 *   next start, as upstream's sync-on-start registrations do.
 * Conflicts with concurrent writers are retried on the next call, which the caller makes on every change.
 */
export async function syncLocalAPIServices(args: { registry: GenericRegistry; desired: readonly APIService[]; initial: boolean }): Promise<void> {
  const { registry } = args;
  const wanted = new Map(args.desired.map((s) => [s.metadata!.name!, s]));
  const { items } = await registry.listObjects({ namespace: '' });
  const existing = new Map((items as APIService[]).map((s) => [s.metadata?.name ?? '', s]));
  // Independent writes go out together, so a durable store commits them in one group.
  const writes: Promise<unknown>[] = [];
  for (const [name, want] of wanted) {
    if (!args.initial && want.metadata?.labels?.[autoManagedLabel] === 'onstart') continue;
    const have = existing.get(name);
    if (!have) {
      writes.push(registry.create({ namespace: '', obj: want as never }).catch((err: unknown) => ignore(err, isAlreadyExists)));
    } else if (have.metadata?.labels?.[autoManagedLabel] && (!sameSpec(have, want) || have.metadata.labels[autoManagedLabel] !== want.metadata!.labels![autoManagedLabel])) {
      const obj = { ...want, metadata: { ...have.metadata, labels: { ...have.metadata.labels, ...want.metadata!.labels } }, status: have.status };
      writes.push(registry.update({ namespace: '', name, obj: obj as never }).catch((err: unknown) => ignore(err, isConflict)));
    }
  }
  for (const [name, have] of existing) {
    if (wanted.has(name)) continue;
    const managed = have.metadata?.labels?.[autoManagedLabel];
    if (managed === 'true' || (managed === 'onstart' && args.initial)) {
      writes.push(registry.delete({ namespace: '', name }).catch((err: unknown) => ignore(err, isNotFound)));
    }
  }
  await Promise.all(writes);
}

/** Swallows the one expected outcome of a write raced by another writer; rethrows anything else. */
function ignore(err: unknown, expected: (err: unknown) => boolean): void {
  if (!expected(err)) throw err;
}
