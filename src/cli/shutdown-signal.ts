// Turns the ways a component is told to stop into one AbortSignal: SIGINT, SIGTERM, and — when started by
// `k8ts up` — its supervisor going away (stdin closes), so a killed supervisor never leaves orphans.

/** Set in a child's environment by the supervisor: the child's stdin is a pipe held by the supervisor. */
export const supervisedEnvVar = 'K8TS_SUPERVISED';

export interface ShutdownSignal {
  /** Aborts once, with a reason string saying why (e.g. "received SIGTERM"). */
  signal: AbortSignal;
  /** Removes the listeners (call when the component has stopped). */
  dispose(): void;
}

/**
 * Listens for the stop requests of this process. A second SIGINT/SIGTERM while shutting down exits at once
 * with status 1, as upstream components do, for when a clean shutdown hangs.
 */
export function shutdownSignal(opts: { watchStdin?: boolean } = {}): ShutdownSignal {
  const ac = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      process.stderr.write(`received ${name} again, exiting immediately\n`);
      process.exit(1);
    }
    ac.abort(`received ${name}`);
  };
  const onStdinEnd = (): void => {
    if (!ac.signal.aborted) ac.abort('supervisor went away (stdin closed)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const watchStdin = opts.watchStdin ?? process.env[supervisedEnvVar] === '1';
  if (watchStdin) {
    process.stdin.on('end', onStdinEnd);
    process.stdin.on('close', onStdinEnd);
    process.stdin.on('error', onStdinEnd);
    process.stdin.resume();
  }
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (watchStdin) {
        process.stdin.off('end', onStdinEnd);
        process.stdin.off('close', onStdinEnd);
        process.stdin.off('error', onStdinEnd);
        process.stdin.pause();
        process.stdin.unref?.();
      }
    },
  };
}
