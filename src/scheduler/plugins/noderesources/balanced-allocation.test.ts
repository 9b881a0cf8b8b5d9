import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runScore } from '../../testing/plugin-harness.js';
import { BalancedAllocationPlugin, balancedResourceScorer } from './balanced-allocation.js';

test('balancedResourceScorer: 1 − standard deviation of the fractions', () => {
  const cases = [
    { name: 'equal fractions', requested: [2, 4], allocatable: [4, 8], want: 100 },
    { name: 'two resources: |f1 − f2| / 2', requested: [3, 2], allocatable: [4, 8], want: 75 },
    { name: 'fractions cap at 1', requested: [8, 0], allocatable: [4, 8], want: 50 },
    { name: 'three resources', requested: [1, 2, 3], allocatable: [4, 4, 4], want: 79 },
    { name: 'unallocatable resources are left out', requested: [1, 5], allocatable: [4, 0], want: 100 },
  ];
  for (const tc of cases) assert.equal(balancedResourceScorer(tc.requested, tc.allocatable), tc.want, tc.name);
});

test('NodeResourcesBalancedAllocation score over nodes; best-effort pods are skipped', () => {
  const nodes = [
    newNodeInfo(makeNode({ name: 'n1', cpu: '4', memory: '8Gi' }), makePod({ name: 'x', nodeName: 'n1', requests: { cpu: '2' } })),
    newNodeInfo(makeNode({ name: 'n2', cpu: '4', memory: '8Gi' })),
  ];
  const pod = makePod({ requests: { cpu: '1', memory: '2Gi' } });
  // n1: cpu 3/4, mem 2/8 → std 0.25 → 75; n2: cpu 1/4, mem 2/8 → 100.
  assert.deepEqual(runScore(new BalancedAllocationPlugin(undefined), pod, nodes), [
    { name: 'n1', score: 75 },
    { name: 'n2', score: 100 },
  ]);
  assert.deepEqual(runScore(new BalancedAllocationPlugin(undefined), makePod(), nodes), [
    { name: 'n1', score: 0 },
    { name: 'n2', score: 0 },
  ]);
});
