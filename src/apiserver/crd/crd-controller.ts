// Serves CustomResourceDefinitions inside the apiserver: what upstream's apiextensions-apiserver does
// with its naming, establishing and finalizer controllers and its crdHandler, driven by the CRD watch cache.

import { applySchemaForCustomResource } from '../../api/apply-schema.js';
import type { StructuralSchema } from '../../apimachinery/apply/openapi-v3-type.js';
import { StatusError } from '../../apimachinery/errors.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { klog } from '../../base/logger.js';
import { customResourcePrinter } from '../printers/custom-resource-printer.js';
import type { TablePrinter } from '../printers/table.js';
import type { Registries } from '../registry/generic/registries.js';
import { rfc3339 } from '../registry/generic/object-meta.js';
import { everything } from '../registry/generic/selection.js';
import type { APIObject } from '../registry/strategy.js';
import { resourceKeys } from '../storage-keys.js';
import type { WatchCacheSet } from '../watchcache/cache-set.js';
import { compareKubeAwareVersions } from '../discovery/version-priority.js';
import { customResourceStrategy } from './custom-resource-strategy.js';
import { converterFor, servedVersionConversion } from './conversion.js';
import type { ConversionMetrics } from './conversion-metrics.js';
import { selectableFieldGetters } from './selectable-fields.js';
import { readDefaulter } from './read-defaults.js';
import type { ObjectReader } from '../admission/object-reader.js';
import {
  cleanupFinalizer,
  conditionOf,
  resourceInfoFor,
  storageVersionOf,
  type CRDCondition,
  type CRDNames,
  type CRDVersion,
  type CustomResourceDefinition,
  type JSONSchemaProps,
} from './crd-types.js';
import { acceptNames } from './naming.js';
import { customResourceDefinitions } from './openapi-definitions.js';
import type { DefinitionSchema } from '../../api/definition.js';
import { newSchemaValidator, type SchemaValidator } from './schema-validation.js';

const log = klog.withName('crd-controller.ts');

const crdGroup = 'apiextensions.k8s.io';
const crdResource = 'customresourcedefinitions';

export interface CustomResourceDefinitionsOptions {
  registries: Registries;
  caches: WatchCacheSet;
  /** --etcd-prefix, e.g. "/registry". */
  etcdPrefix: string;
  /** The built-in resources (their names are never taken by a CRD of the same group). */
  builtinResources: readonly ResourceInfo[];
  /** Reads Services and Endpoints for conversion webhooks given as a service reference. */
  webhookReader: ObjectReader;
  /** Conversion webhook timeout; default upstream's 30 s (tests shorten it). */
  conversionWebhookTimeoutSeconds?: number;
  /** Where conversion webhook calls are reported. */
  conversionMetrics?: ConversionMetrics;
  /** Told after the set of served custom resources changed (discovery, OpenAPI). */
  onChange?: () => void;
  now?: () => number;
}

/** What requests of one served CRD version need. */
export interface ServedVersion {
  version: CRDVersion;
  resource: ResourceInfo;
  printer: TablePrinter;
  schema: SchemaValidator;
}

/** One served CRD: the ResourceInfos of its served versions and what requests need per version. */
interface ServedCRD {
  uid: string;
  /** What the serving was built from (spec and accepted names); a change rebuilds it. */
  fingerprint: string;
  group: string;
  plural: string;
  root: string;
  resources: ResourceInfo[];
  storage: ResourceInfo;
  versions: Map<string, ServedVersion>;
  /** The storage schema whose defaults the cache applies ("" when none): a change rebuilds the cache. */
  readDefaultsKey: string;
}

/**
 * Keeps the served custom resources in step with the stored CRDs: accepts names (NamesAccepted),
 * establishes (Established), serves each served version through the generic registry with a watch cache,
 * and on deletion (Terminating) removes every custom resource, then the cleanup finalizer.
 */
export class CustomResourceDefinitions {
  private readonly served = new Map<string, ServedCRD>();
  private readonly now: () => number;
  private queue: Promise<void> = Promise.resolve();
  private readonly cleaning = new Set<string>();
  /** CRDs being deleted: their custom resources can no longer be created. */
  private readonly terminating = new Set<string>();
  private signal?: AbortSignal;
  /** Cleanup passes of deleted CRDs whose objects were still there, by CRD name. */
  private readonly cleanupAttempts = new Map<string, number>();
  /** CRD names with a cleanup retry scheduled (one at a time each). */
  private readonly retrying = new Set<string>();

