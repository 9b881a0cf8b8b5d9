// Child processes started by tests and benchmarks, tracked so none outlives the process that started it:
// on exit, SIGINT or SIGTERM every child still running gets SIGKILL (the safety net behind each owner's stop()).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();
let hooksInstalled = false;

function killAll(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      // Re-raise with the default disposition so the exit status still says which signal ended us.
      process.kill(process.pid, signal);
    });
  }
}

/**
 * spawn(), plus registration in the kill-on-exit set. The child leaves the set when it exits.
 * Callers still stop their children themselves; this only guards against orphans after failures.
 */
export function spawnOwned(command: string, args: string[], options: SpawnOptions): ChildProcess {
  installHooks();
  const child = spawn(command, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

/** How many owned children are still running (for tests of this module and leak checks). */
export function runningChildCount(): number {
  return running.size;
}

/**
 * Resolves with the exit code (or the signal name) once `child` has exited, at once if it already has.
 */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
}

/**
 * Sends `signal` (default SIGTERM), then SIGKILL when the child has not exited after `graceMs`.
 * Resolves once it has exited.
 */
export async function stopChild(child: ChildProcess, opts: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<void> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(opts.signal ?? 'SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 5000);
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
}
