// The shape every long-running k8ts command shares: parse upstream-style flags, configure logging, start,
// serve until told to stop, shut down cleanly. `k8ts apiserver` is the first; later components reuse it.
import { configureLogging, klog, type LoggingFormat } from '../base/logger.js';
import type { FlagSet } from '../base/flag-set.js';

const log = klog.withName('run-component.ts');

/** What a component command declares; `runComponentCommand` does the rest. */
export interface ComponentCommand<O> {
  /** The upstream binary name, shown in usage and logs (e.g. kube-apiserver). */
  name: string;
  /** One line for --help. */
  summary: string;
  /** Fresh flags bound to fresh default options. */
  newFlags(home: string): { flags: FlagSet; options: O };
  /** Derives defaults that depend on other flags; returns problems (empty = fine). */
  complete(flags: FlagSet, options: O): string[];
  logging(options: O): { format: LoggingFormat; verbosity: number };
  /** Starts the component; resolves once it serves. `signal` aborts when shutdown begins. */
  start(options: O, signal: AbortSignal): Promise<{ close(): Promise<void> }>;
}

export interface RunEnvironment {
  home: string;
  /** Aborts when the component must stop (see shutdownSignal). */
  shutdown: AbortSignal;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Runs `cmd` with `args` until `env.shutdown` aborts. Exit codes: 0 after a clean stop or --help, 2 for
 * command-line errors (printed as `Error: …`, like cobra), 1 when starting or stopping failed.
 */
export async function runComponentCommand<O>(cmd: ComponentCommand<O>, args: string[], env: RunEnvironment): Promise<number> {
  const { flags, options } = cmd.newFlags(env.home);
  const parsed = flags.parse(args);
  if (parsed.kind === 'help') {
    env.stdout(`${cmd.summary}\n\nUsage:\n  ${cmd.name} [flags]\n\nFlags:\n${flags.usage()}`);
    return 0;
  }
  if (parsed.kind === 'error') {
    env.stderr(`Error: ${parsed.message}\nRun '${cmd.name} --help' for usage.\n`);
    return 2;
  }
  if (parsed.args.length > 0) {
    env.stderr(`Error: ${JSON.stringify(cmd.name)} does not take any arguments, got ${JSON.stringify(parsed.args)}\n`);
    return 2;
  }
  const problems = cmd.complete(flags, options);
  if (problems.length > 0) {
    env.stderr(problems.map((p) => `Error: ${p}\n`).join(''));
    return 2;
  }
  configureLogging(cmd.logging(options));
  for (const name of flags.ignoredFlagsSet()) {
    log.warning('Flag is accepted for compatibility but not implemented by k8ts yet; ignoring it', { flag: `--${name}` });
  }

  const running = new AbortController();
  const onShutdown = (): void => running.abort(env.shutdown.reason);
  if (env.shutdown.aborted) onShutdown();
  else env.shutdown.addEventListener('abort', onShutdown, { once: true });
  let server: { close(): Promise<void> };
  try {
    server = await cmd.start(options, running.signal);
  } catch (err) {
    env.shutdown.removeEventListener('abort', onShutdown);
    if (running.signal.aborted) {
      log.info('Stopped while starting', { reason: String(running.signal.reason) });
      return 0;
    }
    log.error(`Failed to start ${cmd.name}`, err);
    return 1;
  }
  if (!running.signal.aborted) {
    await new Promise<void>((resolve) => running.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  log.info('Shutting down', { component: cmd.name, reason: String(running.signal.reason) });
  try {
    await server.close();
  } catch (err) {
    log.error('Shutdown failed', err);
    return 1;
  }
  log.info('Stopped', { component: cmd.name });
  return 0;
}
