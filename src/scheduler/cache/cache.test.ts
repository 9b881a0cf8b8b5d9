import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/generated/core/v1.js';
import { FakeClock } from '../../base/clock.js';
import { makeNode, makePod } from '../testing/builders.js';
import { Cache } from './cache.js';
import { Snapshot } from './snapshot.js';

const bound = (p: Pod, node: string): Pod => ({ ...p, spec: { ...p.spec!, nodeName: node } });

function requestedCPU(s: Snapshot, node: string): number | undefined {
  return s.get(node)?.requested.milliCPU;
}

test('assume → confirm: the pod counts once, before and after the informer sees the binding', () => {
  const cache = new Cache();
  cache.addNode(makeNode({ name: 'n1' }));
  const p = makePod({ name: 'p', requests: { cpu: '500m' } });
  cache.assumePod(bound(p, 'n1'));
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.equal(requestedCPU(s, 'n1'), 500);
  assert.equal(cache.isAssumedPod(p), true);
  cache.finishBinding(bound(p, 'n1'));
  cache.addPod(bound(p, 'n1'));
  cache.updateSnapshot(s);
  assert.equal(requestedCPU(s, 'n1'), 500);
  assert.equal(cache.isAssumedPod(p), false);
  assert.deepEqual(cache.dump().pods, [{ key: 'default/p', node: 'n1', assumed: false }]);
});

test('a pod bound elsewhere than assumed moves', () => {
  const cache = new Cache();
  cache.addNode(makeNode({ name: 'n1' }));
  cache.addNode(makeNode({ name: 'n2' }));
  const p = makePod({ name: 'p', requests: { cpu: '1' } });
  cache.assumePod(bound(p, 'n1'));
  cache.addPod(bound(p, 'n2'));
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.deepEqual([requestedCPU(s, 'n1'), requestedCPU(s, 'n2')], [0, 1000]);
});

test('forget (binding failed) releases the room', () => {
  const cache = new Cache();
  cache.addNode(makeNode({ name: 'n1' }));
  const p = bound(makePod({ name: 'p', requests: { cpu: '1' } }), 'n1');
  cache.assumePod(p);
  cache.forgetPod(p);
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.equal(requestedCPU(s, 'n1'), 0);
  assert.equal(cache.podCount(), 0);
  assert.throws(() => {
    cache.assumePod(p);
    cache.assumePod(p);
  }, /is in the cache, so can't be assumed/);
});

test('an assumed pod expires after its TTL once binding finished, not before', () => {
  const clock = new FakeClock();
  const cache = new Cache({ ttlMs: 30_000, clock });
  cache.addNode(makeNode({ name: 'n1' }));
  const p = bound(makePod({ name: 'p' }), 'n1');
  cache.assumePod(p);
  clock.step(60_000);
  assert.equal(cache.cleanupAssumedPods(), 0, 'binding still in flight');
  cache.finishBinding(p);
  clock.step(29_999);
  assert.equal(cache.cleanupAssumedPods(), 0);
  clock.step(1);
  assert.equal(cache.cleanupAssumedPods(), 1);
  assert.equal(cache.podCount(), 0);
});

test('the snapshot is refreshed incrementally and keeps node-tree order', () => {
  const cache = new Cache();
  const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
  cache.addNode(makeNode({ name: 'a1', labels: zone('a') }));
  cache.addNode(makeNode({ name: 'a2', labels: zone('a') }));
  cache.addNode(makeNode({ name: 'b1', labels: zone('b') }));
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.deepEqual(s.list().map((n) => n.name()), ['a1', 'b1', 'a2'], 'zones interleaved');
  const a2 = s.get('a2');
  const b1 = s.get('b1');
  cache.addPod(bound(makePod({ name: 'p', requests: { cpu: '1' } }), 'b1'));
  cache.updateSnapshot(s);
  assert.equal(s.get('a2'), a2, 'unchanged nodes keep their snapshot copy');
  assert.notEqual(s.get('b1'), b1, 'the changed node gets a fresh copy');
  assert.equal(b1?.requested.milliCPU, 0, 'an old copy is not changed under a running cycle');
  assert.equal(s.list()[1].requested.milliCPU, 1000);
  cache.removeNode(makeNode({ name: 'a1', labels: zone('a') }));
  cache.updateSnapshot(s);
  assert.deepEqual(s.list().map((n) => n.name()), ['a2', 'b1']);
});

test('image states count the nodes holding each image', () => {
  const cache = new Cache();
  const img = [{ names: ['nginx:1.27', 'nginx@sha256:abc'], sizeBytes: 100 }];
  cache.addNode(makeNode({ name: 'n1', images: img }));
  cache.addNode(makeNode({ name: 'n2', images: img }));
  cache.addNode(makeNode({ name: 'n3' }));
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.deepEqual(s.get('n1')?.imageStates.get('nginx:1.27'), { size: 100, numNodes: 2, nodes: new Set(['n1', 'n2']) });
  cache.removeNode(makeNode({ name: 'n2', images: img }));
  assert.equal(s.get('n1')?.imageStates.get('nginx:1.27')?.numNodes, 1);
});
