// runControllerManager's life with an injected leader election: controllers run only while leading, and a
// lost lease (not a shutdown) is reported through `lost`, as upstream exits on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import type { LeaderElection } from './controller-context.js';
import { runControllerManager } from './controller-manager.js';
import { PrometheusControllerMetrics } from './metrics.js';
import { defaultControllerManagerOptions } from './options.js';
import { FakeClient } from './testing/fake-client.js';
import { RecordingRecorder } from './testing/recording-recorder.js';

/** A leader election the test drives by hand. */
function manualElection() {
  let callbacks: Parameters<LeaderElection['run']>[0] | undefined;
  let leading: AbortController | undefined;
  let finish!: () => void;
  const election: LeaderElection = {
    run(opts) {
      callbacks = opts;
      return new Promise<void>((resolve) => {
        finish = resolve;
        opts.signal.addEventListener('abort', () => {
          leading?.abort();
          opts.onStoppedLeading();
          resolve();
        });
      });
    },
  };
  return {
    election,
    lead() {
      leading = new AbortController();
      callbacks!.onStartedLeading(leading.signal);
    },
    lose() {
      leading!.abort();
      callbacks!.onStoppedLeading();
      finish();
    },
  };
}

function options() {
  const o = defaultControllerManagerOptions();
  o.controllers = [];
  o.securePort = 0;
  return o;
}

const deps = () => ({
  client: new FakeClient(),
  clock: new FakeClock(),
  logger: newLogger({ write: () => {} }),
  metrics: new PrometheusControllerMetrics({ processMetrics: false }),
  recorder: () => new RecordingRecorder(),
  identity: 'test_1',
});

test('controllers run only while leading; losing the lease resolves `lost`', async () => {
  const m = manualElection();
  const d = deps();
  const manager = await runControllerManager(options(), new AbortController().signal, { ...d, leaderElection: m.election });
  assert.equal(manager.identity, 'test_1');
  assert.equal(manager.isLeading(), false);
  m.lead();
  assert.equal(manager.isLeading(), true);
  assert.match((await d.metrics.exposition()).body, /leader_election_master_status\{name="kube-controller-manager"\} 1/);
  m.lose();
  assert.equal(await manager.lost, 'leaderelection lost');
  await manager.close();
  assert.equal(manager.isLeading(), false);
  assert.match((await d.metrics.exposition()).body, /leader_election_master_status\{name="kube-controller-manager"\} 0/);
});

test('a shutdown is not a lost lease; --leader-elect=false starts at once', async () => {
  const m = manualElection();
  const stop = new AbortController();
  const manager = await runControllerManager(options(), stop.signal, { ...deps(), leaderElection: m.election });
  m.lead();
  let lost = false;
  void manager.lost.then(() => (lost = true));
  await manager.close();
  await new Promise((r) => setImmediate(r));
  assert.equal(lost, false);

  const o = options();
  o.leaderElection.leaderElect = false;
  const direct = await runControllerManager(o, new AbortController().signal, deps());
  assert.equal(direct.isLeading(), true);
  await direct.close();
});
