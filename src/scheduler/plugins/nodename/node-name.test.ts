import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter } from '../../testing/plugin-harness.js';
import { NodeNamePlugin } from './node-name.js';

test('NodeName filter', () => {
  const cases = [
    { name: 'no node name', pod: makePod(), want: null },
    { name: 'the same node', pod: makePod({ nodeName: 'n1' }), want: null },
    { name: 'another node', pod: makePod({ nodeName: 'n2' }), want: new Status(Code.UnschedulableAndUnresolvable, ["node(s) didn't match the requested node name"]) },
  ];
  for (const tc of cases) assert.deepEqual(runFilter(new NodeNamePlugin(), tc.pod, newNodeInfo(makeNode({ name: 'n1' }))), tc.want, tc.name);
});