  constructor(private readonly opts: CustomResourceDefinitionsOptions) {
    this.now = opts.now ?? Date.now;
  }

  private get crdRoot(): string {
    return resourceKeys({ etcdPrefix: this.opts.etcdPrefix, group: crdGroup, plural: crdResource, namespaced: false }).root;
  }

  /** Every served custom resource version, for discovery. */
  resources(): ResourceInfo[] {
    return [...this.served.values()].flatMap((s) => s.resources);
  }

  /** The stored ResourceInfo of a custom resource, or undefined for others. */
  storageResourceFor(r: ResourceInfo): ResourceInfo | undefined {
    for (const s of this.served.values()) if (s.group === r.group && s.plural === r.plural) return s.storage;
    return undefined;
  }

  /** The Table printer (additionalPrinterColumns) of a served custom resource version. */
  printerFor(r: { group: string; version: string; kind: string }): TablePrinter | undefined {
    return this.versionOf(r)?.printer;
  }

  /** The CRD version serving group/version/kind, if any. */
  versionOf(r: { group: string; version: string; kind: string }): ServedVersion | undefined {
    for (const s of this.served.values()) {
      if (s.group !== r.group) continue;
      const v = s.versions.get(r.version);
      if (v && v.resource.kind === r.kind) return v;
    }
    return undefined;
  }

  /** The OpenAPI definitions of every served custom resource version, by name. */
  definitions(): Record<string, DefinitionSchema> {
    const out: Record<string, DefinitionSchema> = {};
    for (const s of this.served.values()) {
      for (const v of s.versions.values()) {
        for (const d of customResourceDefinitions(v.resource, v.version.schema?.openAPIV3Schema)) out[d.name] = d;
      }
    }
    return out;
  }

  /** Whether `r` is a served custom resource. */
  isCustomResource(r: { group: string; plural: string }): boolean {
    for (const s of this.served.values()) if (s.group === r.group && s.plural === r.plural) return true;
    return false;
  }

  /** Whether `group` is served by a CRD (and not by a built-in API). */
  isCustomGroup(group: string): boolean {
    for (const s of this.served.values()) if (s.group === group) return true;
    return false;
  }

  /**
   * Serves the CRDs in storage (the watch caches must be filled), then follows CRD changes until `signal`
   * aborts. Resolves once the stored CRDs are served.
   */
  async start(signal: AbortSignal): Promise<void> {
    const cache = this.opts.caches.cacheFor(this.crdRoot);
    if (!cache) throw new Error('the CustomResourceDefinition watch cache is missing');
    this.signal = signal;
    const initial = cache.list(this.crdRoot, everything);
    for (const o of initial) await this.reconcile(JSON.parse(o.json) as CustomResourceDefinition);
    void this.follow(cache.rv, signal);
  }

  /** Reconciles every CRD event after `fromRV`; re-syncs from the cache when its watch is reset. */
  private async follow(fromRV: number, signal: AbortSignal): Promise<void> {
    let rv = fromRV;
    while (!signal.aborted) {
      const cache = this.opts.caches.cacheFor(this.crdRoot);
      if (!cache) return;
      const watcher = cache.watch({ prefix: this.crdRoot, predicate: everything }, rv);
      for (;;) {
        const frames = await watcher.next(signal);
        if (frames.length === 0) break;
        for (const frame of frames) {
          const event = JSON.parse(frame) as { type: string; object: CustomResourceDefinition };
          rv = Math.max(rv, Number(event.object.metadata?.resourceVersion ?? rv));
          this.enqueue(() => (event.type === 'DELETED' ? this.forget(event.object) : this.reconcile(event.object)));
        }
      }
      if (signal.aborted || watcher.endReason === 'closed') return;
      // Dropped (overflow) or reset (relist): reconcile everything the cache now has, then follow again.
      rv = cache.rv;
      const names = new Set<string>();
      for (const o of cache.list(this.crdRoot, everything)) {
        const crd = JSON.parse(o.json) as CustomResourceDefinition;
        names.add(crd.metadata?.name ?? '');
        this.enqueue(() => this.reconcile(crd));
      }
      for (const [name, s] of this.served) if (!names.has(name)) this.enqueue(async () => this.unserve(name, s));
    }
  }

