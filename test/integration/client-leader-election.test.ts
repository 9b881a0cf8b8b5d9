// Lease-based leader election between candidates against a real in-process apiserver: one leads at a time,
// a released lease is taken over at once, an abandoned one after it expires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { poll } from '../../src/base/wait.js';
import { newLogger } from '../../src/base/logger.js';
import { LeaseLock, type LeaseObject } from '../../src/client/leaderelection/lease-lock.js';
import { LeaderElector } from '../../src/client/leaderelection/leader-elector.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const microTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

interface Candidate {
  id: string;
  leading: boolean;
  ac: AbortController;
  done: Promise<void>;
  newLeaders: string[];
  stopped: boolean;
}

function startCandidate(client: Interface, id: string, opts: { releaseOnCancel: boolean }): Candidate {
  const c: Candidate = { id, leading: false, ac: new AbortController(), done: Promise.resolve(), newLeaders: [], stopped: false };
  const elector = new LeaderElector({
    lock: new LeaseLock({ leases: client.resource<LeaseObject>(leases, 'kube-system'), namespace: 'kube-system', name: 'test-controller', identity: id }),
    // Short durations keep the test quick; the defaults (15s/10s/2s) are covered by the unit test.
    leaseDurationMs: 2000,
    renewDeadlineMs: 1500,
    retryPeriodMs: 200,
    releaseOnCancel: opts.releaseOnCancel,
    logger: newLogger({ write: () => {} }),
    callbacks: {
      onStartedLeading: (signal) => {
        c.leading = true;
        signal.addEventListener('abort', () => (c.leading = false), { once: true });
      },
      onStoppedLeading: () => {
        c.leading = false;
        c.stopped = true;
      },
      onNewLeader: (leader) => c.newLeaders.push(leader),
    },
  });
  c.done = elector.run(c.ac.signal);
  return c;
}

const until = (cond: () => boolean | Promise<boolean>): Promise<void> => poll({ intervalMs: 20, timeoutMs: 15_000 }, cond);

for (const releaseOnCancel of [true, false]) {
  test(`two candidates: one leads; when it stops (releaseOnCancel=${releaseOnCancel}) the other takes over`, async (t) => {
    const cluster = await startInProcessAPIServer(t);
    const a = startCandidate(cluster.newClient(), 'host-a_1', { releaseOnCancel });
    const b = startCandidate(cluster.newClient(), 'host-b_2', { releaseOnCancel });
    const leaseClient = cluster.client.resource<LeaseObject>(leases, 'kube-system');
    await until(() => a.leading || b.leading);
    const [leader, follower] = a.leading ? [a, b] : [b, a];
    // Several renewals later there is still exactly one leader.
    const first = await leaseClient.get('test-controller');
    await until(async () => (await leaseClient.get('test-controller')).spec?.renewTime !== first.spec?.renewTime);
    assert.equal(follower.leading, false);
    assert.equal(first.spec?.holderIdentity, leader.id);
    assert.equal(first.spec?.leaseDurationSeconds, 2);
    assert.equal(first.spec?.leaseTransitions, 0);
    assert.match(first.spec?.acquireTime ?? '', microTime);
    assert.match(first.spec?.renewTime ?? '', microTime);
    await until(() => follower.newLeaders.includes(leader.id));

    leader.ac.abort();
    await leader.done;
    assert.equal(leader.stopped, true);
    if (releaseOnCancel) {
      const released = await leaseClient.get('test-controller');
      assert.ok(released.spec?.holderIdentity === '' || released.spec?.holderIdentity === follower.id);
    }
    await until(() => follower.leading);
    const taken = await leaseClient.get('test-controller');
    assert.equal(taken.spec?.holderIdentity, follower.id);
    assert.equal(taken.spec?.leaseTransitions, 1);
    assert.deepEqual(follower.newLeaders, [leader.id, follower.id]);

    follower.ac.abort();
    await follower.done;
    assert.equal(follower.leading, false);
  });
}

test('the lease lock reports NotFound before the first candidate creates it', async (t) => {
  const cluster = await startInProcessAPIServer(t);
  const lock = new LeaseLock({ leases: cluster.client.resource<LeaseObject>(leases, 'kube-system'), namespace: 'kube-system', name: 'none', identity: 'x' });
  await assert.rejects(lock.get(), isNotFound);
});
