import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter } from '../../testing/plugin-harness.js';
import { NodePortsPlugin } from './node-ports.js';

const conflict = new Status(Code.Unschedulable, ["node(s) didn't have free ports for the requested pod ports"]);

test('NodePorts filter', () => {
  const node = makeNode({ name: 'n' });
  const cases = [
    { name: 'no ports wanted', existing: [{ port: 80 }], wanted: [], want: null },
    { name: 'free port', existing: [{ port: 80 }], wanted: [{ port: 8080 }], want: null },
    { name: 'same port and protocol', existing: [{ port: 80 }], wanted: [{ port: 80 }], want: conflict },
    { name: 'same port, other protocol', existing: [{ port: 53, protocol: 'UDP' }], wanted: [{ port: 53, protocol: 'TCP' }], want: null },
    { name: 'different IPs', existing: [{ port: 80, ip: '10.0.0.1' }], wanted: [{ port: 80, ip: '10.0.0.2' }], want: null },
    { name: '0.0.0.0 conflicts with any IP', existing: [{ port: 80, ip: '10.0.0.1' }], wanted: [{ port: 80 }], want: conflict },
    { name: 'any IP conflicts with 0.0.0.0', existing: [{ port: 80 }], wanted: [{ port: 80, ip: '10.0.0.2' }], want: conflict },
  ];
  for (const tc of cases) {
    const ni = newNodeInfo(node, makePod({ name: 'existing', nodeName: 'n', hostPorts: tc.existing }));
    assert.deepEqual(runFilter(new NodePortsPlugin(), makePod({ hostPorts: tc.wanted }), ni), tc.want, tc.name);
  }
});

test('NodePorts queueing hint: only deleting a pod that held a wanted port requeues', () => {
  const hint = new NodePortsPlugin().eventsToRegister()[0].queueingHintFn;
  assert.ok(hint);
  const pending = makePod({ name: 'pending', hostPorts: [{ port: 80 }] });
  assert.equal(hint(pending, makePod({ name: 'holder', nodeName: 'n', hostPorts: [{ port: 80 }] }), undefined), 1);
  assert.equal(hint(pending, makePod({ name: 'other', nodeName: 'n', hostPorts: [{ port: 443 }] }), undefined), 0);
  assert.equal(hint(pending, makePod({ name: 'none', nodeName: 'n' }), undefined), 0);
});
