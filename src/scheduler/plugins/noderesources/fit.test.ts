import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter, runScore } from '../../testing/plugin-harness.js';
import { FitPlugin } from './fit.js';

test('NodeResourcesFit filter: upstream reasons, all of them', () => {
  const node = makeNode({ name: 'n', cpu: '2', memory: '4Gi', pods: 2, extra: { 'example.com/gpu': '1' } });
  const used = makePod({ name: 'used', nodeName: 'n', requests: { cpu: '1500m', memory: '1Gi' } });
  const cases = [
    { name: 'fits', pod: makePod({ requests: { cpu: '500m', memory: '3Gi' } }), want: null },
    { name: 'best effort fits', pod: makePod(), want: null },
    { name: 'cpu', pod: makePod({ requests: { cpu: '600m' } }), want: new Status(Code.Unschedulable, ['Insufficient cpu']) },
    {
      name: 'cpu and memory',
      pod: makePod({ requests: { cpu: '1', memory: '4Gi' } }),
      want: new Status(Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory']),
    },
    { name: 'extended resource', pod: makePod({ requests: { 'example.com/gpu': '2' } }), want: new Status(Code.Unschedulable, ['Insufficient example.com/gpu']) },
    { name: 'ephemeral storage the node lacks', pod: makePod({ requests: { 'ephemeral-storage': '1Gi' } }), want: new Status(Code.Unschedulable, ['Insufficient ephemeral-storage']) },
  ];
  for (const tc of cases) assert.deepEqual(runFilter(new FitPlugin(undefined), tc.pod, newNodeInfo(node, used)), tc.want, tc.name);
  const full = newNodeInfo(node, used, makePod({ name: 'other', nodeName: 'n' }));
  assert.deepEqual(runFilter(new FitPlugin(undefined), makePod({ requests: { cpu: '1' } }), full), new Status(Code.Unschedulable, ['Too many pods', 'Insufficient cpu']));
});

test('NodeResourcesFit ignores configured extended resources', () => {
  const pl = new FitPlugin({ ignoredResources: ['example.com/gpu'] });
  assert.equal(runFilter(pl, makePod({ requests: { 'example.com/gpu': '2' } }), newNodeInfo(makeNode({ name: 'n' }))), null);
  const groups = new FitPlugin({ ignoredResourceGroups: ['example.com'] });
  assert.equal(runFilter(groups, makePod({ requests: { 'example.com/fpga': '1' } }), newNodeInfo(makeNode({ name: 'n' }))), null);
});

test('NodeResourcesFit scoring strategies', () => {
  // n1: 4 cpu / 8Gi with 1 cpu / 2Gi used; n2: 4 cpu / 8Gi empty. Pod: 1 cpu, 2Gi.
  const n1 = makeNode({ name: 'n1', cpu: '4', memory: '8Gi' });
  const n2 = makeNode({ name: 'n2', cpu: '4', memory: '8Gi' });
  const used = makePod({ name: 'used', nodeName: 'n1', requests: { cpu: '1', memory: '2Gi' } });
  const nodes = [newNodeInfo(n1, used), newNodeInfo(n2)];
  const pod = makePod({ requests: { cpu: '1', memory: '2Gi' } });
  const cases = [
    // LeastAllocated: n1 (4-2)/4 → 50 for both resources; n2 (4-1)/4 → 75.
    { name: 'LeastAllocated (default)', args: undefined, want: [50, 75] },
    { name: 'MostAllocated', args: { scoringStrategy: { type: 'MostAllocated' as const } }, want: [50, 25] },
    {
      name: 'RequestedToCapacityRatio as bin packing',
      args: { scoringStrategy: { type: 'RequestedToCapacityRatio' as const, requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } },
      want: [50, 25],
    },
    {
      name: 'RequestedToCapacityRatio as spreading',
      args: { scoringStrategy: { type: 'RequestedToCapacityRatio' as const, requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] } } },
      want: [50, 75],
    },
    {
      name: 'weights: cpu only',
      args: { scoringStrategy: { type: 'LeastAllocated' as const, resources: [{ name: 'cpu', weight: 1 }] } },
      want: [50, 75],
    },
  ];
  for (const tc of cases) {
    assert.deepEqual(
      runScore(new FitPlugin(tc.args), pod, nodes),
      nodes.map((n, i) => ({ name: n.name(), score: tc.want[i] })),
      tc.name,
    );
  }
});

test('NodeResourcesFit scoring counts unset requests with upstream defaults (100m cpu, 200Mi memory)', () => {
  const node = newNodeInfo(makeNode({ name: 'n', cpu: '1', memory: '1000Mi' }));
  // cpu (1000-100)/1000 → 90; memory (1000-200)/1000 → 80; average 85.
  assert.deepEqual(runScore(new FitPlugin(undefined), makePod(), [node]), [{ name: 'n', score: 85 }]);
});

test('NodeResourcesFit rejects invalid args with upstream field paths', () => {
  assert.throws(() => new FitPlugin({ scoringStrategy: { type: 'Spread' as never } }), /scoringStrategy.type: Unsupported value: "Spread"/);
  assert.throws(() => new FitPlugin({ scoringStrategy: { resources: [{ name: 'cpu', weight: 0 }] } }), /scoringStrategy.resources\[0\].weight: Invalid value: 0/);
  assert.throws(() => new FitPlugin({ scoringStrategy: { type: 'RequestedToCapacityRatio' } }), /shape: Required value/);
});

test('NodeResourcesFit queueing hint: a node event requeues only when the pod fits the (empty) node', () => {
  const hint = new FitPlugin(undefined).eventsToRegister().find((e) => e.event.resource === 'Node')?.queueingHintFn;
  assert.ok(hint);
  const pod = makePod({ requests: { cpu: '2' } });
  const cases = [
    { name: 'big enough', node: makeNode({ name: 'n', cpu: '4' }), want: 1 },
    { name: 'too small', node: makeNode({ name: 'n', cpu: '1' }), want: 0 },
  ];
  for (const tc of cases) assert.equal(hint(pod, undefined, tc.node), tc.want, tc.name);
});
