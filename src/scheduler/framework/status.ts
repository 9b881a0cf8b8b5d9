// The result of running a plugin (upstream framework.Status): a code plus human-readable reasons. `null`
// stands for Success everywhere, as upstream's nil *Status does, so the hot path allocates nothing.

/** Status codes, spelled and ordered as upstream's framework.Code. */
export enum Code {
  Success = 0,
  /** An internal error: the pod is retried with backoff, not marked unschedulable. */
  Error = 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The pod does not fit and preemption cannot change that on this node. */
  UnschedulableAndUnresolvable = 3,
  /** A Permit plugin asks the pod to wait. */
  Wait = 4,
  /** The plugin has nothing to do for this pod (PreFilter/PreScore/Bind): its later points are skipped. */
  Skip = 5,
  /** The pod waits for something outside the scheduler (e.g. another component); no preemption. */
  Pending = 6,
}

const codeNames = ['Success', 'Error', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Wait', 'Skip', 'Pending'];

/** An immutable plugin result. Build with newStatus/asStatus; success is `null`. */
export class Status {
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[],
    /** The plugin that produced the status, set by the framework runner when it rejects a pod. */
    readonly plugin = '',
    /** The underlying error of an Error status. */
    readonly err?: Error,
  ) {}

  /** The reasons joined by ", " (upstream Status.Message). */
  message(): string {
    return this.reasons.join(', ');
  }

  /** Unschedulable, UnschedulableAndUnresolvable or Pending. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  isSkip(): boolean {
    return this.code === Code.Skip;
  }

  codeName(): string {
    return codeNames[this.code] ?? `Code(${this.code})`;
  }

  /** The same status attributed to `plugin`. */
  withPlugin(plugin: string): Status {
    return plugin === this.plugin ? this : new Status(this.code, this.reasons, plugin, this.err);
  }

  /** `<code>: <message>`, for logs. */
  toString(): string {
    return `${this.codeName()}: ${this.message()}`;
  }
}

/** A status with `code` and `reasons`. Success gives null: there is one success value. */
export function newStatus(code: Code, ...reasons: string[]): Status | null {
  return code === Code.Success ? null : new Status(code, reasons);
}

/** A non-success status (convenience for plugins, whose rejections are never Success). */
export function rejection(code: Exclude<Code, Code.Success>, ...reasons: string[]): Status {
  return new Status(code, reasons);
}

/** An Error status wrapping `err` (upstream AsStatus). */
export function asStatus(err: unknown): Status {
  const e = err instanceof Error ? err : new Error(String(err));
  return new Status(Code.Error, [e.message], '', e);
}

/** True for null (upstream nil) and Success. */
export function isSuccess(s: Status | null | undefined): boolean {
  return s == null || s.code === Code.Success;
}

/** The status's code, Success for null. */
export function codeOf(s: Status | null | undefined): Code {
  return s == null ? Code.Success : s.code;
}
