// Pod (anti-)affinity terms parsed once per pod (upstream framework.AffinityTerm and the term lists of
// PodInfo): namespaces (the pod's own when neither namespaces nor namespaceSelector is set), a namespace
// selector and a label selector with matchLabelKeys/mismatchLabelKeys folded in.
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../../api/generated/core/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { newRequirement, newSelector, nothing, type Labels, type Requirement, type Selector } from '../../../apimachinery/labels/selector.js';

export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  namespaceSelector: Selector;
}

export interface WeightedAffinityTerm {
  term: AffinityTerm;
  weight: number;
}

/** The four term lists of a pod. */
export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

/** Upstream AffinityTerm.Matches: the namespace is listed or its labels match, then the pod's labels match. */
export function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Labels): boolean {
  if (t.namespaces.has(pod.metadata?.namespace ?? '') || t.namespaceSelector.matches(nsLabels)) return t.selector.matches(pod.metadata?.labels);
  return false;
}

/** True when `pod` matches every term (false for no terms). */
export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

/** Parses one term of `pod`. Throws on an invalid selector. */
export function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && !term.namespaceSelector) namespaces.add(pod.metadata?.namespace ?? '');
  let selector = labelSelectorAsSelector(term.labelSelector);
  const extra: Requirement[] = [];
  const podLabels = pod.metadata?.labels ?? {};
  for (const k of term.matchLabelKeys ?? []) if (k in podLabels) extra.push(newRequirement(k, 'in', [podLabels[k]]));
  for (const k of term.mismatchLabelKeys ?? []) if (k in podLabels) extra.push(newRequirement(k, 'notin', [podLabels[k]]));
  if (extra.length > 0 && term.labelSelector) selector = newSelector([...selector.requirements, ...extra]);
  return { namespaces, selector, topologyKey: term.topologyKey, namespaceSelector: term.namespaceSelector ? labelSelectorAsSelector(term.namespaceSelector) : nothing() };
}

const weighted = (pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] =>
  (terms ?? []).map((w) => ({ term: newAffinityTerm(pod, w.podAffinityTerm), weight: w.weight }));

const cache = new WeakMap<Pod, PodAffinityTerms | Error>();

/**
 * The pod's parsed terms, cached per Pod object (pods in the scheduler cache are immutable). Throws the
 * parse error, also on later calls.
 */
export function podAffinityTerms(pod: Pod): PodAffinityTerms {
  let t = cache.get(pod);
  if (!t) {
    try {
      const a = pod.spec?.affinity;
      t = {
        requiredAffinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => newAffinityTerm(pod, x)),
        requiredAntiAffinity: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => newAffinityTerm(pod, x)),
        preferredAffinity: weighted(pod, a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
        preferredAntiAffinity: weighted(pod, a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      };
    } catch (err) {
      t = err instanceof Error ? err : new Error(String(err));
    }
    cache.set(pod, t);
  }
  if (t instanceof Error) throw t;
  return t;
}

/** Namespace labels and selection, for namespaceSelector (a lister in production, a map in tests). */
export interface NamespaceLister {
  /** The namespace's labels; undefined when it is unknown. */
  labels(name: string): Labels;
  /** Names of the namespaces whose labels match. */
  namesMatching(selector: Selector): string[];
}

/**
 * The incoming pod's terms with namespaceSelector resolved to names (upstream
 * mergeAffinityTermNamespacesIfNotEmpty): an empty selector `{}` (all namespaces) is kept as it is.
 */
export function resolveNamespaces(t: AffinityTerm, lister: NamespaceLister | undefined): AffinityTerm {
  if (t.namespaceSelector.empty()) return t;
  const namespaces = new Set(t.namespaces);
  for (const n of lister?.namesMatching(t.namespaceSelector) ?? []) namespaces.add(n);
  return { ...t, namespaces, namespaceSelector: nothing() };
}
