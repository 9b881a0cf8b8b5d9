// The `k8ts up` supervisor: runs each component as a child process, in order, waits until each is ready,
// restarts crashed ones with backoff, and stops them all (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { Backoff, type BackoffOptions } from '../base/backoff.js';
import { realClock, type Clock } from '../base/clock.js';

/** Tells a child that its stdin is a pipe held by the supervisor (see src/cli/shutdown-signal.ts). */
const supervisedEnv = { K8TS_SUPERVISED: '1' };

/** One child process the supervisor owns. */
export interface ComponentSpec {
  /** Upstream component name, e.g. kube-apiserver. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** The child's stdout and stderr are appended here. */
  logFile: string;
  /** One readiness check (e.g. GET /readyz); must not throw. Polled while the component starts. */
  ready(): Promise<boolean>;
  /** Shown once ready (e.g. the URL it serves). */
  endpoint?: string;
}

/**
 * Starting: spawned, not ready yet. Ready: its readiness check passed. CrashLoopBackOff: it exited on its
 * own and waits for its restart. Stopping/Stopped: shutdown.
 */
export type ComponentPhase = 'Pending' | 'Starting' | 'Ready' | 'CrashLoopBackOff' | 'Stopping' | 'Stopped';

export interface ComponentStatus {
  name: string;
  phase: ComponentPhase;
  pid?: number;
  restarts: number;
  /** When the phase began (clock ms). */
  since: number;
  /** Why (for CrashLoopBackOff: the exit and the last log line). */
  message?: string;
  endpoint?: string;
}

export interface SupervisorOptions {
  components: ComponentSpec[];
  /** SIGTERM → SIGKILL delay on shutdown (default 10 s). */
  gracePeriodMs?: number;
  /** Between readiness checks (default 200 ms). */
  readinessIntervalMs?: number;
  /** Restart delays (default 1 s doubling to 30 s, 10% jitter). */
  restartBackoff?: BackoffOptions;
  /** A component that stayed up this long gets its backoff reset when it next crashes (default 60 s). */
  backoffResetMs?: number;
  /** Called on every phase change. */
  onStatus?(status: ComponentStatus): void;
  clock?: Clock;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/**
 * Supervises `components` until `signal` aborts. Components start in list order, each once the one before
 * it is ready for the first time (later components need the apiserver). On abort they stop in reverse order.
 * `run` resolves when everything has stopped; `ready` resolves the first time all were ready.
 */
export class Supervisor {
  private readonly statuses: ComponentStatus[];
  private readonly clock: Clock;
  private readonly children = new Set<ChildProcess>();
  private readyResolve!: () => void;
  private readyReject!: (err: unknown) => void;
  /** Resolves once every component has been ready (rejects if shutdown comes first). */
  readonly ready: Promise<void>;

  constructor(private readonly opts: SupervisorOptions) {
    this.clock = opts.clock ?? realClock;
    this.statuses = opts.components.map((c) => ({ name: c.name, phase: 'Pending', restarts: 0, since: this.clock.now() }));
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {}); // callers that only await run() must not see an unhandled rejection
  }

  status(): ComponentStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  /** PIDs of the children alive right now. */
  pids(): number[] {
    return [...this.children].map((c) => c.pid).filter((p): p is number => p !== undefined);
  }

  async run(signal: AbortSignal): Promise<void> {
    const stops = this.opts.components.map(() => new AbortController());
    const loops: Promise<void>[] = [];
    try {
      for (let i = 0; i < this.opts.components.length && !signal.aborted; i++) {
        const firstReady = new AbortController();
        loops.push(this.superviseOne(i, stops[i]!.signal, () => firstReady.abort()));
        await waitForAbort([firstReady.signal, signal]);
      }
      if (!signal.aborted) this.readyResolve();
      await waitForAbort([signal]);
    } finally {
      this.readyReject(new Error('shut down before every component was ready'));
      // Reverse order: the apiserver goes last so the others can finish talking to it.
      for (let i = loops.length - 1; i >= 0; i--) {
        stops[i]!.abort();
        await loops[i];
      }
    }
  }

  private setStatus(i: number, patch: Partial<ComponentStatus>): void {
    const s = this.statuses[i]!;
    const phaseChanged = patch.phase !== undefined && patch.phase !== s.phase;
    Object.assign(s, patch);
    if (phaseChanged) s.since = this.clock.now();
    this.opts.onStatus?.({ ...s });
  }

