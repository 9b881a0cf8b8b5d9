import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod, TopologySpreadConstraint } from '../../../api/generated/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import { newPodInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { fakeHandle, runScore } from '../../testing/plugin-harness.js';
import { ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch } from './filtering.js';
import { PodTopologySpreadPlugin } from './pod-topology-spread.js';
import type { SpreadOwnerListers } from './default-selector.js';

const zoneKey = 'topology.kubernetes.io/zone';
const hostKey = 'kubernetes.io/hostname';

function node(name: string, zone?: string, taint = false): Node {
  const labels: Record<string, string> = { [hostKey]: name };
  if (zone) labels[zoneKey] = zone;
  return makeNode({ name, labels, taints: taint ? [{ key: 'dedicated', effect: 'NoSchedule' }] : undefined });
}

function pod(name: string, o: { node?: string; labels?: Record<string, string>; namespace?: string; spread?: TopologySpreadConstraint[]; nodeSelector?: Record<string, string> } = {}): Pod {
  const p = makePod({ name, nodeName: o.node, namespace: o.namespace, nodeSelector: o.nodeSelector });
  p.metadata = { ...p.metadata, labels: o.labels };
  if (o.spread && p.spec) p.spec.topologySpreadConstraints = o.spread;
  return p;
}

const fooSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const hard = (topologyKey: string, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: fooSelector,
  ...extra,
});

const zoneNodes = [node('a', 'z1'), node('b', 'z1'), node('x', 'z2'), node('y', 'z2')];
// zone z1 holds 2 matching pods, z2 one; pods elsewhere in the namespace or cluster do not count.
const existing = [
  pod('p1', { node: 'a', labels: { foo: '', version: 'v1' } }),
  pod('p2', { node: 'b', labels: { foo: '', version: 'v1' } }),
  pod('p3', { node: 'x', labels: { foo: '', version: 'v1' } }),
  pod('other-ns', { node: 'y', labels: { foo: '' }, namespace: 'kube-system' }),
  pod('no-label', { node: 'y' }),
];

/** PreFilter over every node, then Filter per node: the status per node name. */
function filterAll(nodes: Node[], pods: Pod[], incoming: Pod, owners?: SpreadOwnerListers): Record<string, Status | null> {
  const { handle, nodeInfos } = fakeHandle(nodes, pods);
  const pl = new PodTopologySpreadPlugin({ handle, owners });
  const state = new CycleState();
  const pf = pl.preFilter(state, incoming, nodeInfos);
  const out: Record<string, Status | null> = {};
  for (const ni of nodeInfos) out[ni.name()] = pf.status?.isSkip() ? null : (pf.status ?? pl.filter(state, incoming, ni));
  return out;
}

const notMatch = new Status(Code.Unschedulable, [ErrReasonConstraintsNotMatch]);
const missingLabel = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonNodeLabelNotMatch]);

test('PodTopologySpread filter', () => {
  const cases: Array<{ name: string; nodes?: Node[]; incoming: Pod; want: Record<string, Status | null> }> = [
    {
      name: 'zone maxSkew 1: the fuller zone is rejected',
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] }),
      want: { a: notMatch, b: notMatch, x: null, y: null },
    },
    {
      name: 'the incoming pod does not match its own selector: no self count',
      incoming: pod('in', { labels: { bar: '' }, spread: [hard(zoneKey)] }),
      want: { a: null, b: null, x: null, y: null },
    },
    {
      name: 'a node without the topology key is unresolvable',
      nodes: [...zoneNodes, node('nozone')],
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] }),
      want: { a: notMatch, b: notMatch, x: null, y: null, nozone: missingLabel },
    },
    {
      name: 'minDomains above the domain count makes the global minimum 0',
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey, { minDomains: 3 })] }),
      want: { a: notMatch, b: notMatch, x: notMatch, y: notMatch },
    },
    {
      name: 'hostname maxSkew 1: only the empty node fits',
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(hostKey)] }),
      want: { a: notMatch, b: notMatch, x: notMatch, y: null },
    },
    {
      // z2 is not a domain, so its count is 0 and it passes here; NodeAffinity is what rejects it.
      name: 'nodeAffinityPolicy Honor (default): nodes outside the pod nodeSelector are not domains',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('x', 'z2'), node('y', 'z2')].map((n) => {
        if (n.metadata?.labels && n.metadata.labels[zoneKey] === 'z1') n.metadata.labels.pool = 'one';
        return n;
      }),
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)], nodeSelector: { pool: 'one' } }),
      want: { a: null, b: null, x: null, y: null },
    },
    {
      name: 'nodeAffinityPolicy Ignore counts every node',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('x', 'z2'), node('y', 'z2')].map((n) => {
        if (n.metadata?.labels && n.metadata.labels[zoneKey] === 'z1') n.metadata.labels.pool = 'one';
        return n;
      }),
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey, { nodeAffinityPolicy: 'Ignore' })], nodeSelector: { pool: 'one' } }),
      want: { a: notMatch, b: notMatch, x: null, y: null },
    },
    {
      // z2 is no domain: z1 is the minimum; TaintToleration is what rejects x and y.
      name: 'nodeTaintsPolicy Honor leaves out tainted nodes (z2 has none left)',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('x', 'z2', true), node('y', 'z2', true)],
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey, { nodeTaintsPolicy: 'Honor' })] }),
      want: { a: null, b: null, x: null, y: null },
    },
    {
      name: 'nodeTaintsPolicy Ignore (default) counts tainted nodes',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('x', 'z2', true), node('y', 'z2', true)],
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] }),
      want: { a: notMatch, b: notMatch, x: null, y: null },
    },
    {
      name: 'matchLabelKeys narrow the selector to the pod version (no v2 pods yet)',
      incoming: pod('in', { labels: { foo: '', version: 'v2' }, spread: [hard(hostKey, { matchLabelKeys: ['version'] })] }),
      want: { a: null, b: null, x: null, y: null },
    },
    {
      name: 'ScheduleAnyway constraints do not filter',
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(hostKey, { whenUnsatisfiable: 'ScheduleAnyway' })] }),
      want: { a: null, b: null, x: null, y: null },
    },
    {
      name: 'two constraints: both must hold',
      incoming: pod('in', { labels: { foo: '' }, spread: [hard(zoneKey), hard(hostKey)] }),
      want: { a: notMatch, b: notMatch, x: notMatch, y: null },
    },
  ];
  for (const tc of cases) {
    assert.deepEqual(filterAll(tc.nodes ?? zoneNodes, existing, tc.incoming), tc.want, tc.name);
  }
});

