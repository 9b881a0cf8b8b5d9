// The storage contract every backend (sqlite, etcd, memory) implements: etcd v3 semantics, cut at
// the level of keys, values and one global revision. Only the apiserver uses it.

/**
 * Values that start with this prefix are binary (data encrypted at rest by the apiserver, upstream's
 * `k8s:enc:<provider>:v1:<key>:` layout): each UTF-16 unit of the string is one byte (latin1). Backends that
 * store bytes convert with valueToBytes/valueFromBytes, so the stored bytes are exactly upstream's.
 */
export const binaryValuePrefix = 'k8s:enc:';

/** The bytes a backend stores for `value`: UTF-8 text, or the raw bytes of a binary (`k8s:enc:`) value. */
export function valueToBytes(value: string): Buffer {
  return Buffer.from(value, value.startsWith(binaryValuePrefix) ? 'latin1' : 'utf8');
}

/** The value for stored bytes: the inverse of valueToBytes. */
export function valueFromBytes(bytes: Buffer): string {
  // JSON starts with '{': one byte compared for almost every value.
  const binary = bytes[0] === binaryPrefixBytes[0] && bytes.subarray(0, binaryPrefixBytes.length).equals(binaryPrefixBytes);
  return bytes.toString(binary ? 'latin1' : 'utf8');
}

const binaryPrefixBytes = Buffer.from(binaryValuePrefix, 'latin1');

/** One stored key at one revision. Values are opaque to storage (JSON text, or binary: see binaryValuePrefix). */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (its current incarnation). */
  createRevision: number;
  /** Revision of the last write to this key. Doubles as the object's resourceVersion. */
  modRevision: number;
}

/**
 * One change, in revision order.
 * - `put` with no `prevKv`: the key was created at `kv.modRevision`.
 * - `put` with `prevKv`: the key was updated; `prevKv` is the value before.
 * - `delete`: the key was deleted at `revision`; `prevKv` is the last value it had.
 */
export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  | { type: 'delete'; key: string; revision: number; prevKv: KeyValue };

export interface ListOptions {
  /** Every key that starts with this string. */
  prefix: string;
  /** Read at this revision (0 or absent: the current revision). Older than the compacted one → Compacted. */
  revision?: number;
  /** Start at this key (inclusive), for pagination. Must start with `prefix`. */
  startKey?: string;
  /** At most this many keys (0 or absent: no limit). */
  limit?: number;
}

export interface ListResult {
  /** Keys in ascending byte order. */
  kvs: KeyValue[];
  /** The revision the list was read at (echo of `revision`, or the current revision). */
  revision: number;
  /** True when keys beyond the `limit` exist within the prefix. */
  more: boolean;
  /** How many keys of the prefix remain after the returned ones (only meaningful when `more`). */
  remaining: number;
}

export interface WatchOptions {
  /** Every key that starts with this string. */
  prefix: string;
  /**
   * Deliver every event whose revision is >= startRevision, then live events, in revision order and
   * each exactly once. A startRevision at or below the compacted revision fails with Compacted.
   * 0 means "from now": only events after the current revision.
   */
  startRevision: number;
  /** Called with events in revision order; all events of one revision arrive in one call. Must not throw. */
  onEvents(events: WatchEvent[]): void;
  /**
   * Called at most once when the watch can no longer continue (Compacted, backend lost). No events
   * follow. Not called when the watch ends because `signal` aborted.
   */
  onError(err: StorageError): void;
  /** Ends the watch. */
  signal: AbortSignal;
}

/**
 * An etcd-semantics key-value store. All writes bump the single global revision by exactly one;
 * revisions start at 1 for the first write and never go back, also across restarts.
 * Methods reject with StorageError for expected outcomes (see StorageErrorCode).
 */
export interface Store {
  /** Backend name for logs and metrics: "sqlite", "etcd", "memory". */
  readonly backend: string;
  /** The revision of the newest write (0 when nothing was ever written). */
  currentRevision(): Promise<number>;
  /** The newest compacted revision: reads and watches below or at it fail (0 when never compacted). */
  compactedRevision(): Promise<number>;
  /** The key's value at `revision` (default: now), or undefined when absent at that revision. */
  get(key: string, opts?: { revision?: number }): Promise<KeyValue | undefined>;
  list(opts: ListOptions): Promise<ListResult>;
  /** Creates `key`; AlreadyExists when it exists. Durable before the promise resolves. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces `key`'s value when its modRevision equals `expectedModRevision`. NotFound when absent;
   * Conflict (carrying the current KeyValue) when the revision differs. Durable before resolving.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes `key`, optionally only when its modRevision equals `expectedModRevision`.
   * Resolves to the deletion's revision and the last value. NotFound / Conflict as for update.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }>;
  /** Starts a watch; see WatchOptions for the delivery guarantees. Returns once the watch is registered. */
  watch(opts: WatchOptions): Promise<void>;
  /** Forgets history at or below `revision` (current values are kept). Idempotent; never goes back. */
  compact(revision: number): Promise<void>;
  /** Releases resources; pending watches end without onError. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Compacted'
  | 'FutureRevision'
  | 'Unavailable';

/** Storage-level error kinds. The apiserver turns them into Status errors at its edge. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key?: string;
  /** For Conflict: the key's current value. */
  readonly current?: KeyValue;
  /** For Compacted: the compacted revision. For FutureRevision: the current revision. */
  readonly revision?: number;
  constructor(code: StorageErrorCode, message: string, extra: { key?: string; current?: KeyValue; revision?: number } = {}) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.key = extra.key;
    this.current = extra.current;
    this.revision = extra.revision;
  }
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);
