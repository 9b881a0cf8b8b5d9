// Test support: an in-process apiserver plus a controller manager running only the named controllers
// (no leader election, no serving port); both stop when the test ends.
import type { TestContext } from 'node:test';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { runControllerManager } from '../../src/controller-manager/controller-manager.js';
import { PrometheusControllerMetrics } from '../../src/controller-manager/metrics.js';
import { defaultControllerManagerOptions, type ControllerManagerOptions } from '../../src/controller-manager/options.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startInProcessAPIServer, type InProcessCluster } from './in-process-apiserver.js';

export interface ControllersUnderTest {
  cluster: InProcessCluster;
  /** The test's own client (not the manager's). */
  client: Interface;
  recorder: RecordingRecorder;
}

/**
 * Starts the manager with `controllers` against `cluster` (default: a fresh in-process apiserver).
 * `configure` adjusts the options (e.g. --root-ca-file). Logs go to stderr when K8TS_TEST_LOG is set.
 */
export async function startControllers(
  t: TestContext,
  opts: { controllers: string[]; cluster?: InProcessCluster; configure?(o: ControllerManagerOptions): void },
): Promise<ControllersUnderTest> {
  const cluster = opts.cluster ?? (await startInProcessAPIServer(t));
  const o = defaultControllerManagerOptions();
  o.controllers = opts.controllers;
  o.securePort = 0;
  o.leaderElection.leaderElect = false;
  opts.configure?.(o);
  const recorder = new RecordingRecorder();
  const stop = new AbortController();
  const manager = await runControllerManager(o, stop.signal, {
    client: cluster.newClient(),
    logger: newLogger({ write: process.env.K8TS_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} }),
    metrics: new PrometheusControllerMetrics({ processMetrics: false }),
    recorder: () => recorder,
    identity: 'controllers-test',
  });
  t.after(async () => {
    stop.abort();
    await manager.close();
  });
  return { cluster, client: cluster.client, recorder };
}

/** Polls `cond` every 20 ms until it holds (default: at most 15 s). */
export function eventually(cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  return poll({ intervalMs: 20, timeoutMs }, cond);
}
