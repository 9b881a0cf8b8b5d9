import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Affinity, Node, Pod, PodAffinityTerm } from '../../../api/generated/core/v1.js';
import { selectorFromSet, type Selector } from '../../../apimachinery/labels/selector.js';
import { CycleState } from '../../framework/cycle-state.js';
import { newPodInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { Snapshot } from '../../cache/snapshot.js';
import { fakeHandle as baseFakeHandle, runScore } from '../../testing/plugin-harness.js';
import type { NamespaceLister } from './affinity-term.js';
import { ErrReasonAffinityRulesNotMatch, ErrReasonAntiAffinityRulesNotMatch, ErrReasonExistingAntiAffinityRulesNotMatch } from './filtering.js';
import { InterPodAffinityPlugin } from './inter-pod-affinity.js';

const zoneKey = 'topology.kubernetes.io/zone';
const hostKey = 'kubernetes.io/hostname';

function node(name: string, zone?: string): Node {
  const labels: Record<string, string> = { [hostKey]: name };
  if (zone) labels[zoneKey] = zone;
  return makeNode({ name, labels });
}

function pod(name: string, o: { node?: string; labels?: Record<string, string>; namespace?: string; affinity?: Affinity } = {}): Pod {
  const p = makePod({ name, nodeName: o.node, namespace: o.namespace, affinity: o.affinity });
  p.metadata = { ...p.metadata, labels: o.labels };
  return p;
}

const term = (labels: Record<string, string>, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
});
const requiredAffinity = (...terms: PodAffinityTerm[]): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const requiredAnti = (...terms: PodAffinityTerm[]): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });

const nodes = [node('n1', 'z1'), node('n2', 'z1'), node('n3', 'z2')];
const existing = [
  pod('web', { node: 'n1', labels: { app: 'web' } }),
  pod('db', { node: 'n3', labels: { app: 'db' }, affinity: requiredAnti(term({ app: 'cache' }, hostKey)) }),
  pod('team-b', { node: 'n2', labels: { app: 'sidecar' }, namespace: 'b', affinity: requiredAnti(term({ app: 'loner' }, zoneKey, { namespaceSelector: { matchLabels: { team: 'a' } } })) }),
];

/** fakeHandle with the snapshot's pods-with-affinity lists filled in, as the cache does. */
function fakeHandle(allNodes: Node[], pods: Pod[] = []): ReturnType<typeof baseFakeHandle> {
  const h = baseFakeHandle(allNodes, pods);
  const snap = h.handle.snapshotSharedLister() as Snapshot;
  snap.havePodsWithAffinityNodeInfoList = h.nodeInfos.filter((n) => n.podsWithAffinity.length > 0);
  snap.havePodsWithRequiredAntiAffinityNodeInfoList = h.nodeInfos.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  return h;
}

const namespaces = (labels: Record<string, Record<string, string>>): NamespaceLister => ({
  labels: (n) => labels[n],
  namesMatching: (s: Selector) => Object.keys(labels).filter((n) => s.matches(labels[n])),
});

function filterAll(allNodes: Node[], pods: Pod[], incoming: Pod, ns?: NamespaceLister): Record<string, Status | null> {
  const { handle, nodeInfos } = fakeHandle(allNodes, pods);
  const pl = new InterPodAffinityPlugin({ handle, namespaces: ns });
  const state = new CycleState();
  const pf = pl.preFilter(state, incoming, nodeInfos);
  const out: Record<string, Status | null> = {};
  for (const ni of nodeInfos) out[ni.name()] = pf.status?.isSkip() ? null : (pf.status ?? pl.filter(state, incoming, ni));
  return out;
}

const affinityFail = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonAffinityRulesNotMatch]);
const antiFail = new Status(Code.Unschedulable, [ErrReasonAntiAffinityRulesNotMatch]);
const existingFail = new Status(Code.Unschedulable, [ErrReasonExistingAntiAffinityRulesNotMatch]);

