// The controller manager's leader election: client-go's LeaderElector on the Lease named by
// --leader-elect-resource-namespace/--leader-elect-resource-name, released on shutdown so a standby
// manager takes over at once instead of after a lease duration.
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { LeaderElector } from '../client/leaderelection/leader-elector.js';
import { LeaseLock, type LeaseObject } from '../client/leaderelection/lease-lock.js';
import type { Interface } from '../client/rest/interface.js';
import { resources, type LeaderElection } from './controller-context.js';
import type { LeaderElectionOptions } from './options.js';

export function newLeaseElection(opts: {
  client: Interface;
  options: LeaderElectionOptions;
  identity: string;
  clock: Clock;
  logger: Logger;
}): LeaderElection {
  const o = opts.options;
  return {
    async run({ signal, onStartedLeading, onStoppedLeading }) {
      const lock = new LeaseLock({
        leases: opts.client.resource<LeaseObject>(resources.leases, o.resourceNamespace),
        namespace: o.resourceNamespace,
        name: o.resourceName,
        identity: opts.identity,
      });
      const elector = new LeaderElector({
        lock,
        leaseDurationMs: o.leaseDurationMs,
        renewDeadlineMs: o.renewDeadlineMs,
        retryPeriodMs: o.retryPeriodMs,
        releaseOnCancel: true,
        name: o.resourceName,
        clock: opts.clock,
        logger: opts.logger,
        callbacks: { onStartedLeading, onStoppedLeading },
      });
      await elector.run(signal);
    },
  };
}
