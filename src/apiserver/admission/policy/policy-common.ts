// What Validating- and MutatingAdmissionPolicy share (upstream's generic policy plumbing): parsed expressions
// cached by text, MatchResources against a write, and the params a binding names.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { parseCEL, type Node } from '../../../apimachinery/cel/parser.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { AdmissionAttributes } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { namespaceSelectorMatches, objectSelectorMatches, ruleMatches } from '../webhook/matching.js';

const programs = new Map<string, Node | Error>();
/** Compiles once per expression text (policies are few; their expressions repeat across writes). */
export function program(expression: string): Node {
  let p = programs.get(expression);
  if (!p) {
    try {
      p = parseCEL(expression);
    } catch (err) {
      p = err as Error;
    }
    programs.set(expression, p);
  }
  if (p instanceof Error) throw p;
  return p;
}

/** Whether a MatchResources (policy constraints or binding narrowing) covers the write. */
export async function resourcesMatch(m: admissionregistrationv1.MatchResources | undefined, attrs: AdmissionAttributes, reader: ObjectReader): Promise<boolean> {
  if (!m) return true;
  const rules = m.resourceRules ?? [];
  const matched = rules.some((r) => ruleMatches(r, attrs)) || ((m.matchPolicy ?? 'Equivalent') === 'Equivalent' && rules.some((r) => ruleMatches({ ...r, apiVersions: ['*'] }, attrs)));
  if (rules.length && !matched) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, attrs))) return false;
  if (!objectSelectorMatches(m, attrs)) return false;
  return namespaceSelectorMatches(m, attrs, reader);
}

/**
 * The params a binding names: undefined when the policy takes none (no paramKind); empty when none were found.
 */
export async function policyParams(
  opts: { registries: Registries; reader: ObjectReader },
  kind: admissionregistrationv1.ParamKind | undefined,
  ref: admissionregistrationv1.ParamRef | undefined,
  attrs: AdmissionAttributes,
): Promise<unknown[] | undefined> {
  if (!kind?.kind) return undefined;
  const [group, version] = (kind.apiVersion ?? 'v1').includes('/') ? (kind.apiVersion as string).split('/') : ['', kind.apiVersion ?? 'v1'];
  const reg = opts.registries.all().find((r) => r.resource.group === group && r.resource.version === version && r.resource.kind === kind.kind);
  if (!reg || !ref) return [];
  const namespace = reg.resource.namespaced ? (ref.namespace ?? attrs.namespace) : '';
  const resource = { group, resource: reg.resource.plural };
  if (ref.name) {
    const p = await opts.reader.get(resource, namespace, ref.name);
    return p ? [p] : [];
  }
  const sel = labelSelectorAsSelector(ref.selector ?? {});
  return (await opts.reader.list(resource, namespace)).filter((o) => sel.matches(o.metadata?.labels ?? {}));
}
