// `k8ts scheduler` (also run as `kube-scheduler` through a symlink): upstream flags → SchedulerOptions →
// runScheduler, scheduling until SIGINT/SIGTERM, then a clean stop (bindings finish, the Lease is released);
// exit status 1 when leadership is lost, as upstream.
import { klog } from '../base/logger.js';
import { completeSchedulerOptions, newSchedulerFlagSet } from '../scheduler/flags.js';
import type { SchedulerOptions } from '../scheduler/options.js';
import { runScheduler } from '../scheduler/server.js';
import type { ComponentCommand } from './run-component.js';

const log = klog.withName('scheduler-command.ts');

export const schedulerCommand: ComponentCommand<SchedulerOptions> = {
  name: 'kube-scheduler',
  summary: 'The Kubernetes scheduler: watches unscheduled pods and binds each to the node that suits it best.',
  newFlags: () => newSchedulerFlagSet(),
  complete: (flags, options) => completeSchedulerOptions(flags, options),
  logging: (o) => ({ format: o.loggingFormat, verbosity: o.verbosity }),
  async start(options, signal) {
    log.info('Starting kube-scheduler', { config: options.config || undefined, leaderElect: options.leaderElection.leaderElect });
    const running = await runScheduler(options, signal);
    // Upstream exits when it loses the lease, so a supervisor restarts it as a candidate.
    void running.lost.then(async (reason) => {
      log.error('Stopping: leadership lost', undefined, { reason });
      await running.close().catch(() => undefined);
      process.exit(1);
    });
    return running;
  },
};
