import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitErrorMessage, newDiagnosis, sortReasonsHistogram } from './fit-error.js';
import { Code, Status } from './status.js';

test('FitError messages have upstream wording', () => {
  const taint = new Status(Code.UnschedulableAndUnresolvable, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], 'TaintToleration');
  const cpu = new Status(Code.Unschedulable, ['Insufficient cpu'], 'NodeResourcesFit');
  const cpuMem = new Status(Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory'], 'NodeResourcesFit');
  const cases = [
    {
      name: 'the issue example',
      numAllNodes: 3,
      d: { ...newDiagnosis(), nodeToStatus: new Map([['cp', taint], ['n1', cpu], ['n2', cpu]]), postFilterMsg: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.' },
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    },
    {
      name: 'every reason of a node counts',
      numAllNodes: 2,
      d: { ...newDiagnosis(), nodeToStatus: new Map([['n1', cpuMem], ['n2', cpu]]) },
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'a PreFilter rejection is said once',
      numAllNodes: 5,
      d: { ...newDiagnosis(), preFilterMsg: 'pod affinity terms conflict' },
      want: '0/5 nodes are available: pod affinity terms conflict.',
    },
    {
      name: 'nodes a PreFilter result left out',
      numAllNodes: 4,
      d: {
        ...newDiagnosis(),
        nodeToStatus: new Map([['n1', cpu]]),
        absentNodesStatus: new Status(Code.UnschedulableAndUnresolvable, ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]),
      },
      want: "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    },
  ];
  for (const tc of cases) assert.equal(fitErrorMessage(tc.numAllNodes, tc.d), tc.want, tc.name);
});

test('reasons sort as strings, like Go sort.Strings', () => {
  assert.deepEqual(sortReasonsHistogram(new Map([['b', 2], ['a', 10]])), ['10 a', '2 b']);
});