test('InterPodAffinity filter', () => {
  const cases: Array<{ name: string; nodes?: Node[]; incoming: Pod; ns?: NamespaceLister; want: Record<string, Status | null> }> = [
    { name: 'no affinity anywhere relevant: skipped', incoming: pod('in', { labels: { app: 'x' } }), want: { n1: null, n2: null, n3: null } },
    {
      name: 'required affinity by zone: the zone of a matching pod',
      incoming: pod('in', { affinity: requiredAffinity(term({ app: 'web' }, zoneKey)) }),
      want: { n1: null, n2: null, n3: affinityFail },
    },
    {
      name: 'required affinity matching no pod, pod not matching itself',
      incoming: pod('in', { labels: { app: 'new' }, affinity: requiredAffinity(term({ app: 'none' }, zoneKey)) }),
      want: { n1: affinityFail, n2: affinityFail, n3: affinityFail },
    },
    {
      name: 'the first pod of a self-affine group goes anywhere the key exists',
      nodes: [...nodes, node('nozone')],
      incoming: pod('in', { labels: { app: 'new' }, affinity: requiredAffinity(term({ app: 'new' }, zoneKey)) }),
      want: { n1: null, n2: null, n3: null, nozone: affinityFail },
    },
    {
      name: 'affinity terms look in the pod namespace by default',
      incoming: pod('in', { namespace: 'other', affinity: requiredAffinity(term({ app: 'web' }, zoneKey)) }),
      want: { n1: affinityFail, n2: affinityFail, n3: affinityFail },
    },
    {
      name: 'namespaceSelector {} selects every namespace',
      incoming: pod('in', { namespace: 'other', affinity: requiredAffinity(term({ app: 'web' }, zoneKey, { namespaceSelector: {} })) }),
      want: { n1: null, n2: null, n3: affinityFail },
    },
    {
      name: 'namespaceSelector resolved through the namespace lister',
      incoming: pod('in', { namespace: 'other', affinity: requiredAffinity(term({ app: 'web' }, zoneKey, { namespaceSelector: { matchLabels: { team: 'a' } } })) }),
      ns: namespaces({ default: { team: 'a' }, other: {} }),
      want: { n1: null, n2: null, n3: affinityFail },
    },
    {
      name: 'required anti-affinity by hostname',
      incoming: pod('in', { affinity: requiredAnti(term({ app: 'web' }, hostKey)) }),
      want: { n1: antiFail, n2: null, n3: null },
    },
    {
      name: 'required anti-affinity by zone',
      incoming: pod('in', { affinity: requiredAnti(term({ app: 'web' }, zoneKey)) }),
      want: { n1: antiFail, n2: antiFail, n3: null },
    },
    {
      name: "an existing pod's anti-affinity repels the incoming pod",
      incoming: pod('in', { labels: { app: 'cache' } }),
      want: { n1: null, n2: null, n3: existingFail },
    },
    {
      name: "an existing pod's anti-affinity with a namespaceSelector matching the incoming namespace labels",
      incoming: pod('in', { labels: { app: 'loner' } }),
      ns: namespaces({ default: { team: 'a' } }),
      want: { n1: existingFail, n2: existingFail, n3: null },
    },
    {
      name: "an existing pod's namespaceSelector not matching",
      incoming: pod('in', { labels: { app: 'loner' } }),
      ns: namespaces({ default: { team: 'z' } }),
      want: { n1: null, n2: null, n3: null },
    },
  ];
  for (const tc of cases) assert.deepEqual(filterAll(tc.nodes ?? nodes, existing, tc.incoming, tc.ns), tc.want, tc.name);
});

test('InterPodAffinity PreFilter extensions: removing the matching pod lifts anti-affinity', () => {
  const { handle, nodeInfos } = fakeHandle(nodes, existing);
  const pl = new InterPodAffinityPlugin({ handle });
  const incoming = pod('in', { labels: { app: 'cache' }, affinity: requiredAnti(term({ app: 'web' }, hostKey)) });
  const state = new CycleState();
  pl.preFilter(state, incoming, nodeInfos);
  const ext = pl.preFilterExtensions();
  const [n1, , n3] = nodeInfos;
  const cases = [
    { name: 'web on n1', edit: (): unknown => null, node: n1, want: antiFail },
    { name: 'web removed', edit: (): unknown => ext.removePod(state, incoming, newPodInfo(existing[0]), n1), node: n1, want: null },
    { name: 'db (anti-affine to cache) on n3', edit: (): unknown => null, node: n3, want: existingFail },
    { name: 'db removed', edit: (): unknown => ext.removePod(state, incoming, newPodInfo(existing[1]), n3), node: n3, want: null },
    { name: 'web added back', edit: (): unknown => ext.addPod(state, incoming, newPodInfo(existing[0]), n1), node: n1, want: antiFail },
  ];
  for (const tc of cases) {
    tc.edit();
    assert.deepEqual(pl.filter(state, incoming, tc.node), tc.want, tc.name);
  }
});

