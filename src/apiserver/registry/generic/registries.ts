// Every served resource's GenericRegistry, built from the resource table, reachable by group/version/plural
// for requests and by group/plural for in-process callers (bootstrap, allocators).

import type { ApplyType } from '../../../apimachinery/apply/schema.js';
import type { ResourceInfo } from '../../../api/resource-info.js';
import type { Store } from '../../../storage/interface.js';
import { resourceKeys } from '../../storage-keys.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { GenericRegistry, type ListCache, type MetadataValidator, type NamespaceLookup, type VersionConversion } from './registry.js';
import type { SelectorCompiler } from './selection.js';

export interface RegistriesOptions {
  /** Served resources, preferred version of each group first (src/api/resources.ts order). */
  resources: readonly ResourceInfo[];
  store: Store;
  /** --etcd-prefix, e.g. "/registry". */
  etcdPrefix: string;
  /** The resource whose encoding is stored for `r` (default: r itself). */
  storageResourceFor?: (r: ResourceInfo) => ResourceInfo;
  strategyFor?: (group: string, resource: string) => ResourceStrategy | undefined;
  /** Conversion between a served version and its storage version, when they differ. */
  conversionFor?: (served: ResourceInfo, stored: ResourceInfo) => VersionConversion | undefined;
  metadataValidator?: MetadataValidator;
  selectorCompiler?: SelectorCompiler;
  /** The cache serving lists of a storage key root, if any. */
  cacheFor?: (root: string) => ListCache | undefined;
  /** The cached JSON of one object (key under `root`), if the watch cache has it. */
  cachedObject?: (root: string, key: string) => string | undefined;
  now?: () => number;
}

/** Resources that are stored objects (create-only reviews and virtual resources are served elsewhere). */
export function isStoredResource(r: ResourceInfo): boolean {
  return r.verbs.includes('get') && r.verbs.includes('list') && r.plural !== 'componentstatuses';
}

export class Registries {
  private readonly byGVR = new Map<string, GenericRegistry>();
  private readonly byGR = new Map<string, GenericRegistry>();
  private readonly opts: RegistriesOptions;
  private readonly namespaces: NamespaceLookup;

  constructor(opts: RegistriesOptions) {
    this.opts = opts;
    const nsKeys = resourceKeys({ etcdPrefix: opts.etcdPrefix, group: '', plural: 'namespaces', namespaced: false });
    const namespaces: NamespaceLookup = async (name) => {
      const reg = this.get('', 'namespaces');
      if (!reg) return undefined;
      // The watch cache answers for namespaces it has; a miss (e.g. created a moment ago) reads storage.
      const cached = opts.cachedObject?.(nsKeys.root, `${nsKeys.root}${name}`);
      if (cached) return JSON.parse(cached) as APIObject;
      const kv = await opts.store.get(`${nsKeys.root}${name}`);
      return kv ? reg.decodeStored(kv) : undefined;
    };
    this.namespaces = namespaces;
    for (const r of opts.resources) {
      if (!isStoredResource(r)) continue;
      const stored = opts.storageResourceFor?.(r) ?? r;
      const keys = resourceKeys({ etcdPrefix: opts.etcdPrefix, group: stored.group, plural: stored.plural, namespaced: stored.namespaced });
      const conversion = stored === r ? undefined : opts.conversionFor?.(r, stored);
      const reg = new GenericRegistry({
        resource: r,
        storageResource: stored,
        conversion,
        store: opts.store,
        keys,
        strategy: opts.strategyFor?.(r.group, r.plural),
        metadataValidator: opts.metadataValidator,
        selectorCompiler: opts.selectorCompiler,
        namespaces,
        cache: opts.cacheFor?.(keys.root),
        now: opts.now,
      });
      this.byGVR.set(`${r.group}/${r.version}/${r.plural}`, reg);
      if (!this.byGR.has(`${r.group}/${r.plural}`)) this.byGR.set(`${r.group}/${r.plural}`, reg);
    }
  }

  /**
   * Serves one more resource at run time (a CustomResourceDefinition's version), with the shared store,
   * metadata validation and namespace checks. `preferred` makes it the group/resource's in-process default.
   */
  serve(
    r: ResourceInfo,
    opts: { storageResource?: ResourceInfo; strategy?: ResourceStrategy; cache?: ListCache; conversion?: VersionConversion; preferred?: boolean; applySchema?: ApplyType; uncachedSelectableFields?: boolean; decorateStored?: (obj: APIObject) => void },
  ): GenericRegistry {
    const stored = opts.storageResource ?? r;
    const keys = resourceKeys({ etcdPrefix: this.opts.etcdPrefix, group: stored.group, plural: stored.plural, namespaced: stored.namespaced });
    const reg = new GenericRegistry({
      resource: r,
      storageResource: stored,
      conversion: opts.conversion,
      store: this.opts.store,
      keys,
      strategy: opts.strategy,
      metadataValidator: this.opts.metadataValidator,
      selectorCompiler: this.opts.selectorCompiler,
      namespaces: this.namespaces,
      cache: opts.cache,
      uncachedSelectableFields: opts.uncachedSelectableFields,
      decorateStored: opts.decorateStored,
      now: this.opts.now,
      applySchema: opts.applySchema,
    });
    this.byGVR.set(`${r.group}/${r.version}/${r.plural}`, reg);
    if (opts.preferred || !this.byGR.has(`${r.group}/${r.plural}`)) this.byGR.set(`${r.group}/${r.plural}`, reg);
    return reg;
  }

  /** Stops serving every version of `group/resource` (a deleted CustomResourceDefinition). */
  unserve(group: string, resource: string): void {
    for (const [k, reg] of this.byGVR) {
      if (reg.resource.group === group && reg.resource.plural === resource) this.byGVR.delete(k);
    }
    this.byGR.delete(`${group}/${resource}`);
  }

  /** The registry of `group/resource` in its preferred version, or of the given version. */
  get(group: string, resource: string, version?: string): GenericRegistry | undefined {
    return version ? this.byGVR.get(`${group}/${version}/${resource}`) : this.byGR.get(`${group}/${resource}`);
  }

  all(): GenericRegistry[] {
    return [...this.byGVR.values()];
  }
}
