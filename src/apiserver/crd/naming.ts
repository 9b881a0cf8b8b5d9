// The naming check of upstream's naming controller: a CRD's plural, singular, short names, kind and
// list kind must not collide with names already accepted for another resource of the same group.

import type { ResourceInfo } from '../../api/resource-info.js';
import type { CRDNames } from './crd-types.js';

export type NamesVerdict = { accepted: true } | { accepted: false; reason: string; message: string };

/** Decides NamesAccepted for `names` given the other CRDs' accepted names and the group's built-ins. */
export function acceptNames(names: CRDNames, taken: { crds: readonly CRDNames[]; builtins: readonly ResourceInfo[] }): NamesVerdict {
  const plurals = new Set<string>();
  const singulars = new Set<string>();
  const shortNames = new Set<string>();
  const kinds = new Set<string>();
  const listKinds = new Set<string>();
  for (const n of taken.crds) {
    plurals.add(n.plural);
    if (n.singular) singulars.add(n.singular);
    for (const s of n.shortNames ?? []) shortNames.add(s);
    kinds.add(n.kind);
    if (n.listKind) listKinds.add(n.listKind);
  }
  for (const r of taken.builtins) {
    plurals.add(r.plural);
    singulars.add(r.singular);
    for (const s of r.shortNames) shortNames.add(s);
    kinds.add(r.kind);
    listKinds.add(r.listKind);
  }
  const inUse = (v: string) => `"${v}" is already in use`;
  // A name of one kind also conflicts with the other kind of resource name (plural vs singular).
  if (plurals.has(names.plural) || singulars.has(names.plural)) return { accepted: false, reason: 'PluralConflict', message: inUse(names.plural) };
  const singular = names.singular || names.kind.toLowerCase();
  if (singulars.has(singular) || plurals.has(singular)) return { accepted: false, reason: 'SingularConflict', message: inUse(singular) };
  for (const s of names.shortNames ?? []) {
    if (shortNames.has(s)) return { accepted: false, reason: 'ShortNamesConflict', message: inUse(s) };
  }
  if (kinds.has(names.kind) || listKinds.has(names.kind)) return { accepted: false, reason: 'KindConflict', message: inUse(names.kind) };
  const listKind = names.listKind || `${names.kind}List`;
  if (listKinds.has(listKind) || kinds.has(listKind)) return { accepted: false, reason: 'ListKindConflict', message: inUse(listKind) };
  return { accepted: true };
}
