// Topology spread constraints as the plugin uses them (upstream podtopologyspread/common.go): the pod's
// constraints with parsed selectors and defaulted policies, the node-inclusion rules and pod counting.
import type { Node, Pod, Taint, TopologySpreadConstraint } from '../../../api/generated/core/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { newSelector, selectorFromSet, type Selector } from '../../../apimachinery/labels/selector.js';
import type { PodInfo } from '../../framework/node-info.js';
import { CompiledNodeSelector } from '../../framework/node-selector.js';
import { findMatchingUntoleratedTaint } from '../../framework/taints.js';

/** A constraint ready to evaluate: selector parsed, minDomains and inclusion policies defaulted. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  /** 1 when the pod leaves it unset. */
  minDomains: number;
  /** "Honor" (default) or "Ignore". */
  nodeAffinityPolicy: string;
  /** "Ignore" (default) or "Honor". */
  nodeTaintsPolicy: string;
}

/** The pod's nodeSelector and required node affinity, as one matcher (upstream GetRequiredNodeAffinity). */
export class RequiredNodeAffinity {
  private readonly selector: Selector | undefined;
  private readonly required: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    const ns = pod.spec?.nodeSelector;
    this.selector = ns && Object.keys(ns).length > 0 ? selectorFromSet(ns) : undefined;
    const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.required = req ? new CompiledNodeSelector(req) : undefined;
  }

  match(node: Node): boolean {
    if (this.selector && !this.selector.matches(node.metadata?.labels)) return false;
    return !this.required || this.required.match(node);
  }

  /** True when the pod has neither a nodeSelector nor required terms: every node matches. */
  empty(): boolean {
    return !this.selector && !this.required;
  }
}

const doNotScheduleTaints = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** Whether `node` counts as a domain member for `c` under its nodeAffinityPolicy and nodeTaintsPolicy. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, doNotScheduleTaints)) return false;
  return true;
}

/** True when the node carries every constraint's topology key. */
export function nodeLabelsMatchSpreadConstraints(labels: Readonly<Record<string, string>> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  if (!labels) return constraints.length === 0;
  for (const c of constraints) if (!(c.topologyKey in labels)) return false;
  return true;
}

/**
 * The constraints with `whenUnsatisfiable === action`, parsed (upstream filterTopologySpreadConstraints):
 * matchLabelKeys add `key=<pod's value>` to the selector for keys the pod has. Throws on a bad selector.
 */
export function filterSpreadConstraints(constraints: readonly TopologySpreadConstraint[], podLabels: Readonly<Record<string, string>> | undefined, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorAsSelector(c.labelSelector);
    if (c.matchLabelKeys && c.matchLabelKeys.length > 0) {
      const extra: Record<string, string> = {};
      let any = false;
      for (const k of c.matchLabelKeys) {
        const v = podLabels?.[k];
        if (v !== undefined) {
          extra[k] = v;
          any = true;
        }
      }
      if (any) selector = newSelector([...selectorFromSet(extra).requirements, ...selector.requirements]);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** Pods of namespace `ns` matching `selector`, terminating pods excluded (upstream countPodsMatchSelector). */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: Selector, ns: string): number {
  let n = 0;
  for (const pi of pods) {
    const meta = pi.pod.metadata;
    if (meta?.deletionTimestamp || (meta?.namespace ?? '') !== ns) continue;
    if (selector.matches(meta?.labels)) n++;
  }
  return n;
}
