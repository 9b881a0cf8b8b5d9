// `k8ts apiserver` (also run as `kube-apiserver` through a symlink): upstream flags → APIServerOptions →
// runAPIServer, serving until SIGINT/SIGTERM, then a clean shutdown (listeners, watches, store).
import { completeAPIServerOptions, newAPIServerFlagSet } from '../apiserver/flags.js';
import type { APIServerOptions } from '../apiserver/options.js';
import { runAPIServer } from '../apiserver/server.js';
import { klog } from '../base/logger.js';
import type { ComponentCommand } from './run-component.js';

const log = klog.withName('apiserver-command.ts');

export const apiserverCommand: ComponentCommand<APIServerOptions> = {
  name: 'kube-apiserver',
  summary: 'The Kubernetes API server: validates and stores API objects and serves the REST API, watches and discovery.',
  newFlags: (home) => newAPIServerFlagSet(home),
  complete: (flags, options) => completeAPIServerOptions(flags, options),
  logging: (o) => ({ format: o.loggingFormat, verbosity: o.verbosity }),
  async start(options, signal) {
    const store = options.etcdServers.length > 0 ? `etcd ${options.etcdServers.join(',')}` : options.datastoreEndpoint;
    log.info('Starting kube-apiserver', { store, securePort: options.securePort, insecurePort: options.insecurePort });
    const server = await runAPIServer(options, signal);
    if (server.securePort) log.info('Serving securely', { address: `${options.bindAddress}:${server.securePort}` });
    if (server.insecurePort) {
      log.warning('Serving insecurely (lab mode: no TLS, no authentication)', { address: `127.0.0.1:${server.insecurePort}` });
    }
    return server;
  },
};
