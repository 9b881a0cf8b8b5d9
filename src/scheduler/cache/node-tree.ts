// Nodes grouped by zone (upstream nodeTree): list() interleaves zones round-robin so that the first nodes
// the scheduler checks are spread over failure domains.
import type { Node } from '../../api/generated/core/v1.js';

/** Upstream utilnode.GetZoneKey: region and zone joined by ":\x00:", "" when neither label is set. */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  private readonly zones: string[] = [];
  private readonly zoneOf = new Map<string, string>();
  numNodes = 0;

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (this.zoneOf.has(name)) return;
    const zone = zoneKey(node);
    let names = this.tree.get(zone);
    if (!names) {
      names = [];
      this.tree.set(zone, names);
      this.zones.push(zone);
    }
    names.push(name);
    this.zoneOf.set(name, zone);
    this.numNodes++;
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    const names = this.tree.get(zone) ?? [];
    const i = names.indexOf(name);
    if (i >= 0) names.splice(i, 1);
    if (names.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.zoneOf.delete(name);
    this.numNodes--;
  }

  /** Re-files the node when its zone labels changed. Returns true when the order changed. */
  updateNode(oldNode: Node, newNode: Node): boolean {
    if (zoneKey(oldNode) === zoneKey(newNode) && this.zoneOf.has(newNode.metadata?.name ?? '')) return false;
    this.removeNode(oldNode);
    this.addNode(newNode);
    return true;
  }

  /** All node names, one from each zone in turn. */
  list(): string[] {
    if (this.zones.length === 1) return this.tree.get(this.zones[0])?.slice() ?? [];
    const out: string[] = [];
    const idx = this.zones.map(() => 0);
    let left = this.numNodes;
    while (left > 0) {
      for (let z = 0; z < this.zones.length; z++) {
        const names = this.tree.get(this.zones[z]) ?? [];
        if (idx[z] < names.length) {
          out.push(names[idx[z]++]);
          left--;
        }
      }
    }
    return out;
  }
}
