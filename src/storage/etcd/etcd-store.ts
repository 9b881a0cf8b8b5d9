// A Store backed by a real etcd (3.4+) over its v3 gRPC API: KV Range/Txn/Compact and Watch streams,
// several endpoints with failover, optional TLS. Keys are used exactly as given (e.g. /registry/pods/...).
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { StorageError, valueFromBytes, valueToBytes, type KeyValue, type ListOptions, type ListResult, type Store, type WatchEvent, type WatchOptions } from '../interface.js';
import { compareKeys, prefixEndBytes } from '../key-range.js';
import { CompareResult, CompareTarget, rpc, type Codec, type PbEvent, type PbKeyValue, type PbRangeResponse, type PbWatchResponse } from './etcd-proto.js';

export interface EtcdStoreOptions {
  /** Client URLs (`http://host:2379`, `https://host:2379`) or `host:port`; tried in order, failing over on Unavailable. */
  endpoints: string[];
  /** --etcd-cafile: CA bundle that signed etcd's serving certificate. */
  caFile?: string;
  /** --etcd-certfile / --etcd-keyfile: client certificate for etcd's client-cert-auth. */
  certFile?: string;
  keyFile?: string;
  /** Deadline of each unary RPC (default 30 s). */
  requestTimeoutMs?: number;
}

type Method<Res> = { path: string } & Codec<object, Res>;

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';

const keyBytes = (key: string): Buffer => Buffer.from(key, 'utf8');
const toKv = (pb: PbKeyValue): KeyValue => ({
  key: pb.key.toString('utf8'),
  value: valueFromBytes(pb.value),
  createRevision: pb.create_revision,
  modRevision: pb.mod_revision,
});

/**
 * Turns one etcd event into ours; undefined when etcd could not attach the previous value, which happens
 * only when the revision before the event has been compacted.
 */
function toEvent(e: PbEvent): WatchEvent | undefined {
  if (e.type === 1) {
    return e.prev_kv ? { type: 'delete', key: e.kv.key.toString('utf8'), revision: e.kv.mod_revision, prevKv: toKv(e.prev_kv) } : undefined;
  }
  const kv = toKv(e.kv);
  if (e.kv.create_revision === e.kv.mod_revision) return { type: 'put', kv };
  return e.prev_kv ? { type: 'put', kv, prevKv: toKv(e.prev_kv) } : undefined;
}

interface Endpoint {
  url: string;
  client: grpc.Client;
}

interface ActiveWatch {
  opts: WatchOptions;
  /** Next revision to ask for when the stream has to be reopened (0: "now", until the first response). */
  next: number;
  call?: grpc.ClientDuplexStream<object, PbWatchResponse>;
  done: boolean;
}

/**
 * An etcd-semantics Store on etcd itself. etcd keeps its compaction revision R itself readable (a watch
 * from R+1 needs R for the first event's prev_kv), while the Store contract says reads at R fail; so
 * compact(R) compacts etcd at R and this client also refuses reads and watch starts at R. Another client
 * that did not compact may still read at exactly R — the data is there, so that is harmless.
 */
export class EtcdStore implements Store {
  readonly backend = 'etcd';
  private readonly endpoints: Endpoint[];
  private active = 0;
  private readonly timeoutMs: number;
  private readonly watches = new Set<ActiveWatch>();
  /** The highest revision this client compacted to (contract semantics). */
  private compactFloor = 0;
  private closed = false;