  /** The restart loop of one component. Calls `onFirstReady` once. Resolves after its child has stopped. */
  private async superviseOne(i: number, stop: AbortSignal, onFirstReady: () => void): Promise<void> {
    const spec = this.opts.components[i]!;
    const backoff = new Backoff(this.opts.restartBackoff ?? { initialMs: 1000, factor: 2, capMs: 30_000, jitter: 0.1 });
    const resetAfter = this.opts.backoffResetMs ?? 60_000;
    while (!stop.aborted) {
      const { child, exited } = this.spawnChild(spec);
      const startedAt = this.clock.now();
      this.setStatus(i, { phase: 'Starting', pid: child.pid, message: undefined });
      const childGone = new AbortController();
      void exited.then(() => childGone.abort());
      void this.waitReady(spec, AbortSignal.any([stop, childGone.signal])).then((ok) => {
        if (!ok) return;
        this.setStatus(i, { phase: 'Ready', endpoint: spec.endpoint });
        onFirstReady();
      });
      await Promise.race([exited, waitForAbort([stop])]);
      if (stop.aborted) {
        this.setStatus(i, { phase: 'Stopping' });
        await this.stopChild(child, exited, () =>
          this.setStatus(i, { message: `did not stop within ${((this.opts.gracePeriodMs ?? 10_000) / 1000).toFixed(1)}s; killed` }),
        );
        this.setStatus(i, { phase: 'Stopped', pid: undefined });
        return;
      }
      const exit = await exited;
      if (this.clock.now() - startedAt >= resetAfter) backoff.reset();
      const delay = backoff.next();
      const why = exit.error ? exit.error.message : exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const last = lastLogLine(spec.logFile);
      const message = `${why}; restarting in ${(delay / 1000).toFixed(1)}s${last ? ` (last log line: ${last})` : ''}`;
      // Reported through onStatus only: the progress display decides how to show it.
      this.setStatus(i, { phase: 'CrashLoopBackOff', pid: undefined, restarts: this.statuses[i]!.restarts + 1, message });
      try {
        await this.clock.sleep(delay, stop);
      } catch {
        this.setStatus(i, { phase: 'Stopped' });
        return;
      }
    }
    this.setStatus(i, { phase: 'Stopped' });
  }

  private spawnChild(spec: ComponentSpec): { child: ChildProcess; exited: Promise<Exit> } {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    appendFileSync(spec.logFile, `---- k8ts up: starting ${spec.name} at ${new Date(this.clock.now()).toISOString()}: ${spec.command} ${spec.args.join(' ')}\n`);
    const fd = openSync(spec.logFile, 'a');
    let child: ChildProcess;
    try {
      // Own process group (detached): a Ctrl-C on the terminal reaches only the supervisor, which then
      // stops the children in order. stdin stays a pipe: it closes if the supervisor dies, and children
      // started with K8TS_SUPERVISED=1 take that as their signal to stop.
      child = spawn(spec.command, spec.args, {
        stdio: ['pipe', fd, fd],
        env: { ...process.env, ...spec.env, ...supervisedEnv },
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    this.children.add(child);
    child.stdin?.on('error', () => {}); // EPIPE when the child is gone; its exit is handled below
    const exited = new Promise<Exit>((resolve) => {
      child.once('error', (error) => {
        // spawn failed (e.g. ENOENT): no 'exit' follows
        if (child.pid === undefined) resolve({ code: null, signal: null, error });
      });
      child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    }).then((e) => {
      this.children.delete(child);
      child.stdin?.destroy();
      return e;
    });
    return { child, exited };
  }

  /** Polls `spec.ready` until it passes (true) or `signal` aborts (false). */
  private async waitReady(spec: ComponentSpec, signal: AbortSignal): Promise<boolean> {
    const interval = this.opts.readinessIntervalMs ?? 200;
    while (!signal.aborted) {
      if (await spec.ready()) return !signal.aborted;
      try {
        await this.clock.sleep(interval, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** SIGTERM, then SIGKILL once the grace period has passed; resolves when the child is gone. */
  private async stopChild(child: ChildProcess, exited: Promise<Exit>, onKill: () => void): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      await exited;
      return;
    }
    child.kill('SIGTERM');
    const grace = new AbortController();
    const timedOut = this.clock.sleep(this.opts.gracePeriodMs ?? 10_000, grace.signal).then(
      () => true,
      () => false,
    );
    const killed = await Promise.race([exited.then(() => false), timedOut]);
    grace.abort();
    if (killed) {
      onKill();
      child.kill('SIGKILL');
    }
    await exited;
  }
}

/** Resolves when any of `signals` aborts. */
function waitForAbort(signals: AbortSignal[]): Promise<void> {
  const any = AbortSignal.any(signals);
  if (any.aborted) return Promise.resolve();
  return new Promise((resolve) => any.addEventListener('abort', () => resolve(), { once: true }));
}

/** The last non-empty line of a log file (reads only its tail), for crash messages. */
function lastLogLine(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const len = Math.min(size, 4096);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('---- k8ts up:'));
    const last = lines[lines.length - 1];
    return last && last.length > 300 ? `${last.slice(0, 300)}…` : last;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