test('InterPodAffinity score', () => {
  const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, t: PodAffinityTerm): Affinity => ({
    [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] },
  });
  const follower = pod('follower', { node: 'n3', labels: { app: 'f' }, affinity: requiredAffinity(term({ app: 'leader' }, hostKey)) });
  const avoider = pod('avoider', { node: 'n3', labels: { app: 'a' }, affinity: preferred('podAntiAffinity', 10, term({ app: 'cache' }, zoneKey)) });
  const cases: Array<{ name: string; pods: Pod[]; incoming: Pod; args?: unknown; want: number[] }> = [
    { name: 'preferred affinity to the zone of web', pods: existing, incoming: pod('in', { affinity: preferred('podAffinity', 5, term({ app: 'web' }, zoneKey)) }), want: [100, 100, 0] },
    { name: 'preferred anti-affinity to the host of web', pods: existing, incoming: pod('in', { affinity: preferred('podAntiAffinity', 5, term({ app: 'web' }, hostKey)) }), want: [0, 100, 100] },
    { name: "an existing pod's required affinity pulls with hardPodAffinityWeight", pods: [follower], incoming: pod('in', { labels: { app: 'leader' } }), want: [0, 0, 100] },
    { name: 'hardPodAffinityWeight 0: nothing to score', pods: [follower], incoming: pod('in', { labels: { app: 'leader' } }), args: { hardPodAffinityWeight: 0 }, want: [0, 0, 0] },
    { name: "an existing pod's preferred anti-affinity pushes away", pods: [avoider], incoming: pod('in', { labels: { app: 'cache' } }), want: [100, 100, 0] },
    { name: 'ignorePreferredTermsOfExistingPods', pods: [avoider], incoming: pod('in', { labels: { app: 'cache' } }), args: { ignorePreferredTermsOfExistingPods: true }, want: [0, 0, 0] },
  ];
  for (const tc of cases) {
    const { handle, nodeInfos } = fakeHandle(nodes, tc.pods);
    const got = runScore(new InterPodAffinityPlugin({ handle, args: tc.args }), tc.incoming, nodeInfos);
    assert.deepEqual(got, nodeInfos.map((n, i) => ({ name: n.name(), score: tc.want[i] })), tc.name);
  }
});

test('InterPodAffinity args', () => {
  const { handle } = fakeHandle([]);
  assert.throws(() => new InterPodAffinityPlugin({ handle, args: { hardPodAffinityWeight: 101 } }), /hardPodAffinityWeight: Invalid value: 101: not in valid range \[0-100\]/);
  assert.ok(new InterPodAffinityPlugin({ handle, args: { hardPodAffinityWeight: 100 } }));
  assert.equal(selectorFromSet({}).empty(), true);
});

test('InterPodAffinity queueing hint: assigned pods that may satisfy affinity or lift anti-affinity', () => {
  const { handle } = fakeHandle([]);
  const pl = new InterPodAffinityPlugin({ handle });
  const wantsWeb = pod('in', { labels: { app: 'cache' }, affinity: { ...requiredAffinity(term({ app: 'web' }, zoneKey)), ...requiredAnti(term({ app: 'db' }, hostKey)) } });
  const plain = pod('in2', { labels: { app: 'cache' } });
  const assigned = (labels: Record<string, string>, affinity?: Affinity): Pod => pod('e', { node: 'n1', labels, affinity });
  const cases: Array<{ name: string; incoming: Pod; old?: Pod; new?: Pod; want: number }> = [
    { name: 'an affinity target added', incoming: wantsWeb, new: assigned({ app: 'web' }), want: 1 },
    { name: 'an unrelated pod added', incoming: wantsWeb, new: assigned({ app: 'other' }), want: 0 },
    { name: 'an anti-affinity target deleted', incoming: wantsWeb, old: assigned({ app: 'db' }), want: 1 },
    { name: 'an anti-affinity target relabelled away', incoming: wantsWeb, old: assigned({ app: 'db' }), new: assigned({ app: 'db2' }), want: 1 },
    { name: 'a pod whose anti-affinity repelled us deleted', incoming: plain, old: assigned({ app: 'x' }, requiredAnti(term({ app: 'cache' }, hostKey))), want: 1 },
    { name: 'an unrelated pod deleted', incoming: plain, old: assigned({ app: 'x' }), want: 0 },
    { name: 'an unscheduled pod', incoming: wantsWeb, new: pod('u', { labels: { app: 'web' } }), want: 0 },
  ];
  for (const tc of cases) assert.equal(pl.isSchedulableAfterPodChange(tc.incoming, tc.old, tc.new), tc.want, tc.name);
});
