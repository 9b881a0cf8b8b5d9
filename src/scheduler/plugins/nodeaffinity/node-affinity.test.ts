import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Affinity } from '../../../api/generated/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter, runScore } from '../../testing/plugin-harness.js';
import { NodeAffinityPlugin } from './node-affinity.js';

const required = (...terms: Array<Array<{ key: string; operator: string; values?: string[] }>>): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => ({ matchExpressions: t })) } },
});
const notMatch = new Status(Code.UnschedulableAndUnresolvable, ["node(s) didn't match Pod's node affinity/selector"]);

test('NodeAffinity filter: nodeSelector and required terms', () => {
  const node = makeNode({ name: 'n1', labels: { zone: 'a', disk: 'ssd', cores: '8' } });
  const cases = [
    { name: 'nothing required', pod: makePod(), want: null },
    { name: 'nodeSelector matches', pod: makePod({ nodeSelector: { zone: 'a' } }), want: null },
    { name: 'nodeSelector does not match', pod: makePod({ nodeSelector: { zone: 'b' } }), want: notMatch },
    { name: 'In matches', pod: makePod({ affinity: required([{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }]) }), want: null },
    { name: 'NotIn', pod: makePod({ affinity: required([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }]) }), want: notMatch },
    { name: 'DoesNotExist', pod: makePod({ affinity: required([{ key: 'gpu', operator: 'DoesNotExist' }]) }), want: null },
    { name: 'Gt', pod: makePod({ affinity: required([{ key: 'cores', operator: 'Gt', values: ['4'] }]) }), want: null },
    { name: 'Lt', pod: makePod({ affinity: required([{ key: 'cores', operator: 'Lt', values: ['4'] }]) }), want: notMatch },
    {
      name: 'terms are ORed',
      pod: makePod({ affinity: required([{ key: 'zone', operator: 'In', values: ['b'] }], [{ key: 'disk', operator: 'Exists' }]) }),
      want: null,
    },
    { name: 'nodeSelector and affinity must both match', pod: makePod({ nodeSelector: { zone: 'b' }, affinity: required([{ key: 'disk', operator: 'Exists' }]) }), want: notMatch },
    { name: 'an empty term matches nothing', pod: makePod({ affinity: required([]) }), want: notMatch },
  ];
  for (const tc of cases) assert.deepEqual(runFilter(new NodeAffinityPlugin(), tc.pod, newNodeInfo(node)), tc.want, tc.name);
});

test('NodeAffinity addedAffinity is enforced for every pod', () => {
  const pl = new NodeAffinityPlugin({ addedAffinity: required([{ key: 'pool', operator: 'In', values: ['batch'] }]).nodeAffinity });
  assert.deepEqual(
    runFilter(pl, makePod(), newNodeInfo(makeNode({ name: 'n', labels: { pool: 'web' } }))),
    new Status(Code.UnschedulableAndUnresolvable, ["node(s) didn't match scheduler-enforced node affinity"]),
  );
  assert.equal(runFilter(pl, makePod(), newNodeInfo(makeNode({ name: 'n', labels: { pool: 'batch' } }))), null);
});

test('NodeAffinity PreFilter narrows to nodes named by metadata.name', () => {
  const pod = makePod({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } },
  });
  const r = new NodeAffinityPlugin().preFilter(new CycleState(), pod);
  assert.deepEqual(r, { result: { nodeNames: new Set(['n2']) }, status: null });
  assert.equal(runFilter(new NodeAffinityPlugin(), pod, newNodeInfo(makeNode({ name: 'n2' }))), null);
  assert.deepEqual(runFilter(new NodeAffinityPlugin(), pod, newNodeInfo(makeNode({ name: 'n1' }))), notMatch);
  assert.deepEqual(new NodeAffinityPlugin().preFilter(new CycleState(), makePod()), { result: null, status: new Status(Code.Skip, []) });
});

test('NodeAffinity score: weights of matching preferred terms, normalized', () => {
  const nodes = [makeNode({ name: 'a', labels: { zone: 'a', disk: 'ssd' } }), makeNode({ name: 'b', labels: { zone: 'a' } }), makeNode({ name: 'c' })].map((n) => newNodeInfo(n));
  const pod = makePod({
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          { weight: 6, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
        ],
      },
    },
  });
  assert.deepEqual(runScore(new NodeAffinityPlugin(), pod, nodes), [
    { name: 'a', score: 100 },
    { name: 'b', score: 25 },
    { name: 'c', score: 0 },
  ]);
});