  /** Runs reconciliations one at a time, in event order; a failure is logged and does not stop the queue. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => log.error('Reconciling a CustomResourceDefinition failed', err));
  }

  /** Reconciles the stored CRD `name` again after a while (cleanup waiting for finalizers of its objects). */
  private retryLater(name: string): void {
    if (this.retrying.has(name) || this.signal?.aborted) return;
    this.retrying.add(name);
    const onAbort = () => clearTimeout(timer);
    const timer = setTimeout(() => {
      this.signal?.removeEventListener('abort', onAbort);
      this.retrying.delete(name);
      this.enqueue(async () => {
        const registry = this.opts.registries.get(crdGroup, crdResource);
        if (!registry || this.signal?.aborted) return;
        try {
          await this.reconcile((await registry.get({ namespace: '', name })) as CustomResourceDefinition);
        } catch (err) {
          if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
        }
      });
    }, cleanupRetryMs);
    timer.unref();
    this.signal?.addEventListener('abort', onAbort, { once: true });
  }

  /** Waits for the reconciliations queued so far (tests). */
  async idle(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  private async forget(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata?.name ?? '';
    const s = this.served.get(name);
    if (s) this.unserve(name, s);
    // Its names are free again: CRDs of the group that were refused them get another naming check.
    const cache = this.opts.caches.cacheFor(this.crdRoot);
    for (const o of cache?.list(this.crdRoot, everything) ?? []) {
      const other = JSON.parse(o.json) as CustomResourceDefinition;
      if (other.spec?.group === crd.spec?.group && !this.served.has(other.metadata?.name ?? '')) this.enqueue(() => this.reconcile(other));
    }
  }

  private unserve(name: string, s: ServedCRD): void {
    this.served.delete(name);
    this.terminating.delete(name);
    this.opts.registries.unserve(s.group, s.plural);
    this.opts.caches.remove(s.root);
    this.opts.onChange?.();
  }

  /** One CRD's desired state: names, conditions, serving, or cleanup when it is being deleted. */
  async reconcile(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata?.name ?? '';
    if (crd.metadata?.deletionTimestamp) {
      this.terminating.add(name);
      await this.finalize(crd);
      return;
    }
    this.terminating.delete(name);
    const others = [...this.served.entries()].filter(([n]) => n !== name).map(([, s]) => s);
    const taken = {
      crds: this.otherAcceptedNames(crd, others),
      builtins: this.opts.builtinResources.filter((r) => r.group === crd.spec.group),
    };
    const verdict = acceptNames(crd.spec.names, taken);
    const current = crd.status ?? {};
    const established = conditionOf(crd, 'Established')?.status === 'True';
    const accepted: CRDNames | undefined = verdict.accepted ? withDefaults(crd.spec.names) : established ? current.acceptedNames : undefined;
    const conditions: CRDCondition[] = [...(current.conditions ?? [])];
    setCondition(conditions, verdict.accepted
      ? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }
      : { type: 'NamesAccepted', status: 'False', reason: verdict.reason, message: verdict.message }, this.now());
    if (accepted) setCondition(conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, this.now());
    else setCondition(conditions, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, this.now());
    const storage = storageVersionOf(crd)?.name;
    const storedVersions = [...(current.storedVersions ?? [])];
    if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
    const status = { conditions, acceptedNames: accepted ?? current.acceptedNames ?? { plural: '', kind: '' }, storedVersions };
    const finalizers = crd.metadata?.finalizers ?? [];
    if (JSON.stringify(status) !== JSON.stringify(current) || !finalizers.includes(cleanupFinalizer)) {
      const updated = await this.writeCRD(crd, (next) => {
        next.status = status;
        const meta = next.metadata ?? {};
        if (!(meta.finalizers ?? []).includes(cleanupFinalizer)) meta.finalizers = [...(meta.finalizers ?? []), cleanupFinalizer];
      });
      if (!updated) return;
      crd = updated;
    }
    if (accepted) await this.serve(crd, accepted);
  }

  /** The accepted names of the other served CRDs of the same group. */
  private otherAcceptedNames(crd: CustomResourceDefinition, others: ServedCRD[]): CRDNames[] {
    return others
      .filter((s) => s.group === crd.spec.group)
      .map((s) => ({
        plural: s.storage.plural,
        singular: s.storage.singular,
        kind: s.storage.kind,
        listKind: s.storage.listKind,
        shortNames: s.storage.shortNames,
      }));
  }