test('PodTopologySpread PreFilter extensions: removing a pod lowers its domain count', () => {
  const { handle, nodeInfos } = fakeHandle(zoneNodes, existing);
  const pl = new PodTopologySpreadPlugin({ handle });
  const incoming = pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] });
  const state = new CycleState();
  pl.preFilter(state, incoming, nodeInfos);
  const a = nodeInfos[0];
  const ext = pl.preFilterExtensions();
  const cases = [
    { name: 'as computed', edit: (): void => {}, want: notMatch },
    { name: 'p1 removed from a: z1 = 1', edit: (): unknown => ext.removePod(state, incoming, newPodInfo(existing[0]), a), want: null },
    { name: 'p1 added back', edit: (): unknown => ext.addPod(state, incoming, newPodInfo(existing[0]), a), want: notMatch },
  ];
  for (const tc of cases) {
    tc.edit();
    assert.deepEqual(pl.filter(state, incoming, a), tc.want, tc.name);
  }
});

const soft = (topologyKey: string): TopologySpreadConstraint => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: fooSelector });
const owners = (services: Array<Record<string, string>>): SpreadOwnerListers => ({
  services: () => services.map((selector) => ({ spec: { selector } })),
  replicationControllers: () => [],
  replicaSets: () => [],
  statefulSets: () => [],
});

test('PodTopologySpread score', () => {
  const foo = { foo: '' };
  const cases: Array<{ name: string; nodes: Node[]; pods: Pod[]; incoming: Pod; owners?: SpreadOwnerListers; want: number[] }> = [
    {
      name: 'hostname: fewer matching pods score higher',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('c', 'z2')],
      pods: [pod('1', { node: 'a', labels: foo }), pod('2', { node: 'a', labels: foo }), pod('3', { node: 'b', labels: foo })],
      incoming: pod('in', { labels: foo, spread: [soft(hostKey)] }),
      want: [0, 33, 100],
    },
    {
      name: 'zone: counts are per domain; a node without the key is ignored',
      nodes: [node('a', 'z1'), node('b', 'z1'), node('x', 'z2'), node('nozone')],
      pods: [pod('1', { node: 'a', labels: foo }), pod('2', { node: 'b', labels: foo }), pod('3', { node: 'x', labels: foo })],
      incoming: pod('in', { labels: foo, spread: [soft(zoneKey)] }),
      want: [33, 33, 100, 0],
    },
    {
      name: 'no matching pods anywhere: every node scores 100',
      nodes: [node('a', 'z1'), node('b', 'z2')],
      pods: [],
      incoming: pod('in', { labels: foo, spread: [soft(zoneKey)] }),
      want: [100, 100],
    },
    {
      name: 'system defaults with a Service selecting the pod; nodes without a zone still spread by hostname',
      nodes: [node('a', 'z1'), node('b', 'z2'), node('c')],
      pods: [pod('1', { node: 'a', labels: { app: 'web' } }), pod('2', { node: 'a', labels: { app: 'web' } })],
      incoming: pod('in', { labels: { app: 'web' } }),
      owners: owners([{ app: 'web' }]),
      want: [16, 66, 100],
    },
    {
      name: 'system defaults without an owner: skipped',
      nodes: [node('a', 'z1'), node('b', 'z2')],
      pods: [pod('1', { node: 'a', labels: { app: 'web' } })],
      incoming: pod('in', { labels: { app: 'web' } }),
      owners: owners([{ app: 'db' }]),
      want: [0, 0],
    },
  ];
  for (const tc of cases) {
    const { handle, nodeInfos } = fakeHandle(tc.nodes, tc.pods);
    const got = runScore(new PodTopologySpreadPlugin({ handle, owners: tc.owners }), tc.incoming, nodeInfos);
    assert.deepEqual(got, nodeInfos.map((n, i) => ({ name: n.name(), score: tc.want[i] })), tc.name);
  }
});

