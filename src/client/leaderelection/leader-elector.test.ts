import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newConflict, newNotFound, newAlreadyExists, newServiceUnavailable } from '../../apimachinery/errors.js';
import { FakeClock } from '../../base/clock.js';
import { newLogger } from '../../base/logger.js';
import type { ResourceInterface } from '../rest/interface.js';
import { LeaseLock, type LeaseObject } from './lease-lock.js';
import { defaultIdentity, LeaderElector } from './leader-elector.js';

const gr = { group: 'coordination.k8s.io', resource: 'leases' };

/** One Lease kept in memory with resourceVersion conflicts; `down` makes every call fail with 503. */
class FakeLeases {
  lease: LeaseObject | undefined;
  rv = 0;
  down = false;
  client(): ResourceInterface<LeaseObject> {
    const check = (): void => {
      if (this.down) throw newServiceUnavailable('apiserver down');
    };
    return {
      get: async (name: string) => {
        check();
        if (!this.lease) throw newNotFound(gr, name);
        return structuredClone(this.lease);
      },
      create: async (obj: LeaseObject) => {
        check();
        if (this.lease) throw newAlreadyExists(gr, obj.metadata?.name ?? '');
        this.lease = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
        return structuredClone(this.lease);
      },
      update: async (obj: LeaseObject) => {
        check();
        if (obj.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) throw newConflict(gr, obj.metadata?.name ?? '', 'stale');
        this.lease = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
        return structuredClone(this.lease);
      },
    } as unknown as ResourceInterface<LeaseObject>;
  }
}

/** Lets pending promise chains run (the fake client answers on microtasks). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function candidate(leases: FakeLeases, clock: FakeClock, id: string) {
  const state = { leading: false, stopped: false, leaders: [] as string[] };
  const elector = new LeaderElector({
    lock: new LeaseLock({ leases: leases.client(), namespace: 'kube-system', name: 'lock', identity: id }),
    clock,
    random: () => 0,
    logger: newLogger({ write: () => {} }),
    callbacks: {
      onStartedLeading: (signal) => {
        state.leading = true;
        signal.addEventListener('abort', () => (state.leading = false));
      },
      onStoppedLeading: () => (state.stopped = true),
      onNewLeader: (l) => state.leaders.push(l),
    },
  });
  const ac = new AbortController();
  return { state, elector, ac, done: elector.run(ac.signal) };
}

test('leader election: defaults 15s/10s/2s; a crashed leader is replaced only after the lease duration', async () => {
  const clock = new FakeClock();
  const leases = new FakeLeases();
  const a = candidate(leases, clock, 'a');
  await settle();
  assert.equal(a.state.leading, true);
  assert.equal(leases.lease?.spec?.leaseDurationSeconds, 15);
  assert.equal(leases.lease?.spec?.renewTime, '2026-01-01T00:00:00.000000Z');
  const b = candidate(leases, clock, 'b');
  await settle();
  assert.equal(b.state.leading, false);
  assert.deepEqual(b.state.leaders, ['a']);

  // a "crashes": its calls fail from now on; b observes a lease that no longer changes.
  leases.down = true;
  const steps = [
    { stepMs: 2000, down: true, bLeads: false },
    { stepMs: 2000, down: false, bLeads: false },
  ];
  for (const s of steps) {
    leases.down = s.down;
    clock.step(s.stepMs);
    await settle();
    assert.equal(b.state.leading, s.bLeads);
  }
  // a cannot renew within its 10s deadline: it stops leading, without a new write.
  leases.down = true;
  for (let i = 0; i < 20 && !a.state.stopped; i++) {
    clock.step(1000);
    await settle();
  }
  assert.equal(a.state.stopped, true, 'a stopped after the renew deadline');
  assert.equal(a.state.leading, false);
  leases.down = false;
  for (let i = 0; i < 20 && !b.state.leading; i++) {
    clock.step(1000);
    await settle();
  }
  assert.equal(b.state.leading, true);
  assert.equal(leases.lease?.spec?.holderIdentity, 'b');
  assert.equal(leases.lease?.spec?.leaseTransitions, 1);
  b.ac.abort();
  await b.done;
  await a.done;
});

test('leader election: invalid durations are rejected; identities are hostname_uuid', () => {
  const lock = new LeaseLock({ leases: new FakeLeases().client(), namespace: 'ns', name: 'l', identity: 'x' });
  const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
  const cases = [
    { cfg: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }, err: /leaseDuration must be greater than renewDeadline/ },
    { cfg: { renewDeadlineMs: 2000, retryPeriodMs: 2000 }, err: /renewDeadline must be greater than retryPeriod/ },
  ];
  for (const c of cases) assert.throws(() => new LeaderElector({ lock, callbacks, ...c.cfg }), c.err);
  assert.match(defaultIdentity(), /^[^_]+_[0-9a-f-]{36}$/);
});

test('leader election: releaseOnCancel gives the lease up, but waits at most one retry period for an apiserver that does not answer', async () => {
  for (const answering of [true, false]) {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const client = leases.client();
    const hang = { on: false };
    const hanging = {
      ...client,
      update: (obj: LeaseObject) => (hang.on ? new Promise<LeaseObject>(() => {}) : client.update(obj)),
    } as unknown as ResourceInterface<LeaseObject>;
    let stopped = false;
    const elector = new LeaderElector({
      lock: new LeaseLock({ leases: hanging, namespace: 'kube-system', name: 'lock', identity: 'a' }),
      clock,
      random: () => 0,
      releaseOnCancel: true,
      logger: newLogger({ write: () => {} }),
      callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => (stopped = true) },
    });
    const ac = new AbortController();
    const done = elector.run(ac.signal);
    await settle();
    hang.on = !answering;
    ac.abort();
    await settle();
    if (answering) {
      assert.equal(stopped, true);
      assert.equal(leases.lease?.spec?.holderIdentity, '', 'released');
    } else {
      assert.equal(stopped, false, 'still waiting for the release');
      clock.step(2000);
      await settle();
      assert.equal(stopped, true, 'gave up after the 2s retry period');
      assert.equal(leases.lease?.spec?.holderIdentity, 'a', 'the lease simply expires');
    }
    await done;
  }
});
