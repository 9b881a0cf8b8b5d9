// How `k8ts up` shows its components: on a terminal, one live line per component redrawn in place; when
// output is a file, a pipe or CI, one plain log line per change (which reads well in logs).
import type { Clock } from '../base/clock.js';
import { realClock, type Timer } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ComponentStatus } from './supervisor.js';

export interface ProgressDisplay {
  update(status: ComponentStatus): void;
  /** Prints text (lines) above the live block, or as is. */
  println(text: string): void;
  /** Stops redrawing (the last state stays on screen). */
  close(): void;
}

const symbols: Record<ComponentStatus['phase'], string> = {
  Pending: '·',
  Starting: '…',
  Ready: '✓',
  CrashLoopBackOff: '✗',
  Stopping: '…',
  Stopped: '·',
};

/** One line for a component, e.g. `  ✓ kube-apiserver  Ready  pid 123  https://127.0.0.1:6443`. */
export function formatStatusLine(s: ComponentStatus, now: number, nameWidth = 22): string {
  const parts = [`  ${symbols[s.phase]} ${s.name.padEnd(nameWidth)} ${s.phase}`];
  if (s.phase === 'Starting' || s.phase === 'Stopping') parts.push(`${Math.max(0, Math.floor((now - s.since) / 1000))}s`);
  if (s.pid !== undefined) parts.push(`pid ${s.pid}`);
  if (s.restarts > 0) parts.push(`restarts ${s.restarts}`);
  if (s.phase === 'Ready' && s.endpoint) parts.push(s.endpoint);
  if ((s.phase === 'CrashLoopBackOff' || s.phase === 'Stopping' || s.phase === 'Stopped') && s.message) parts.push(s.message);
  return parts.join('  ');
}

/** Redraws the component lines in place with ANSI cursor movement; refreshes elapsed times every second. */
export class LiveProgress implements ProgressDisplay {
  private readonly order: string[] = [];
  private readonly statuses = new Map<string, ComponentStatus>();
  private drawn = 0;
  private timer: Timer | undefined;
  private closed = false;

  constructor(
    private readonly out: { write(s: string): unknown; columns?: number },
    private readonly clock: Clock = realClock,
  ) {
    this.tick();
  }

  update(status: ComponentStatus): void {
    if (!this.statuses.has(status.name)) this.order.push(status.name);
    this.statuses.set(status.name, status);
    this.redraw();
  }

  println(text: string): void {
    this.out.write(this.erase() + (text.endsWith('\n') ? text : `${text}\n`));
    this.drawn = 0;
    this.redraw();
  }

  close(): void {
    this.closed = true;
    this.timer?.stop();
  }

  private tick(): void {
    if (this.closed) return;
    this.timer = this.clock.setTimer(1000, () => {
      // Only elapsed times change between updates; leave a settled screen alone.
      if ([...this.statuses.values()].some((s) => s.phase === 'Starting' || s.phase === 'Stopping')) this.redraw();
      this.tick();
    });
  }

  private erase(): string {
    // Up to the first drawn line, then clear to the end of the screen.
    return this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : '';
  }

  private redraw(): void {
    if (this.closed) return;
    const now = this.clock.now();
    const width = this.out.columns ?? 200;
    const nameWidth = Math.max(...this.order.map((n) => n.length));
    const lines = this.order.map((n) => {
      const line = formatStatusLine(this.statuses.get(n)!, now, nameWidth);
      return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
    });
    this.out.write(this.erase() + lines.map((l) => `${l}\n`).join(''));
    this.drawn = lines.length;
  }
}

/** Logs each phase change as a klog line; for non-terminal output. */
export class LogProgress implements ProgressDisplay {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly log: Logger,
    private readonly out: { write(s: string): unknown },
  ) {}

  update(s: ComponentStatus): void {
    const key = `${s.phase}/${s.pid}/${s.restarts}/${s.message}`;
    if (this.last.get(s.name) === key) return;
    this.last.set(s.name, key);
    const kv: Record<string, unknown> = { component: s.name, phase: s.phase };
    if (s.pid !== undefined) kv.pid = s.pid;
    if (s.restarts) kv.restarts = s.restarts;
    if (s.phase === 'Ready' && s.endpoint) kv.endpoint = s.endpoint;
    if (s.message) kv.message = s.message;
    if (s.phase === 'CrashLoopBackOff') this.log.warning('Component status', kv);
    else this.log.info('Component status', kv);
  }

  println(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  close(): void {}
}
