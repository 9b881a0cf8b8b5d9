import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from '../../../api/generated/core/v1.js';
import type { PodDisruptionBudget } from '../../../api/generated/policy/v1.js';
import { Snapshot } from '../../cache/snapshot.js';
import { defaultProfile } from '../../config/defaults.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeToStatus } from '../../framework/interface.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Framework } from '../../framework/runtime.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { DefaultPreemption } from '../names.js';
import { newInTreeRegistry } from '../registry.js';
import { DefaultPreemptionPlugin, type PreemptionHandle } from './default-preemption.js';

interface Setup {
  nodes: Node[];
  pods: Pod[];
  pdbs?: PodDisruptionBudget[];
}

/** The default profile over a snapshot of `nodes` with `pods`; PreFilter and Filter run for `pod`. */
function cycle(s: Setup, pod: Pod): { plugin: DefaultPreemptionPlugin; state: CycleState; statuses: NodeToStatus } {
  const snapshot = new Snapshot();
  for (const n of s.nodes) {
    const ni = newNodeInfo(n, ...s.pods.filter((p) => p.spec?.nodeName === n.metadata?.name));
    snapshot.index.set(ni.name(), snapshot.nodeInfoList.length);
    snapshot.nodeInfoMap.set(ni.name(), ni);
    snapshot.nodeInfoList.push(ni);
  }
  let plugin: DefaultPreemptionPlugin | undefined;
  const registry = new Map(newInTreeRegistry());
  registry.set(DefaultPreemption, (args, handle) => (plugin = new DefaultPreemptionPlugin({ args, handle: handle as PreemptionHandle, pdbs: () => s.pdbs ?? [], randomInt: () => 0 })));
  const fwk = new Framework({ profile: defaultProfile({}), registry, snapshot: () => snapshot });
  const state = new CycleState();
  const statuses: NodeToStatus = new Map();
  const pre = fwk.runPreFilterPlugins(state, pod, snapshot.list());
  if (pre.status) throw new Error(`prefilter: ${pre.status.message()}`);
  for (const ni of snapshot.list()) {
    const st = fwk.runFilterPlugins(state, pod, ni);
    if (st) statuses.set(ni.name(), st);
  }
  return { plugin: plugin as DefaultPreemptionPlugin, state, statuses };
}

