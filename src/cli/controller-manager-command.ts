// `k8ts controller-manager` (also run as `kube-controller-manager` through a symlink): upstream flags →
// ControllerManagerOptions → runControllerManager, until SIGINT/SIGTERM — or until leadership is lost, when
// the process exits with status 1 as upstream's does, so a supervisor restarts it as a candidate.
import { klog } from '../base/logger.js';
import { runControllerManager } from '../controller-manager/controller-manager.js';
import { completeControllerManagerOptions, controllersNotImplemented, newControllerManagerFlagSet } from '../controller-manager/flags.js';
import type { ControllerManagerOptions } from '../controller-manager/options.js';
import type { ComponentCommand } from './run-component.js';

const log = klog.withName('controller-manager-command.ts');

export const controllerManagerCommand: ComponentCommand<ControllerManagerOptions> = {
  name: 'kube-controller-manager',
  summary: 'The Kubernetes controller manager: runs the control loops (deployment, replicaset, …) that drive the cluster towards its desired state.',
  newFlags: () => newControllerManagerFlagSet(),
  complete: (_flags, options) => completeControllerManagerOptions(options),
  logging: (o) => ({ format: o.loggingFormat, verbosity: o.verbosity }),
  async start(options, signal) {
    for (const name of controllersNotImplemented(options)) {
      log.warning('Controller is known upstream but not implemented by k8ts yet; skipping it', { controller: name });
    }
    const manager = await runControllerManager(options, signal);
    if (manager.port !== undefined) log.info('Serving securely', { address: `${options.bindAddress}:${manager.port}` });
    void manager.lost.then(async (reason) => {
      log.error('Stopping: leadership lost', undefined, { reason });
      await manager.close().catch(() => undefined);
      process.exit(1);
    });
    return manager;
  },
};
