// The generic registry (upstream: genericregistry.Store): one per served resource, it turns REST verbs
// into Store calls with Kubernetes semantics — metadata, optimistic concurrency, finalizers, dry run,
// pagination — and calls the resource's ResourceStrategy for everything kind-specific.

import type { ApplyType } from '../../../apimachinery/apply/schema.js';
import { randomUUID } from 'node:crypto';
import {
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newForbidden,
  newInternalError,
  newInvalid,
  newNotFound,
  optimisticLockErrorMsg,
  StatusError,
  type GroupResource,
} from '../../../apimachinery/errors.js';
import { forbidden, invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import type { ResourceInfo } from '../../../api/resource-info.js';
import { isStorageError, type KeyValue, type Store } from '../../../storage/interface.js';
import { listPrefix, objectKey, type ResourceKeys } from '../../storage-keys.js';
import type { APIObject, ObjectMeta, ResourceStrategy, StrategyContext } from '../strategy.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { beforeDelete, gcFinalizers, markAsDeleting } from './deletion.js';
import { omitEmptyMetadata, rfc3339, specOf } from './object-meta.js';
import { newTooLargeResourceVersion, parseResourceVersion } from './resource-version.js';
import { toScale } from './scale.js';
import type { DeleteOptions } from './delete-options.js';
import type { ListOptions } from './list-options.js';
import type { AdmissionHooks } from '../../admission/interface.js';
import type { UserInfo } from '../../authentication/interface.js';
import { compileSelectors, everything, objectFields, selectableFieldNames, type SelectionPredicate, type SelectorCompiler } from './selection.js';
import { copyObject } from './object-copy.js';

/**
 * Converts between the served version and the version objects are stored in (HPA v1 ↔ v2, events, custom
 * resources through their CRD's conversion). Both directions take a batch and keep its order and length; a
 * conversion that calls out (a CRD conversion webhook) sees one batch as one request. A failure throws a
 * StatusError, which the request gets as is.
 */
export interface VersionConversion {
  /** Served-version objects in the storage version. */
  toStorage(objs: APIObject[]): Promise<APIObject[]>;
  /** Stored objects (each in the version it was written in) in the served version. */
  fromStorage(objs: APIObject[]): Promise<APIObject[]>;
}

/** Generic metadata validation (src/apimachinery/validation), injected so each resource can pick its name rule. */
export interface MetadataValidator {
  validateCreate(meta: ObjectMeta, opts: { namespaced: boolean; group: string; resource: string }): FieldError[];
  validateUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[];
}

/** Reads namespaces for the create-time lifecycle check (exists, not terminating). */
export type NamespaceLookup = (name: string) => Promise<APIObject | undefined>;

/** Serves lists and answers freshness questions from memory; see watchcache/. */
export interface ListCache {
  /**
   * The objects under `prefix` (JSON texts with resourceVersion set) matching `predicate`, as of a
   * revision >= `minRevision` (0: whatever the cache has), in key order. Undefined when the cache does not
   * reach `minRevision` in time (the registry then reads storage).
   */
  list(opts: { prefix: string; predicate: SelectionPredicate; minRevision: number; signal?: AbortSignal }): Promise<{ items: string[]; revision: number } | undefined>;
  /**
   * One object's JSON as of a revision >= `minRevision`: `{ json }` when present, `{ json: undefined }` when
   * the cache is fresh and the object does not exist, undefined when the cache is not fresh in time.
   */
  get(opts: { key: string; minRevision: number }): Promise<{ json: string | undefined } | undefined>;
}

export interface GenericRegistryOptions {
  /** The served resource (its group/version/kind are what clients see). */
  resource: ResourceInfo;
  /** The resource whose encoding is stored; defaults to `resource`. */
  storageResource?: ResourceInfo;
  conversion?: VersionConversion;
  store: Store;
  keys: ResourceKeys;
  strategy?: ResourceStrategy;
  metadataValidator?: MetadataValidator;
  /** Default: src/apimachinery label and field selectors (compileSelectors). */
  selectorCompiler?: SelectorCompiler;
  namespaces?: NamespaceLookup;
  cache?: ListCache;
  /** Wall clock in ms (tests inject a fixed one). */
  now?: () => number;
  /** Random source for generateName suffixes. */
  random?: () => number;
  /**
   * The server-side apply type of the served kind when it is not a built-in one: custom resources' types come
   * from their CRD version's structural schema. Absent: the built-in schema (or untyped).
   */
  applySchema?: ApplyType;
  /**
   * The watch cache does not hold this resource's selectable fields beyond metadata (custom resources, whose
   * cache is shared by all served versions): field selectors on them read the cached object's JSON.
   */
  uncachedSelectableFields?: boolean;
  /**
   * Applied to every object read from storage, before any conversion (custom resources: the storage version's
   * schema defaults, as upstream applies them when reading). The watch cache applies the same to what it holds.
   */
  decorateStored?: (obj: APIObject) => void;
}

export interface GetOptions {
  namespace: string;
  name: string;
  /** "" or absent: the latest; otherwise a revision the answer must not be older than. */
  resourceVersion?: string;
}

export interface CreateOptions {
  namespace: string;
  obj: APIObject;
  dryRun?: boolean;
  /** Admission for this write: mutate before the strategy runs, validate after its validation. */
  admission?: AdmissionHooks;
  /** The requesting user, for strategies that record it (CertificateSigningRequest spec.username, …). */
  user?: UserInfo;
}

export interface UpdateOptions {
  namespace: string;
  name: string;
  obj: APIObject;
  /** "" (the object), "status", or a strategy-defined subresource such as "finalize". */
  subresource?: string;
  dryRun?: boolean;
  /**
   * Optional last step on each attempt's object before it is stored (current is undefined when the
   * update creates): the apiserver records managedFields here.
   */
  track?(current: APIObject | undefined, obj: APIObject): APIObject;
  /** Admission, on every attempt (with that attempt's stored object; undefined when the update creates). */
  admission?: AdmissionHooks;
}

export interface PatchOptions {
  namespace: string;
  name: string;
  subresource?: string;
  dryRun?: boolean;
  /**
   * Applies the patch to a copy of the current object and returns the result. Called again with the
   * newer object when an unconditional write loses a race.
   */
  apply(current: APIObject): APIObject;
  /** True when the patch itself sets metadata.resourceVersion (then it is a precondition, never retried). */
  setsResourceVersion: boolean;
  /** Admission, on every attempt, with that attempt's stored object. */
  admission?: AdmissionHooks;
}

export interface DeleteRequest {
  namespace: string;
  name: string;
  options?: DeleteOptions;
  /** Admission: mutate(undefined, stored object), then validate(undefined, stored object), before anything is written. */
  admission?: AdmissionHooks;
}

export interface DeleteResult {
  /** The object as deleted, or as it stays (deletionTimestamp set) while finalizers are pending. */
  obj: APIObject;
  /** True when it is gone from storage. */
  deleted: boolean;
  /** A graceful deletion was already running and nothing changed (upstream answers a Success Status). */
  pending?: boolean;
}

/** One page of a list, items already serialized (resourceVersion set). */
export interface ListChunk {
  items: string[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Upstream's message for a continue token whose revision was compacted. */
export const continueExpiredMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Upstream tries a generated name this many times before giving up with AlreadyExists. */
const generateNameAttempts = 8;
/** Unconditional writes retry storage conflicts at most this many times. */
const maxConflictRetries = 32;
/** Characters of generated name suffixes (upstream's utilrand alphabet: no vowels, no confusable digits). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Resources whose PUT may create the object (upstream strategies with AllowCreateOnUpdate true). */
const createOnUpdate = new Set([
  '/endpoints',
  '/events',
  '/limitranges',
  'events.k8s.io/events',
  'coordination.k8s.io/leases',
  'discovery.k8s.io/endpointslices',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/rolebindings',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
]);

/** Resources whose DELETE replies with the object rather than a Status (upstream ReturnDeletedObject). */
const returnDeletedObject = new Set(['/pods', '/services', '/namespaces']);

function clone<T>(v: T): T {
  return copyObject(v);
}

export class GenericRegistry {
  readonly resource: ResourceInfo;
  readonly storageResource: ResourceInfo;
  readonly keys: ResourceKeys;
  readonly strategy?: ResourceStrategy;
  readonly groupResource: GroupResource;
  /** See GenericRegistryOptions.applySchema. */
  readonly applySchema?: ApplyType;
  private readonly store: Store;
  private readonly opts: GenericRegistryOptions;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly fieldNames: ReadonlySet<string>;

  constructor(opts: GenericRegistryOptions) {
    this.opts = opts;
    this.resource = opts.resource;
    this.storageResource = opts.storageResource ?? opts.resource;
    this.keys = opts.keys;
    this.strategy = opts.strategy;
    this.applySchema = opts.applySchema;
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.groupResource = { group: opts.resource.group, resource: opts.resource.plural };
    this.fieldNames = selectableFieldNames(opts.strategy);
  }

  get apiVersion(): string {
    return this.resource.group ? `${this.resource.group}/${this.resource.version}` : this.resource.version;
  }

  /** Whether DELETE should answer with the object (true) or a Success Status (false). */
  get returnsDeletedObject(): boolean {
    return returnDeletedObject.has(`${this.resource.group}/${this.resource.plural}`);
  }

  /** Whether the kind has a status the main resource may not change. */
  get hasStatusSubresource(): boolean {
    return this.strategy?.hasStatusSubresource ?? this.resource.subresources.some((s) => s.name === 'status');
  }

  // ---- encoding ----

  /**
   * Decodes a stored value as it was written (no version conversion), with resourceVersion = the write's
   * revision. For readers of resources served in their storage version (RBAC, namespaces).
   */
  decodeStored(kv: Pick<KeyValue, 'value' | 'modRevision'>): APIObject {
    const obj = JSON.parse(kv.value) as APIObject;
    obj.metadata = obj.metadata ?? {};
    obj.metadata.resourceVersion = String(kv.modRevision);
    this.opts.decorateStored?.(obj);
    return obj;
  }

  /** Decodes a stored value into the served version, with resourceVersion = the write's revision. */
  async decode(kv: Pick<KeyValue, 'value' | 'modRevision'>): Promise<APIObject> {
    const obj = this.decodeStored(kv);
    return this.opts.conversion ? (await this.opts.conversion.fromStorage([obj]))[0] : obj;
  }

  /** The stored form: storage version, no resourceVersion (the revision is the version). */
  private async encode(obj: APIObject): Promise<string> {
    const stored = this.opts.conversion ? (await this.opts.conversion.toStorage([clone(obj)]))[0] : obj;
    const meta = stored.metadata ?? {};
    const rv = meta.resourceVersion;
    delete meta.resourceVersion;
    const text = JSON.stringify(stored);
    if (rv !== undefined && stored === obj) meta.resourceVersion = rv;
    return text;
  }

  private key(namespace: string, name: string): string {
    return objectKey(this.keys, namespace, name);
  }

  private ctx(namespace: string, dryRun: boolean): StrategyContext {
    return { namespace: this.resource.namespaced ? namespace : '', dryRun };
  }

  private invalid(name: string, errs: FieldError[]): StatusError {
    return newInvalid({ group: this.resource.group, kind: this.resource.kind }, name, errs);
  }

  private conflict(name: string): StatusError {
    return newConflict(this.groupResource, name, optimisticLockErrorMsg);
  }

  /** Fills apiVersion/kind when absent; 400 when they name another kind. */
  checkKind(obj: APIObject): void {
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = this.apiVersion;
    if (obj.kind === undefined || obj.kind === '') obj.kind = this.resource.kind;
    if (obj.apiVersion !== this.apiVersion) {
      throw newBadRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${this.apiVersion})`);
    }
    if (obj.kind !== this.resource.kind) {
      throw newBadRequest(
        `${String(obj.kind)} in version "${this.resource.version}" cannot be handled as a ${this.resource.kind}: the kind in the data (${String(obj.kind)}) does not match the expected kind (${this.resource.kind})`,
      );
    }
    if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
      throw newBadRequest(`${this.resource.kind} in version "${this.resource.version}" cannot be handled as a ${this.resource.kind}: metadata must be an object`);
    }
  }

  /** Sets the namespace from the URL; 400 when the body names another one (namespaced kinds). */
  private checkNamespace(meta: ObjectMeta, namespace: string): void {
    if (this.resource.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else if (meta.namespace !== undefined) {
      delete meta.namespace;
    }
  }

  // ---- reads ----

  /**
   * GET as JSON text: served from the watch cache once it has caught up with the store (a consistent read,
   * without decoding and re-encoding the object), else from storage.
   */
  async getJSON(opts: GetOptions): Promise<string> {
    const cache = this.opts.cache;
    if (cache && !this.opts.conversion) {
      const current = await this.store.currentRevision();
      const rv = opts.resourceVersion;
      const minRevision = rv === '0' ? 0 : rv ? parseResourceVersion(rv) : current;
      if (minRevision > current) throw newTooLargeResourceVersion(minRevision, current);
      const hit = await cache.get({ key: this.key(opts.namespace, opts.name), minRevision });
      if (hit) {
        if (hit.json === undefined) throw newNotFound(this.groupResource, opts.name);
        return hit.json;
      }
    }
    return JSON.stringify(await this.get(opts));
  }

  async get(opts: GetOptions): Promise<APIObject> {
    await this.checkNotTooLarge(opts.resourceVersion);
    const kv = await this.store.get(this.key(opts.namespace, opts.name));
    if (!kv) throw newNotFound(this.groupResource, opts.name);
    return await this.decode(kv);
  }

  /** 504 "Too large resource version" for a resourceVersion from the future, like upstream. */
  private async checkNotTooLarge(resourceVersion: string | undefined): Promise<void> {
    if (!resourceVersion || resourceVersion === '0') return;
    const rv = parseResourceVersion(resourceVersion);
    const current = await this.store.currentRevision();
    if (rv > current) throw newTooLargeResourceVersion(rv, current);
  }

  /** Compiles selectors; 400 for unsupported fields or syntax. */
  predicate(opts: { labelSelector?: string; fieldSelector?: string }): SelectionPredicate {
    if (!opts.labelSelector && !opts.fieldSelector) return everything;
    const compile = this.opts.selectorCompiler ?? compileSelectors;
    const predicate = compile({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, fieldNames: this.fieldNames });
    if (!this.opts.uncachedSelectableFields || !opts.fieldSelector || predicate.empty) return predicate;
    const strategy = this.strategy;
    return { ...predicate, fieldsOf: (json) => objectFields(JSON.parse(json) as APIObject, strategy) };
  }

  /** Whether a decoded object passes the predicate. */
  matches(obj: APIObject, predicate: SelectionPredicate): boolean {
    return predicate.empty || predicate.matches(obj.metadata?.labels ?? {}, objectFields(obj, this.strategy));
  }

  /**
   * Lists with upstream's resourceVersion semantics: unset = the latest (consistent), "0" = any (served from
   * the cache), N with NotOlderThan = not older than N, N with Exact = exactly at N (from storage);
   * `limit`/`continue` page through storage at one revision.
   */
  async list(opts: ListOptions): Promise<ListChunk> {
    const predicate = this.predicate(opts);
    const prefix = listPrefix(this.keys, opts.namespace);
    const rv = opts.resourceVersion ?? '';
    const paged = (opts.limit ?? 0) > 0 || !!opts.continue;
    const exact = opts.resourceVersionMatch === 'Exact';
    const cache = this.opts.cache;
    if (cache && !opts.continue && !exact && !this.opts.conversion && (rv === '0' || !paged)) {
      const current = await this.store.currentRevision();
      const minRevision = rv === '0' ? 0 : rv ? parseResourceVersion(rv) : current;
      if (minRevision > current) throw newTooLargeResourceVersion(minRevision, current);
      const cached = await cache.list({ prefix, predicate, minRevision });
      if (cached) return { items: cached.items, resourceVersion: String(cached.revision) };
    }
    let revision = 0;
    let startKey: string | undefined;
    if (opts.continue) {
      const token = decodeContinue(opts.continue, prefix);
      revision = token.rv === -1 ? 0 : token.rv;
      startKey = token.startKey;
    } else if (rv && rv !== '0') {
      const want = parseResourceVersion(rv);
      const current = await this.store.currentRevision();
      if (want > current) throw newTooLargeResourceVersion(want, current);
      if (exact) revision = want;
    }
    return this.listFromStorage({ prefix, predicate, revision, startKey, limit: opts.limit ?? 0, fromContinue: !!opts.continue });
  }

  private async listFromStorage(opts: {
    prefix: string;
    predicate: SelectionPredicate;
    revision: number;
    startKey?: string;
    limit: number;
    fromContinue: boolean;
  }): Promise<ListChunk> {
    const items: string[] = [];
    let revision = opts.revision;
    let start = opts.startKey;
    let lastKey = '';
    let more = false;
    let remaining: number | undefined;
    for (;;) {
      let page;
      try {
        page = await this.store.list({ prefix: opts.prefix, revision: revision || undefined, startKey: start, limit: opts.limit || undefined });
      } catch (err) {
        if (isStorageError(err, 'Compacted') && opts.fromContinue) {
          const token = encodeContinue({ nextKey: start ?? opts.prefix, prefix: opts.prefix, rv: -1 });
          throw new StatusError({ code: 410, reason: 'Expired', message: continueExpiredMessage, metadata: { continue: token } });
        }
        throw err;
      }
      revision = page.revision;
      // One conversion per page (a conversion webhook gets the page as one review).
      const decoded = page.kvs.map((kv) => this.decodeStored(kv));
      const objs = this.opts.conversion && decoded.length > 0 ? await this.opts.conversion.fromStorage(decoded) : decoded;
      let i = 0;
      for (; i < page.kvs.length; i++) {
        lastKey = page.kvs[i].key;
        const obj = objs[i];
        if (!this.matches(obj, opts.predicate)) continue;
        items.push(JSON.stringify(obj));
        if (opts.limit && items.length >= opts.limit) break;
      }
      const full = opts.limit > 0 && items.length >= opts.limit;
      if (full) {
        more = i < page.kvs.length - 1 || page.more;
        if (more && opts.predicate.empty) remaining = page.remaining + (page.kvs.length - 1 - i);
        break;
      }
      if (!page.more || page.kvs.length === 0) break;
      start = `${lastKey}\u0000`;
    }
    const chunk: ListChunk = { items, resourceVersion: String(revision) };
    if (more) {
      chunk.continue = encodeContinue({ nextKey: `${lastKey}\u0000`, prefix: opts.prefix, rv: revision });
      if (remaining !== undefined) chunk.remainingItemCount = remaining;
    }
    return chunk;
  }

  /** The store's current revision. */
  currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  /** Whether objects are served in another version than they are stored in. */
  get converts(): boolean {
    return !!this.opts.conversion;
  }

  /** Converts stored objects' JSON texts to the served version, in one batch (identity without a conversion). */
  async fromStorageJSON(texts: string[]): Promise<string[]> {
    const conv = this.opts.conversion;
    if (!conv || texts.length === 0) return texts;
    return (await conv.fromStorage(texts.map((t) => JSON.parse(t) as APIObject))).map((o) => JSON.stringify(o));
  }

  /** Lists and decodes every matching object (for in-process callers). */
  async listObjects(opts: ListOptions): Promise<{ items: APIObject[]; resourceVersion: string }> {
    const chunk = await this.list(opts);
    return { items: chunk.items.map((t) => JSON.parse(t) as APIObject), resourceVersion: chunk.resourceVersion };
  }

  // ---- writes ----

  /** The namespace lifecycle check upstream does in admission: 404 when missing, 403 when terminating. */
  private async checkNamespaceLifecycle(namespace: string, name: string): Promise<void> {
    if (!this.resource.namespaced || !this.opts.namespaces) return;
    const ns = await this.opts.namespaces(namespace);
    if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, namespace);
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if (ns.metadata?.deletionTimestamp || phase === 'Terminating') {
      const err = newForbidden(this.groupResource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      // Controllers (namespace, replicaset, …) recognise this case by the cause, as upstream's do.
      err.status.details = { ...err.status.details, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] };
      throw err;
    }
  }

  private validateCreate(obj: APIObject, ctx: StrategyContext): void {
    const meta = obj.metadata as ObjectMeta;
    const errs: FieldError[] = [];
    if (this.opts.metadataValidator) {
      errs.push(...this.opts.metadataValidator.validateCreate(meta, { namespaced: this.resource.namespaced, group: this.resource.group, resource: this.resource.plural }));
    } else if (!meta.name) {
      errs.push(required('metadata.name', 'name or generateName is required'));
    }
    if (this.strategy?.validate) errs.push(...this.strategy.validate(obj, ctx));
    if (errs.length) throw this.invalid(meta.name ?? '', errs);
  }

  private generatedName(prefix: string): string {
    let s = '';
    for (let i = 0; i < 5; i++) s += suffixAlphabet[Math.floor(this.random() * suffixAlphabet.length)];
    return prefix + s;
  }

  /** Creates the object; returns it as stored. 409 AlreadyExists, 404/403 for the namespace, 422 Invalid. */
  async create(opts: CreateOptions): Promise<APIObject> {
    const obj = clone(opts.obj);
    this.checkKind(obj);
    let meta: ObjectMeta = (obj.metadata = obj.metadata ?? {});
    this.checkNamespace(meta, opts.namespace);
    if (opts.admission) {
      await opts.admission.mutate(obj, undefined);
      this.checkKind(obj);
      meta = obj.metadata = obj.metadata ?? {};
      this.checkNamespace(meta, opts.namespace);
    }
    const dryRun = !!opts.dryRun;
    const ctx = { ...this.ctx(opts.namespace, dryRun), user: opts.user };
    const generate = !meta.name && !!meta.generateName;
    if (generate) meta.name = this.generatedName(meta.generateName as string);
    if (meta.resourceVersion) throw newInternalError(new Error('resourceVersion should not be set on objects to be created'));

    await this.checkNamespaceLifecycle(opts.namespace, meta.name ?? '');

    // rest.BeforeCreate: system fields are the server's.
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (this.hasStatusSubresource && obj.status !== undefined && !this.strategy?.prepareForCreate) delete obj.status;
    this.strategy?.prepareForCreate?.(obj, ctx);
    const hasGeneration = this.strategy?.hasGeneration ?? 'spec' in obj;
    if (hasGeneration) meta.generation = 1;
    else delete meta.generation;

    omitEmptyMetadata(meta);
    this.validateCreate(obj, ctx);
    await opts.admission?.validate(obj, undefined);

    for (let attempt = 1; ; attempt++) {
      const undo = dryRun ? undefined : await this.strategy?.beforeCreate?.(obj, ctx);
      if (dryRun) {
        const existing = await this.store.get(this.key(opts.namespace, meta.name as string));
        if (existing) throw newAlreadyExists(this.groupResource, meta.name as string);
        return obj;
      }
      try {
        const kv = await this.store.create(this.key(opts.namespace, meta.name as string), await this.encode(obj));
        return await this.decode(kv);
      } catch (err) {
        if (undo) await undo();
        if (!isStorageError(err, 'AlreadyExists')) throw err;
        if (!generate || attempt >= generateNameAttempts) throw newAlreadyExists(this.groupResource, meta.name as string);
        meta.name = this.generatedName(meta.generateName as string);
      }
    }
  }

  /**
   * Replaces the object (PUT). With metadata.resourceVersion set the write is conditional (409 Conflict
   * when stale); without, it is unconditional and retried on storage conflicts. Returns `created` when the
   * resource allows create-on-update and the object did not exist.
   */
  async update(opts: UpdateOptions): Promise<{ obj: APIObject; created: boolean }> {
    const body = clone(opts.obj);
    this.checkKind(body);
    const meta: ObjectMeta = (body.metadata = body.metadata ?? {});
    if (meta.name !== undefined && meta.name !== opts.name) {
      throw newBadRequest(`the name of the object (${meta.name}) does not match the name on the URL (${opts.name})`);
    }
    meta.name = opts.name;
    this.checkNamespace(meta, opts.namespace);
    const precondition = meta.resourceVersion || undefined;
    return this.guaranteedUpdate({
      namespace: opts.namespace,
      name: opts.name,
      subresource: opts.subresource ?? '',
      dryRun: !!opts.dryRun,
      precondition,
      tryUpdate: (current) => (opts.track ? opts.track(current, clone(body)) : clone(body)),
      createBody: opts.track ? opts.track(undefined, clone(body)) : body,
      admission: opts.admission,
    });
  }

  /** Applies a patch to the current object and stores the result through the update path. */
  async patch(opts: PatchOptions): Promise<APIObject> {
    const result = await this.guaranteedUpdate({
      namespace: opts.namespace,
      name: opts.name,
      subresource: opts.subresource ?? '',
      dryRun: !!opts.dryRun,
      precondition: undefined,
      patchSetsRV: opts.setsResourceVersion,
      admission: opts.admission,
      tryUpdate: (current) => {
        const patched = opts.apply(clone(current));
        this.checkKind(patched);
        const meta: ObjectMeta = (patched.metadata = patched.metadata ?? {});
        if (meta.name !== opts.name) throw newBadRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${opts.name})`);
        this.checkNamespace(meta, opts.namespace);
        return patched;
      },
    });
    return result.obj;
  }

  private async guaranteedUpdate(args: {
    namespace: string;
    name: string;
    subresource: string;
    dryRun: boolean;
    precondition: string | undefined;
    patchSetsRV?: boolean;
    tryUpdate(current: APIObject): APIObject;
    createBody?: APIObject;
    admission?: AdmissionHooks;
  }): Promise<{ obj: APIObject; created: boolean }> {
    const key = this.key(args.namespace, args.name);
    const ctx = this.ctx(args.namespace, args.dryRun);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) {
        if (args.createBody && !args.subresource && createOnUpdate.has(`${this.resource.group}/${this.resource.plural}`)) {
          const body = clone(args.createBody);
          delete body.metadata?.resourceVersion;
          try {
            return { obj: await this.create({ namespace: args.namespace, obj: body, dryRun: args.dryRun, admission: args.admission }), created: true };
          } catch (err) {
            if (err instanceof StatusError && err.reason === 'AlreadyExists' && attempt < maxConflictRetries) continue;
            throw err;
          }
        }
        throw newNotFound(this.groupResource, args.name);
      }
      const current = await this.decode(kv);
      const currentRV = String(kv.modRevision);
      const obj = args.tryUpdate(current);
      if (args.admission) {
        await args.admission.mutate(obj, current);
        this.checkKind(obj);
        obj.metadata = obj.metadata ?? {};
      }
      const meta = obj.metadata as ObjectMeta;
      // A resourceVersion in the body (PUT) or set by the patch is a precondition.
      const wanted = args.precondition ?? (args.patchSetsRV ? meta.resourceVersion : undefined);
      const conditional = !!wanted;
      if (wanted && wanted !== currentRV) throw this.conflict(args.name);
      meta.resourceVersion = currentRV;

      this.prepareUpdate(obj, current, args.subresource, ctx);
      await args.admission?.validate(obj, current);

      // An update that leaves a deleted object without finalizers finishes its deletion.
      if (this.shouldDeleteDuringUpdate(obj, current)) {
        if (args.dryRun) return { obj, created: false };
        try {
          await this.store.delete(key, kv.modRevision);
        } catch (err) {
          if (isStorageError(err, 'Conflict') && !conditional && attempt < maxConflictRetries) continue;
          if (isStorageError(err, 'Conflict')) throw this.conflict(args.name);
          if (isStorageError(err, 'NotFound')) throw newNotFound(this.groupResource, args.name);
          throw err;
        }
        await this.strategy?.afterDelete?.(current);
        return { obj, created: false };
      }

      if ((await this.encode(obj)) === kv.value) return { obj: current, created: false };
      const undo = args.dryRun ? undefined : await this.strategy?.beforeUpdate?.(obj, current, ctx);
      if (args.dryRun) return { obj, created: false };
      let written: KeyValue;
      try {
        // Encoded after beforeUpdate: it may fill fields (e.g. a newly allocated ClusterIP).
        written = await this.store.update(key, await this.encode(obj), kv.modRevision);
      } catch (err) {
        if (undo) await undo();
        if (isStorageError(err, 'Conflict')) {
          if (!conditional && attempt < maxConflictRetries) continue;
          throw this.conflict(args.name);
        }
        if (isStorageError(err, 'NotFound')) throw newNotFound(this.groupResource, args.name);
        throw err;
      }
      // Deferred work of the strategy (e.g. releasing a Service's dropped ports) happens once the write is in.
      if (undo && typeof undo === 'function' && undo.commit) await undo.commit();
      return { obj: await this.decode(written), created: false };
    }
  }

  /** rest.BeforeUpdate: keep system fields, apply spec/status separation, bump generation, validate. */
  private prepareUpdate(obj: APIObject, old: APIObject, subresource: string, ctx: StrategyContext): void {
    const meta = obj.metadata as ObjectMeta;
    const oldMeta = old.metadata as ObjectMeta;
    const strategy = this.strategy;
    if (!meta.uid) meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;

    const errs: FieldError[] = [];
    if (subresource === '') {
      if (this.hasStatusSubresource) {
        if (old.status === undefined) delete obj.status;
        else obj.status = clone(old.status);
      }
      strategy?.prepareForUpdate?.(obj, old, ctx);
    } else if (subresource === 'status') {
      if (strategy?.prepareForStatusUpdate) {
        strategy.prepareForStatusUpdate(obj, old, ctx);
      } else {
        // Keep everything but status (and the resourceVersion precondition) from the stored object. The
        // request's managedFields stay: they already record this status write (upstream's
        // ResetObjectMetaForStatus leaves them alone too).
        const status = obj.status;
        const rv = meta.resourceVersion;
        const managedFields = meta.managedFields;
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, clone(old));
        if (status === undefined) delete obj.status;
        else obj.status = status;
        const kept = obj.metadata as ObjectMeta;
        kept.resourceVersion = rv;
        if (managedFields === undefined) delete kept.managedFields;
        else kept.managedFields = managedFields;
      }
    } else {
      const hook = strategy?.subresourceUpdates?.[subresource];
      if (!hook) throw newNotFound(this.groupResource, `${(obj.metadata as ObjectMeta).name}/${subresource}`);
      hook(obj, old, ctx);
    }

    const hasGeneration = strategy?.hasGeneration ?? 'spec' in obj;
    const m = obj.metadata as ObjectMeta;
    omitEmptyMetadata(m);
    if (!m.resourceVersion) m.resourceVersion = oldMeta.resourceVersion;
    if (hasGeneration && specOf(obj) !== specOf(old)) m.generation = (oldMeta.generation ?? 0) + 1;

    if (oldMeta.deletionTimestamp) {
      const before = new Set(oldMeta.finalizers ?? []);
      if ((m.finalizers ?? []).some((f) => !before.has(f))) {
        errs.push(forbidden('metadata.finalizers', 'no new finalizers can be added if the object is being deleted'));
      }
    }
    if (this.opts.metadataValidator) {
      errs.push(...this.opts.metadataValidator.validateUpdate(m, oldMeta).filter((e) => !(e.field === 'metadata.finalizers' && errs.some((x) => x.field === e.field))));
    } else {
      if (m.uid !== oldMeta.uid) errs.push(invalid('metadata.uid', m.uid, 'field is immutable'));
    }
    const validateSubresource = subresource ? strategy?.validateSubresourceUpdates?.[subresource] : undefined;
    if (subresource === 'status') errs.push(...(strategy?.validateStatusUpdate?.(obj, old, ctx) ?? []));
    else if (validateSubresource) errs.push(...validateSubresource(obj, old, ctx));
    else errs.push(...(strategy?.validateUpdate?.(obj, old, ctx) ?? []));
    if (errs.length) throw this.invalid(m.name ?? '', errs);
  }

  /**
   * upstream Store.shouldDeleteDuringUpdate: an object being deleted whose last finalizer goes away is
   * removed, unless a graceful deletion period is still running (then the final DELETE removes it).
   */
  private shouldDeleteDuringUpdate(obj: APIObject, old: APIObject): boolean {
    const meta = obj.metadata as ObjectMeta;
    if ((meta.finalizers ?? []).length > 0) return false;
    if (!old.metadata?.deletionTimestamp) return false;
    const grace = old.metadata.deletionGracePeriodSeconds;
    if (grace === undefined || grace > 0) return false;
    return this.strategy?.shouldDeleteDuringUpdate?.(obj, old) ?? true;
  }

  /**
   * Deletes the object, as upstream's Store.Delete with rest.BeforeDelete:
   * - preconditions on uid/resourceVersion → 409 Conflict;
   * - graceful kinds (strategy.checkGracefulDelete, e.g. scheduled pods) get deletionTimestamp = now + grace
   *   and stay until a DELETE with a shorter (0) grace period; a repeated DELETE while the grace period
   *   runs changes nothing (`pending`);
   * - with finalizers (after adding the garbage collector's for Orphan/Foreground propagation) the object
   *   gets deletionTimestamp and stays until an update removes the last finalizer;
   * - otherwise it is removed from storage.
   */
  async delete(req: DeleteRequest): Promise<DeleteResult> {
    const options = req.options ?? {};
    const dryRun = !!options.dryRun?.length;
    const key = this.key(req.namespace, req.name);
    const ctx = this.ctx(req.namespace, dryRun);
    const kindResource: GroupResource = { group: this.resource.group, resource: this.resource.kind };
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw newNotFound(this.groupResource, req.name);
      const current = await this.decode(kv);
      const meta = current.metadata as ObjectMeta;
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw newConflict(kindResource, req.name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw newConflict(
          kindResource,
          req.name,
          `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`,
        );
      }

      // Upstream runs mutating admission for deletes too (webhooks see them; nothing can change).
      await req.admission?.mutate(undefined, current);
      await req.admission?.validate(undefined, current);
      const decision = this.strategy?.beginDelete?.(clone(current), ctx);
      let next: APIObject | undefined;
      let deleteAfterWrite = false;
      if (decision?.action === 'update') {
        next = decision.obj;
      } else {
        const updated = clone(current);
        const umeta = updated.metadata as ObjectMeta;
        const graceful = beforeDelete({ obj: updated, options, strategy: this.strategy, now: this.now() });
        if (graceful === 'pending') return { obj: current, deleted: false, pending: true };
        umeta.finalizers = gcFinalizers(umeta.finalizers, options);
        if (umeta.finalizers.length === 0 && (current.metadata?.finalizers === undefined)) delete umeta.finalizers;
        const pendingFinalizers = (umeta.finalizers ?? []).length > 0;
        if (graceful === 'no') {
          if (pendingFinalizers) {
            markAsDeleting(umeta, this.now());
            next = updated;
          }
        } else {
          next = updated;
          // A grace period of 0 (e.g. unscheduled pods, or the kubelet's final DELETE) removes it at once.
          deleteAfterWrite = !pendingFinalizers && (umeta.deletionGracePeriodSeconds ?? 0) === 0;
        }
      }

      if (next && !deleteAfterWrite) {
        // The object stays: graceful deletion or finalizers pending.
        if (dryRun || JSON.stringify(next) === JSON.stringify(current)) return { obj: next, deleted: false };
        try {
          const written = await this.store.update(key, await this.encode(next), kv.modRevision);
          return { obj: await this.decode(written), deleted: false };
        } catch (err) {
          if (isStorageError(err, 'Conflict') && attempt < maxConflictRetries) continue;
          if (isStorageError(err, 'NotFound')) throw newNotFound(this.groupResource, req.name);
          throw err;
        }
      }

      if (dryRun) return { obj: next ?? current, deleted: true };
      try {
        const { revision } = await this.store.delete(key, kv.modRevision);
        current.metadata = { ...meta, resourceVersion: String(revision) };
      } catch (err) {
        if (isStorageError(err, 'Conflict') && attempt < maxConflictRetries) continue;
        if (isStorageError(err, 'NotFound')) throw newNotFound(this.groupResource, req.name);
        throw err;
      }
      await this.strategy?.afterDelete?.(current);
      return { obj: current, deleted: true };
    }
  }

  /**
   * upstream Storage.GuaranteedUpdate for REST code that owns its own rules (pods/binding): `tryUpdate`
   * gets the stored object and returns its replacement, or throws a StatusError to refuse; no strategy
   * hook or validation runs. Storage conflicts re-read and retry. Returns the object as written.
   */
  async updateStored(opts: { namespace: string; name: string; dryRun?: boolean; tryUpdate(current: APIObject): APIObject }): Promise<APIObject> {
    const key = this.key(opts.namespace, opts.name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw newNotFound(this.groupResource, opts.name);
      const next = opts.tryUpdate(await this.decode(kv));
      if (opts.dryRun) return next;
      try {
        return await this.decode(await this.store.update(key, await this.encode(next), kv.modRevision));
      } catch (err) {
        if (isStorageError(err, 'Conflict') && attempt < maxConflictRetries) continue;
        if (isStorageError(err, 'Conflict')) throw this.conflict(opts.name);
        if (isStorageError(err, 'NotFound')) throw newNotFound(this.groupResource, opts.name);
        throw err;
      }
    }
  }

  // ---- scale subresource (autoscaling/v1 Scale over spec.replicas) ----

  /** Whether the resource has a `scale` subresource served from spec.replicas. */
  get hasScale(): boolean {
    return this.resource.subresources.some((s) => s.name === 'scale' && s.kind === 'Scale');
  }

  async getScale(opts: GetOptions): Promise<APIObject> {
    return this.scaleOf(await this.get(opts));
  }

  /** The Scale view of an object: the strategy's (custom resources' scale paths) or spec.replicas. */
  private scaleOf(obj: APIObject): APIObject {
    return this.strategy?.scale ? this.strategy.scale.toScale(obj, this.resource.namespaced) : toScale(obj, this.resource.namespaced);
  }

  /** PUT or PATCH of /scale: only spec.replicas reaches the object; a resourceVersion is a precondition. */
  async updateScale(opts: {
    namespace: string;
    name: string;
    dryRun?: boolean;
    /** The new Scale from the current one (PUT: the body; PATCH: the patched current Scale). */
    scaleFrom(current: APIObject): APIObject;
    /** True when the client's Scale carries a resourceVersion that must match. */
    conditional: boolean;
    /** Last step on each attempt's new parent object before it is stored: the apiserver records managedFields. */
    track?(current: APIObject, next: APIObject): APIObject;
  }): Promise<APIObject> {
    const res = await this.guaranteedUpdate({
      namespace: opts.namespace,
      name: opts.name,
      subresource: '',
      dryRun: !!opts.dryRun,
      precondition: undefined,
      patchSetsRV: opts.conditional,
      tryUpdate: (current) => {
        const scale = opts.scaleFrom(this.scaleOf(current));
        if (scale.kind !== undefined && scale.kind !== 'Scale') throw newBadRequest(`${String(scale.kind)} in version "v1" cannot be handled as a Scale`);
        const smeta = (scale.metadata ?? {}) as ObjectMeta;
        if (smeta.name !== undefined && smeta.name !== opts.name) {
          throw newBadRequest(`the name of the object (${smeta.name}) does not match the name on the URL (${opts.name})`);
        }
        const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
        if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
          throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, opts.name, [invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
        }
        const next = clone(current);
        if (this.strategy?.scale) this.strategy.scale.setReplicas(next, (replicas as number | undefined) ?? 0);
        else next.spec = { ...((next.spec as Record<string, unknown>) ?? {}), replicas: (replicas as number | undefined) ?? 0 };
        (next.metadata as ObjectMeta).resourceVersion = smeta.resourceVersion || current.metadata?.resourceVersion;
        return opts.track ? opts.track(current, next) : next;
      },
    });
    return this.scaleOf(res.obj);
  }

  /** Deletes every object the list options select, one by one; returns those deleted or being deleted. */
  async deleteCollection(opts: { list: ListOptions; options?: DeleteOptions; admission?: AdmissionHooks }): Promise<APIObject[]> {
    const { items } = await this.listObjects({ ...opts.list, limit: undefined, continue: undefined });
    const out: APIObject[] = [];
    for (const item of items) {
      try {
        const res = await this.delete({ namespace: item.metadata?.namespace ?? '', name: item.metadata?.name ?? '', options: opts.options, admission: opts.admission });
        out.push(res.obj);
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'NotFound') continue;
        throw err;
      }
    }
    return out;
  }
}