  constructor(opts: EtcdStoreOptions) {
    if (opts.endpoints.length === 0) throw new Error('etcd: no endpoints given');
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    const read = (f?: string): Buffer | null => (f ? readFileSync(f) : null);
    const ca = read(opts.caFile);
    const key = read(opts.keyFile);
    const cert = read(opts.certFile);
    this.endpoints = opts.endpoints.map((raw) => {
      const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`etcd endpoint ${raw}: scheme must be http or https`);
      const creds = url.protocol === 'https:' ? grpc.credentials.createSsl(ca, key, cert) : grpc.credentials.createInsecure();
      const client = new grpc.Client(`${url.hostname}:${url.port || '2379'}`, creds, {
        'grpc.max_receive_message_length': -1,
        'grpc.max_send_message_length': -1,
        'grpc.keepalive_time_ms': 30_000,
      });
      return { url: raw, client };
    });
  }

  async currentRevision(): Promise<number> {
    const res = await this.unary(rpc.range, { key: Buffer.of(0), count_only: true });
    return res.header.revision;
  }

  /**
   * etcd's compaction revision, found as its oldest readable revision by binary search (a handful of
   * count-only Ranges); used rarely, e.g. to report the Compacted revision. 0 when revision 1 is readable.
   */
  async compactedRevision(): Promise<number> {
    const current = await this.currentRevision();
    let lo = Math.max(1, this.compactFloor);
    let hi = current;
    if (lo >= hi) return this.compactFloor;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readable(mid)) hi = mid;
      else lo = mid + 1;
    }
    return Math.max(this.compactFloor, lo > 1 ? lo : 0);
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.checkFloor(opts.revision);
    const res = await this.range({ key: keyBytes(key), revision: opts.revision ?? 0 });
    return res.kvs.length > 0 ? toKv(res.kvs[0]) : undefined;
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.checkFloor(opts.revision);
    const from = opts.startKey !== undefined && compareKeys(opts.startKey, opts.prefix) > 0 ? opts.startKey : opts.prefix;
    const res = await this.range({
      key: keyBytes(from),
      range_end: prefixEndBytes(keyBytes(opts.prefix)),
      limit: opts.limit && opts.limit > 0 ? opts.limit : 0,
      revision: opts.revision ?? 0,
    });
    const kvs = res.kvs.map(toKv);
    const remaining = res.more ? res.count - kvs.length : 0;
    return { kvs, revision: opts.revision || res.header.revision, more: res.more, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = keyBytes(key);
    const res = await this.unary(rpc.txn, {
      compare: [{ result: CompareResult.EQUAL, target: CompareTarget.CREATE, key: k, create_revision: 0 }],
      success: [{ request_put: { key: k, value: valueToBytes(value) } }],
      failure: [],
    });
    if (!res.succeeded) throw new StorageError('AlreadyExists', `key ${key} already exists`, { key });
    return { key, value, createRevision: res.header.revision, modRevision: res.header.revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const k = keyBytes(key);
    const res = await this.unary(rpc.txn, {
      compare: [
        { result: CompareResult.GREATER, target: CompareTarget.CREATE, key: k, create_revision: 0 },
        { result: CompareResult.EQUAL, target: CompareTarget.MOD, key: k, mod_revision: expectedModRevision },
      ],
      success: [{ request_put: { key: k, value: valueToBytes(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.preconditionError(key, expectedModRevision, res.responses[0]?.response_range);
    const prev = res.responses[0]?.response_put?.prev_kv;
    if (!prev) throw new StorageError('Unavailable', `etcd put of ${key} returned no previous value`, { key });
    return { key, value, createRevision: prev.create_revision, modRevision: res.header.revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    const k = keyBytes(key);
    const compare: object[] = [{ result: CompareResult.GREATER, target: CompareTarget.CREATE, key: k, create_revision: 0 }];
    if (expectedModRevision !== undefined) compare.push({ result: CompareResult.EQUAL, target: CompareTarget.MOD, key: k, mod_revision: expectedModRevision });
    const res = await this.unary(rpc.txn, {
      compare,
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.preconditionError(key, expectedModRevision, res.responses[0]?.response_range);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new StorageError('Unavailable', `etcd delete of ${key} returned no previous value`, { key });
    return { revision: res.header.revision, prevKv: toKv(prev) };
  }

  async watch(opts: WatchOptions): Promise<void> {
    if (this.closed) throw new StorageError('Unavailable', 'etcd store is closed');
    if (opts.signal.aborted) return;
    const start = opts.startRevision > 0 ? opts.startRevision : 0;
    if (start > 0 && start <= this.compactFloor) {
      const err = new StorageError('Compacted', `watch start revision ${start} has been compacted`, { revision: this.compactFloor });
      queueMicrotask(() => opts.onError(err));
      return;
    }
    const w: ActiveWatch = { opts, next: start, done: false };
    this.watches.add(w);
    opts.signal.addEventListener('abort', () => this.endWatch(w), { once: true });
    await new Promise<void>((resolve, reject) => this.openWatchStream(w, { resolve, reject }, this.endpoints.length));
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compactFloor) return;
    const current = await this.currentRevision();
    if (revision > current) {
      throw new StorageError('FutureRevision', `cannot compact to future revision ${revision} (current ${current})`, { revision: current });
    }
    try {
      await this.unary(rpc.compact, { revision });
    } catch (err) {
      // Someone (another apiserver) already compacted at least this far.
      if (!(err instanceof StorageError && err.code === 'Compacted')) throw err;
    }
    this.compactFloor = Math.max(this.compactFloor, revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) this.endWatch(w);
    for (const e of this.endpoints) e.client.close();
  }

  private checkFloor(revision: number | undefined): void {
    if (revision && revision <= this.compactFloor) {
      throw new StorageError('Compacted', `required revision ${revision} has been compacted (compacted ${this.compactFloor})`, {
        revision: this.compactFloor,
      });
    }
  }

  private async readable(revision: number): Promise<boolean> {
    try {
      await this.unary(rpc.range, { key: Buffer.of(0), count_only: true, revision });
      return true;
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Compacted') return false;
      throw err;
    }
  }

  /** A Range whose Compacted / FutureRevision errors carry the revision the contract promises. */
  private async range(req: object): Promise<PbRangeResponse> {
    try {
      return await this.unary(rpc.range, req);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      if (err.code === 'FutureRevision') throw new StorageError('FutureRevision', err.message, { revision: await this.currentRevision() });
      if (err.code === 'Compacted') throw new StorageError('Compacted', err.message, { revision: await this.compactedRevision() });
      throw err;
    }
  }

  private preconditionError(key: string, expected: number | undefined, range: PbRangeResponse | undefined): StorageError {
    const current = range?.kvs[0];
    if (!current) return new StorageError('NotFound', `key ${key} not found`, { key });
    return new StorageError('Conflict', `key ${key} has revision ${current.mod_revision}, expected ${expected}`, { key, current: toKv(current) });
  }

  /** One RPC, failing over to the next endpoint while the current one is unavailable. */
  private async unary<Res>(method: Method<Res>, req: object): Promise<Res> {
    if (this.closed) throw new StorageError('Unavailable', 'etcd store is closed');
    let lastErr: grpc.ServiceError | undefined;
    let index = this.active;
    for (let tried = 0; tried < this.endpoints.length; tried++) {
      const endpoint = this.endpoints[index];
      try {
        return await new Promise<Res>((resolve, reject) => {
          endpoint.client.makeUnaryRequest(method.path, method.serialize, method.deserialize, req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs }, (err, res) =>
            err ? reject(err) : resolve(res as Res),
          );
        });
      } catch (err) {
        lastErr = err as grpc.ServiceError;
        if (lastErr.code !== grpc.status.UNAVAILABLE || this.closed) break;
        index = this.failedOver(index);
      }
    }
    throw this.toStorageError(lastErr);
  }

  /**
   * Records that the endpoint at `index` is unavailable and returns the one to try next. Concurrent
   * callers that saw the same endpoint fail move `active` on only once.
   */
  private failedOver(index: number): number {
    const next = (index + 1) % this.endpoints.length;
    if (this.active === index) this.active = next;
    return next;
  }

  private toStorageError(err: grpc.ServiceError | undefined): StorageError {
    const details = err?.details ?? String(err);
    if (details.includes(COMPACTED)) return new StorageError('Compacted', `etcd: ${details}`);
    if (details.includes(FUTURE)) return new StorageError('FutureRevision', `etcd: ${details}`);
    return new StorageError('Unavailable', `etcd (${this.endpoints.map((e) => e.url).join(',')}): ${details}`);
  }

  /**
   * Opens a Watch stream for `w` from `w.next`. Settles `registered` on the first response (or the first
   * failure). A stream that fails after registration is reopened from the next undelivered revision on the
   * next endpoint, up to `attempts` times in a row; after that the watch ends with Unavailable.
   */
  private openWatchStream(w: ActiveWatch, registered: { resolve(): void; reject(err: Error): void }, attempts: number): void {
    let settled = false;
    let ended = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      if (err) registered.reject(err);
      else registered.resolve();
    };
    const index = this.active;
    const endpoint = this.endpoints[index];
    const call = endpoint.client.makeBidiStreamRequest(rpc.watch.path, rpc.watch.serialize, rpc.watch.deserialize, new grpc.Metadata());
    w.call = call;
    const fail = (err: StorageError): void => {
      ended = true;
      this.endWatch(w);
      if (!settled) settle(err);
      else w.opts.onError(err);
    };
    call.on('data', (res: PbWatchResponse) => {
      if (w.done || ended) return;
      if (res.created) {
        attempts = this.endpoints.length;
        if (w.next === 0) w.next = res.header.revision + 1;
        settle();
      }
      if (res.compact_revision > 0) {
        settle();
        fail(new StorageError('Compacted', `watch start revision ${w.next} has been compacted`, { revision: Math.max(this.compactFloor, res.compact_revision) }));
        return;
      }
      if (res.canceled) {
        settle();
        fail(new StorageError('Unavailable', `etcd canceled the watch: ${res.cancel_reason}`));
        return;
      }
      if (res.events.length === 0) return;
      const events: WatchEvent[] = [];
      for (const e of res.events) {
        const ev = toEvent(e);
        if (!ev) {
          const rev = e.kv.mod_revision;
          fail(new StorageError('Compacted', `the revision before watch event ${rev} has been compacted`, { revision: Math.max(this.compactFloor, rev) }));
          return;
        }
        events.push(ev);
      }
      const last = events[events.length - 1];
      w.next = (last.type === 'put' ? last.kv.modRevision : last.revision) + 1;
      w.opts.onEvents(events);
    });
    const onBroken = (err?: grpc.ServiceError): void => {
      if (w.done || ended) return;
      ended = true;
      const code = err?.code ?? grpc.status.UNAVAILABLE;
      if (code === grpc.status.UNAVAILABLE && attempts > 1 && !this.closed) {
        this.failedOver(index);
        // Before registration the caller is still waiting; afterwards resume from the next revision.
        this.openWatchStream(w, settled ? { resolve() {}, reject() {} } : registered, attempts - 1);
        return;
      }
      const se = this.toStorageError(err);
      this.endWatch(w);
      if (!settled) settle(se);
      else w.opts.onError(se.code === 'Compacted' ? se : new StorageError('Unavailable', se.message));
    };
    call.on('error', (err: grpc.ServiceError) => onBroken(err));
    call.on('end', () => onBroken());
    call.write({
      create_request: {
        key: keyBytes(w.opts.prefix),
        range_end: prefixEndBytes(keyBytes(w.opts.prefix)),
        start_revision: w.next,
        prev_kv: true,
      },
    });
  }

  /** Stops a watch without calling its onError. */
  private endWatch(w: ActiveWatch): void {
    if (w.done) return;
    w.done = true;
    this.watches.delete(w);
    w.call?.cancel();
  }
}

/** Creates an etcd-backed store; connections are made lazily, on the first request. */
export function openEtcdStore(opts: EtcdStoreOptions): EtcdStore {
  return new EtcdStore(opts);
}