const node = (name: string, o: { taint?: boolean } = {}): Node => makeNode({ name, cpu: '2', taints: o.taint ? [{ key: 'k', effect: 'NoSchedule' }] : undefined });
const pod = (name: string, o: { node?: string; cpu: string; priority: number; labels?: Record<string, string>; startTime?: string; never?: boolean }): Pod => {
  const p = makePod({ name, nodeName: o.node, requests: { cpu: o.cpu }, priority: o.priority });
  p.metadata = { ...p.metadata, labels: o.labels };
  if (o.startTime) p.status = { startTime: o.startTime };
  if (o.never && p.spec) p.spec.preemptionPolicy = 'Never';
  return p;
};
const pdb = (labels: Record<string, string>, disruptionsAllowed: number): PodDisruptionBudget => ({
  metadata: { name: 'pdb', namespace: 'default' },
  spec: { selector: { matchLabels: labels } },
  status: { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
});
const three = [node('n1'), node('n2'), node('n3')];

test('DefaultPreemption PostFilter: nominated node and message', () => {
  const cases: Array<{ name: string; setup: Setup; preemptor: Pod; want: { nominated: string | null; status: Status | null } }> = [
    {
      name: 'only higher-priority pods: no victims anywhere',
      setup: { nodes: three, pods: three.map((n, i) => pod(`hi${i}`, { node: n.metadata?.name, cpu: '2', priority: 100 })) },
      preemptor: pod('p', { cpu: '1', priority: 10 }),
      want: { nominated: '', status: new Status(Code.Unschedulable, ['preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.']) },
    },
    {
      name: 'preemptionPolicy Never',
      setup: { nodes: three, pods: three.map((n, i) => pod(`lo${i}`, { node: n.metadata?.name, cpu: '2', priority: 1 })) },
      preemptor: pod('p', { cpu: '1', priority: 10, never: true }),
      want: { nominated: null, status: new Status(Code.Unschedulable, ['preemption: not eligible due to preemptionPolicy=Never.']) },
    },
    {
      name: 'unresolvable nodes (taints) are not helped by preemption',
      setup: { nodes: [node('n1', { taint: true }), node('n2', { taint: true })], pods: [pod('lo', { node: 'n1', cpu: '2', priority: 1 })] },
      preemptor: pod('p', { cpu: '1', priority: 10 }),
      want: { nominated: '', status: new Status(Code.Unschedulable, ['preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.']) },
    },
    {
      name: 'the node whose highest-priority victim is lowest',
      setup: { nodes: three, pods: [pod('a', { node: 'n1', cpu: '2', priority: 3 }), pod('b', { node: 'n2', cpu: '2', priority: 1 }), pod('c', { node: 'n3', cpu: '2', priority: 2 })] },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { nominated: 'n2', status: null },
    },
    {
      name: 'fewest PDB violations first, even at a higher victim priority',
      setup: {
        nodes: [node('n1'), node('n2')],
        pods: [pod('guarded', { node: 'n1', cpu: '2', priority: 1, labels: { app: 'guarded' } }), pod('plain', { node: 'n2', cpu: '2', priority: 5 })],
        pdbs: [pdb({ app: 'guarded' }, 0)],
      },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { nominated: 'n2', status: null },
    },
    {
      name: 'a PDB with disruptions allowed is no violation',
      setup: {
        nodes: [node('n1'), node('n2')],
        pods: [pod('guarded', { node: 'n1', cpu: '2', priority: 1, labels: { app: 'guarded' } }), pod('plain', { node: 'n2', cpu: '2', priority: 5 })],
        pdbs: [pdb({ app: 'guarded' }, 1)],
      },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { nominated: 'n1', status: null },
    },
    {
      name: 'equal highest priority: smallest sum of priorities',
      setup: {
        nodes: [node('n1'), node('n2')],
        pods: [pod('a1', { node: 'n1', cpu: '1', priority: 1 }), pod('a2', { node: 'n1', cpu: '1', priority: 1 }), pod('b', { node: 'n2', cpu: '2', priority: 1 })],
      },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { nominated: 'n2', status: null },
    },
    {
      name: 'all else equal: the latest started victims',
      setup: {
        nodes: [node('n1'), node('n2')],
        pods: [pod('old', { node: 'n1', cpu: '2', priority: 1, startTime: '2026-01-01T00:00:00Z' }), pod('new', { node: 'n2', cpu: '2', priority: 1, startTime: '2026-06-01T00:00:00Z' })],
      },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { nominated: 'n2', status: null },
    },
  ];
  for (const tc of cases) {
    const { plugin, state, statuses } = cycle(tc.setup, tc.preemptor);
    const r = plugin.postFilter(state, tc.preemptor, statuses);
    assert.deepEqual({ nominated: r.result?.nominatedNodeName ?? null, status: r.status }, tc.want, tc.name);
  }
});

test('DefaultPreemption victims: the fewest, reprieving PDB-protected and more important pods first', () => {
  const cases: Array<{ name: string; setup: Setup; preemptor: Pod; want: { victims: string[]; numPDBViolations: number } }> = [
    {
      name: 'the more important pod is reprieved',
      setup: { nodes: [node('n1')], pods: [pod('p1', { node: 'n1', cpu: '1', priority: 1 }), pod('p2', { node: 'n1', cpu: '1', priority: 2 })] },
      preemptor: pod('p', { cpu: '1', priority: 10 }),
      want: { victims: ['p1'], numPDBViolations: 0 },
    },
    {
      name: 'a PDB-protected pod is reprieved before a more important one',
      setup: {
        nodes: [node('n1')],
        pods: [pod('guarded', { node: 'n1', cpu: '1', priority: 1, labels: { app: 'g' } }), pod('other', { node: 'n1', cpu: '1', priority: 2 })],
        pdbs: [pdb({ app: 'g' }, 0)],
      },
      preemptor: pod('p', { cpu: '1', priority: 10 }),
      want: { victims: ['other'], numPDBViolations: 0 },
    },
    {
      name: 'both must go: one PDB violation counted, most important first',
      setup: {
        nodes: [node('n1')],
        pods: [pod('guarded', { node: 'n1', cpu: '1', priority: 1, labels: { app: 'g' } }), pod('other', { node: 'n1', cpu: '1', priority: 2 })],
        pdbs: [pdb({ app: 'g' }, 0)],
      },
      preemptor: pod('p', { cpu: '2', priority: 10 }),
      want: { victims: ['other', 'guarded'], numPDBViolations: 1 },
    },
    {
      name: 'equal-priority pods are not victims',
      setup: { nodes: [node('n1')], pods: [pod('same', { node: 'n1', cpu: '1', priority: 10 }), pod('low', { node: 'n1', cpu: '1', priority: 0 })] },
      preemptor: pod('p', { cpu: '1', priority: 10 }),
      want: { victims: ['low'], numPDBViolations: 0 },
    },
  ];
  for (const tc of cases) {
    const { plugin, state } = cycle(tc.setup, tc.preemptor);
    const snapshotNode = newNodeInfo(tc.setup.nodes[0], ...tc.setup.pods);
    const r = plugin.selectVictimsOnNode(state.clone(), tc.preemptor, snapshotNode, tc.setup.pdbs ?? []);
    assert.ok(!(r instanceof Status), `${tc.name}: ${String(r)}`);
    assert.deepEqual({ victims: r.pods.map((p) => p.metadata?.name), numPDBViolations: r.numPDBViolations }, tc.want, tc.name);
  }
});

test('DefaultPreemption args and candidate count', () => {
  const { plugin } = cycle({ nodes: [node('n1')], pods: [pod('lo', { node: 'n1', cpu: '2', priority: 0 })] }, pod('p', { cpu: '1', priority: 1 }));
  const cases = [
    { nodes: 5, want: 5 },
    { nodes: 500, want: 100 },
    { nodes: 5000, want: 500 },
  ];
  for (const tc of cases) assert.equal(plugin.calculateNumCandidates(tc.nodes), tc.want, String(tc.nodes));
  const handle = {} as PreemptionHandle;
  assert.throws(() => new DefaultPreemptionPlugin({ handle, args: { minCandidateNodesPercentage: 101 } }), /minCandidateNodesPercentage: Invalid value: 101: not in valid range \[0, 100\]/);
  assert.throws(() => new DefaultPreemptionPlugin({ handle, args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 } }), /cannot be zero/);
});
