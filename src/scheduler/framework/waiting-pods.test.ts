import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { makePod } from '../testing/builders.js';
import { Code, Status } from './status.js';
import { WaitingPods } from './waiting-pods.js';

test('a waiting pod proceeds once every waiting plugin allows it', async () => {
  const w = new WaitingPods(new FakeClock());
  const pod = makePod({ uid: 'u1' });
  w.add(pod, new Map([['A', 10_000], ['B', 10_000]]));
  const result = w.wait('u1');
  w.get('u1')?.allow('A');
  assert.equal(w.size(), 1);
  w.get('u1')?.allow('B');
  assert.equal(await result, null);
  assert.equal(w.size(), 0);
});

test('a waiting pod is rejected by a plugin or by its timeout', async () => {
  const clock = new FakeClock();
  const w = new WaitingPods(clock);
  w.add(makePod({ uid: 'u1' }), new Map([['Gang', 30_000]]));
  const rejected = w.wait('u1');
  w.get('u1')?.reject('Gang', 'not enough members');
  assert.deepEqual(await rejected, new Status(Code.Unschedulable, ['not enough members'], 'Gang'));

  w.add(makePod({ uid: 'u2' }), new Map([['Gang', 30_000]]));
  const timedOut = w.wait('u2');
  clock.step(30_000);
  assert.deepEqual(await timedOut, new Status(Code.Unschedulable, ['rejected due to timeout after waiting 30s at plugin Gang'], 'Gang'));
  assert.equal(clock.pendingTimers(), 0);
});

test('waiting for a pod that is not waiting resolves at once', async () => {
  assert.equal(await new WaitingPods(new FakeClock()).wait('nobody'), null);
});
