// Node selector terms (upstream component-helpers nodeaffinity): matchExpressions against node labels and
// matchFields against metadata.name. Terms are ORed, requirements within a term ANDed; a term that cannot
// be parsed or is empty matches nothing. Built once per pod, matched per node without allocating.
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from '../../api/generated/core/v1.js';
import { newRequirement, requirementMatches, type Operator, type Requirement } from '../../apimachinery/labels/selector.js';

const operators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

interface CompiledTerm {
  labels: Requirement[];
  /** Requirements on metadata.name: In/NotIn only. */
  fields: Requirement[];
}

function compileRequirements(reqs: readonly NodeSelectorRequirement[] | undefined): Requirement[] | undefined {
  const out: Requirement[] = [];
  for (const r of reqs ?? []) {
    const op = operators[r.operator];
    if (!op) return undefined;
    try {
      out.push(newRequirement(r.key, op, r.values ?? []));
    } catch {
      return undefined;
    }
  }
  return out;
}

function compileFields(reqs: readonly NodeSelectorRequirement[] | undefined): Requirement[] | undefined {
  const out: Requirement[] = [];
  for (const r of reqs ?? []) {
    // Only metadata.name is supported as a field, with In/NotIn and exactly one value.
    if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn') || (r.values ?? []).length !== 1) return undefined;
    out.push({ key: r.key, operator: r.operator === 'In' ? 'in' : 'notin', values: r.values ?? [] });
  }
  return out;
}

function compileTerm(t: NodeSelectorTerm): CompiledTerm | undefined {
  if ((t.matchExpressions?.length ?? 0) === 0 && (t.matchFields?.length ?? 0) === 0) return undefined;
  const labels = compileRequirements(t.matchExpressions);
  const fields = compileFields(t.matchFields);
  if (!labels || !fields) return undefined;
  return { labels, fields };
}

function termMatches(t: CompiledTerm, node: Node): boolean {
  const labels = node.metadata?.labels;
  for (const r of t.labels) if (!requirementMatches(r, labels)) return false;
  if (t.fields.length > 0) {
    const nameLabels = { 'metadata.name': node.metadata?.name ?? '' };
    for (const r of t.fields) if (!requirementMatches(r, nameLabels)) return false;
  }
  return true;
}

/** A compiled NodeSelector (upstream LazyErrorNodeSelector). */
export class CompiledNodeSelector {
  private readonly terms: CompiledTerm[];

  constructor(ns: NodeSelector) {
    this.terms = [];
    for (const t of ns.nodeSelectorTerms ?? []) {
      const c = compileTerm(t);
      if (c) this.terms.push(c);
    }
  }

  match(node: Node): boolean {
    for (const t of this.terms) if (termMatches(t, node)) return true;
    return false;
  }
}

/** Preferred terms with weights (upstream PreferredSchedulingTerms). */
export class CompiledPreferredTerms {
  private readonly terms: Array<{ term: CompiledTerm; weight: number }> = [];

  constructor(prefs: readonly PreferredSchedulingTerm[]) {
    for (const p of prefs) {
      if (p.weight === 0) continue;
      const c = compileTerm(p.preference);
      if (c) this.terms.push({ term: c, weight: p.weight });
    }
  }

  /** The sum of weights of the terms `node` matches. */
  score(node: Node): number {
    let s = 0;
    for (const t of this.terms) if (termMatches(t.term, node)) s += t.weight;
    return s;
  }

  empty(): boolean {
    return this.terms.length === 0;
  }
}