  /**
   * Writes the CRD's status (and finalizers) through its registry, main resource then /status; answers the
   * stored object, or undefined when it changed meanwhile (a newer event follows).
   */
  private async writeCRD(crd: CustomResourceDefinition, mutate: (next: CustomResourceDefinition) => void): Promise<CustomResourceDefinition | undefined> {
    const registry = this.opts.registries.get(crdGroup, crdResource);
    if (!registry) return undefined;
    const name = crd.metadata?.name ?? '';
    const next = structuredClone(crd);
    mutate(next);
    try {
      let out = crd;
      if (JSON.stringify(next.metadata?.finalizers) !== JSON.stringify(crd.metadata?.finalizers)) {
        out = (await registry.update({ namespace: '', name, obj: { ...structuredClone(out), metadata: { ...out.metadata, finalizers: next.metadata?.finalizers } } })).obj as CustomResourceDefinition;
      }
      if (JSON.stringify(next.status) !== JSON.stringify(out.status)) {
        out = (await registry.update({ namespace: '', name, subresource: 'status', obj: { ...structuredClone(out), status: next.status } })).obj as CustomResourceDefinition;
      }
      return out;
    } catch (err) {
      if (err instanceof StatusError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return undefined;
      throw err;
    }
  }

  /** Serves (or re-serves after a change) the CRD's served versions under the accepted names. */
  private async serve(crd: CustomResourceDefinition, names: CRDNames): Promise<void> {
    const name = crd.metadata?.name ?? '';
    const fingerprint = JSON.stringify([crd.spec, names]);
    const existing = this.served.get(name);
    if (existing && existing.fingerprint === fingerprint && existing.uid === crd.metadata?.uid) return;
    const storageVersion = storageVersionOf(crd);
    if (!storageVersion) return;
    const storage = resourceInfoFor(crd, storageVersion, names);
    const root = resourceKeys({ etcdPrefix: this.opts.etcdPrefix, group: storage.group, plural: storage.plural, namespaced: storage.namespaced }).root;
    // Objects read from storage get the storage version's defaults, in the cache as in storage reads; when
    // those change the cache is rebuilt (reads go to storage meanwhile), as upstream recreates a CRD's storage.
    const storageSchema = storageVersion.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
    const decorateStored = readDefaulter(storageSchema, { kind: storage.kind, apiVersion: `${storage.group}/${storage.version}` });
    const readDefaultsKey = decorateStored ? JSON.stringify(storageSchema) : '';
    if (existing && existing.root === root && existing.readDefaultsKey !== readDefaultsKey) this.opts.caches.remove(root);
    // Fill the cache first: from here on the old serving is replaced without a gap (no await in between).
    await this.opts.caches.add({ root, decorate: decorateStored });
    if (existing && (existing.group !== storage.group || existing.plural !== storage.plural)) this.unserve(name, existing);
    else if (existing) this.opts.registries.unserve(existing.group, existing.plural);
    const served = crd.spec.versions.filter((v) => v.served).sort((a, b) => compareKubeAwareVersions(a.name, b.name));
    const versions = new Map<string, ServedVersion>();
    const resources: ResourceInfo[] = [];
    const storageGV = `${storage.group}/${storage.version}`;
    const converter = converterFor(crd.spec.conversion, {
      reader: this.opts.webhookReader,
      timeoutSeconds: this.opts.conversionWebhookTimeoutSeconds,
      signal: this.signal,
      metrics: this.opts.conversionMetrics,
      crdName: name,
    });
    const olderStored = (crd.status?.storedVersions ?? []).some((stored) => stored !== storage.version);
    served.forEach((v, i) => {
      const resource = resourceInfoFor(crd, v, names);
      const schema = v.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
      const validator = newSchemaValidator({ schema, kind: resource.kind, apiVersion: `${resource.group}/${resource.version}` });
      const strategy = customResourceStrategy({
        hasStatusSubresource: !!v.subresources?.status,
        validate: (obj, old) => validator.validate(obj, old),
        scale: v.subresources?.scale,
        groupResource: { group: resource.group, resource: resource.plural },
        terminating: () => this.terminating.has(name),
        selectableFields: selectableFieldGetters(v.selectableFields, schema),
      });
      const servedGV = `${resource.group}/${resource.version}`;
      // The storage version's own registry converts only when objects may still be stored in an older version.
      const conversion = v.name !== storage.version || olderStored ? servedVersionConversion(converter, servedGV, storageGV) : undefined;
      // Server-side apply merges these objects by the version's schema (list types, map keys), built once per serving.
      const applySchema = applySchemaForCustomResource((schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as StructuralSchema);
      this.opts.registries.serve(resource, {
        storageResource: storage,
        strategy,
        cache: this.opts.caches.listCacheFor(root),
        conversion,
        preferred: i === 0,
        applySchema,
        uncachedSelectableFields: (v.selectableFields ?? []).length > 0,
        decorateStored,
      });
      versions.set(v.name, { version: v, resource, printer: customResourcePrinter(v.additionalPrinterColumns ?? []), schema: validator });
      resources.push(resource);
    });
    this.served.set(name, { uid: crd.metadata?.uid ?? '', fingerprint, group: storage.group, plural: storage.plural, root, resources, storage, versions, readDefaultsKey });
    this.opts.onChange?.();
    log.v(2).info('Serving custom resource', { crd: name, versions: served.map((v) => v.name) });
  }

  /**
   * A deleted CRD: Terminating, then every custom resource deleted, then the cleanup finalizer removed
   * (which lets the registry remove the CRD; its DELETED event stops the serving).
   */
  private async finalize(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata?.name ?? '';
    if (!(crd.metadata?.finalizers ?? []).includes(cleanupFinalizer)) return;
    if (this.cleaning.has(name)) return;
    this.cleaning.add(name);
    try {
      if (conditionOf(crd, 'Terminating')?.status !== 'True') {
        const conditions = [...(crd.status?.conditions ?? [])];
        setCondition(conditions, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, this.now());
        const updated = await this.writeCRD(crd, (next) => {
          next.status = { ...next.status, conditions };
        });
        if (!updated) return;
        crd = updated;
      }
      const s = this.served.get(name);
      const registry = s && this.opts.registries.get(s.group, s.plural, s.storage.version);
      if (registry) {
        await registry.deleteCollection({ list: { namespace: '' } });
        const left = await registry.list({ namespace: '' });
        if (left.items.length > 0) {
          // Objects held by their own finalizers: check again later; after a minute say so in the condition,
          // as upstream's finalizer controller does when its wait times out.
          const attempts = (this.cleanupAttempts.get(name) ?? 0) + 1;
          this.cleanupAttempts.set(name, attempts);
          if (attempts * cleanupRetryMs >= cleanupPatienceMs) {
            const conditions = [...(crd.status?.conditions ?? [])];
            setCondition(conditions, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionCheck', message: 'could not confirm zero CustomResources remaining: timed out waiting for the condition' }, this.now());
            await this.writeCRD(crd, (next) => {
              next.status = { ...next.status, conditions };
            });
          }
          this.retryLater(name);
          return;
        }
      }
      this.cleanupAttempts.delete(name);
      await this.writeCRD(crd, (next) => {
        const meta = next.metadata ?? {};
        meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== cleanupFinalizer);
      });
    } finally {
      this.cleaning.delete(name);
    }
  }
}

/** How long a deleted CRD waits before checking again for custom resources held by finalizers (ms). */
const cleanupRetryMs = 1000;
/** How long before a deleted CRD's Terminating condition reports that its objects are not going away (ms). */
const cleanupPatienceMs = 60_000;

/** Names with upstream's defaults filled (singular = lower-case kind, listKind = kind + "List"). */
function withDefaults(n: CRDNames): CRDNames {
  const out: CRDNames = { plural: n.plural, singular: n.singular || n.kind.toLowerCase(), kind: n.kind, listKind: n.listKind || `${n.kind}List` };
  if (n.shortNames?.length) out.shortNames = [...n.shortNames];
  if (n.categories?.length) out.categories = [...n.categories];
  return out;
}

/** Sets a condition, keeping lastTransitionTime when its status does not change. */
function setCondition(conditions: CRDCondition[], c: CRDCondition, now: number): void {
  const i = conditions.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? conditions[i] : undefined;
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return;
  const next = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : rfc3339(now) };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}