test('PodTopologySpread args', () => {
  const { handle } = fakeHandle([]);
  const cases: Array<{ name: string; args: unknown; err?: RegExp }> = [
    { name: 'defaults', args: undefined },
    { name: 'List with constraints', args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule' }] } },
    { name: 'System with constraints', args: { defaultConstraints: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule' }] }, err: /when \.defaultingType is "System"/ },
    { name: 'bad maxSkew', args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule' }] }, err: /maxSkew: Invalid value: 0/ },
  ];
  for (const tc of cases) {
    const make = (): unknown => new PodTopologySpreadPlugin({ handle, args: tc.args });
    if (tc.err) assert.throws(make, tc.err, tc.name);
    else assert.ok(make(), tc.name);
  }
});

test('PodTopologySpread queueing hint: only assigned pods its selectors count', () => {
  const { handle } = fakeHandle([]);
  const pl = new PodTopologySpreadPlugin({ handle });
  const incoming = pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] });
  const assigned = (labels: Record<string, string>, namespace?: string): Pod => pod('e', { node: 'a', labels, namespace });
  const cases: Array<{ name: string; old?: Pod; new?: Pod; want: number }> = [
    { name: 'a matching pod added', new: assigned({ foo: '' }), want: 1 },
    { name: 'a pod the selector ignores added', new: assigned({ bar: '' }), want: 0 },
    { name: 'a matching pod of another namespace', new: assigned({ foo: '' }, 'other'), want: 0 },
    { name: 'a matching pod deleted', old: assigned({ foo: '' }), want: 1 },
    { name: 'relabelled into the selector', old: assigned({}), new: assigned({ foo: '' }), want: 1 },
    { name: 'relabelled, still matching', old: assigned({ foo: '', a: '1' }), new: assigned({ foo: '', a: '2' }), want: 0 },
    { name: 'an unscheduled pod', new: pod('u', { labels: { foo: '' } }), want: 0 },
  ];
  for (const tc of cases) assert.equal(pl.isSchedulableAfterPodChange(incoming, tc.old, tc.new), tc.want, tc.name);
});

test('PodTopologySpread queueing hint: nodes whose topology changes', () => {
  const { handle } = fakeHandle([]);
  const pl = new PodTopologySpreadPlugin({ handle });
  const incoming = pod('in', { labels: { foo: '' }, spread: [hard(zoneKey)] });
  const honorTaints = pod('in', { labels: { foo: '' }, spread: [hard(zoneKey, { nodeTaintsPolicy: 'Honor' })] });
  const cases: Array<{ name: string; pod?: Pod; old?: Node; new?: Node; want: number }> = [
    { name: 'a node with the zone key added', new: node('x', 'z3'), want: 1 },
    { name: 'a node without the zone key added', new: node('x'), want: 0 },
    { name: 'a zoned node deleted', old: node('x', 'z1'), want: 1 },
    { name: 'zone changed', old: node('x', 'z1'), new: node('x', 'z2'), want: 1 },
    { name: 'zone label added', old: node('x'), new: node('x', 'z2'), want: 1 },
    { name: 'an unrelated label changed', old: node('x', 'z1'), new: { ...node('x', 'z1'), metadata: { name: 'x', labels: { [zoneKey]: 'z1', other: 'v' } } }, want: 0 },
    { name: 'taints changed, policy Ignore', old: node('x', 'z1'), new: node('x', 'z1', true), want: 0 },
    { name: 'taints changed, policy Honor', pod: honorTaints, old: node('x', 'z1'), new: node('x', 'z1', true), want: 1 },
    { name: 'a pod without constraints (no owners)', pod: pod('plain'), new: node('x', 'z3'), want: 0 },
  ];
  for (const tc of cases) assert.equal(pl.isSchedulableAfterNodeChange(tc.pod ?? incoming, tc.old, tc.new), tc.want, tc.name);
});
