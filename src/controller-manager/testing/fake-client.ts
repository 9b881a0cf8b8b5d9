// Test support: an in-memory client (client-go's fake clientset): it stores objects, records every action,
// and lets a test inject failures with reactors, so controller tests check exactly what a sync wrote.
import { newAlreadyExists, newConflict, newNotFound, type Status } from '../../apimachinery/errors.js';
import type {
  DeleteOptions,
  GroupVersionResource,
  Interface,
  KubeList,
  KubeObject,
  ListOptions,
  PatchType,
  RawRequest,
  RawResponse,
  ResourceInterface,
  WatchEvent,
  WriteOptions,
} from '../../client/rest/interface.js';

/** Resources whose status updates take annotations from the request (upstream's apps status strategies). */
const statusTakesAnnotations = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'replicationcontrollers']);

export interface Action {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  resource: string;
  namespace: string;
  name: string;
  subresource?: string;
  /** The object sent (create/update) or the patch. */
  body?: unknown;
}

/** Returns an error to fail the action with, or undefined to let it through. */
export type Reactor = (action: Action) => Error | undefined;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

type OwnerRef = { uid: string; $patch?: string };

/** Strategic merge for what controllers patch: ownerReferences merged by uid (with `$patch: delete`). */
function strategicPatch(target: KubeObject, patch: { metadata?: Record<string, unknown> }): KubeObject {
  const { ownerReferences, ...restMeta } = patch.metadata ?? {};
  const out = mergePatch(target, { ...patch, metadata: restMeta }) as KubeObject;
  if (Array.isArray(ownerReferences)) {
    let refs = [...(target.metadata?.ownerReferences ?? [])] as OwnerRef[];
    for (const r of ownerReferences as OwnerRef[]) {
      if (r.$patch === 'delete') refs = refs.filter((x) => x.uid !== r.uid);
      else refs = [...refs.filter((x) => x.uid !== r.uid), r];
    }
    out.metadata!.ownerReferences = refs as NonNullable<KubeObject['metadata']>['ownerReferences'];
  }
  return out;
}

export class FakeClient implements Interface {
  readonly host = 'https://fake';
  readonly userAgent = 'fake';
  readonly actions: Action[] = [];
  readonly objects = new Map<string, KubeObject>();
  private readonly reactors: Reactor[] = [];
  private seq = 0;
  /** Answers POSTs to subresources (e.g. serviceaccounts/token); default: not served. */
  onCreateSubresource?: (gvr: GroupVersionResource, namespace: string, name: string, subresource: string, body: unknown) => unknown;
  /** Called after every successful write with the stored object (or undefined after a delete). */
  onWrite?: (gvr: GroupVersionResource, obj: KubeObject, deleted: boolean) => void;

  constructor(private readonly now: () => number = () => Date.UTC(2026, 0, 1)) {}

  prependReactor(r: Reactor): void {
    this.reactors.unshift(r);
  }

  /** Actions other than reads. */
  writes(): Action[] {
    return this.actions.filter((a) => a.verb !== 'get' && a.verb !== 'list');
  }

  /** Stores `obj` as if it existed on the server (no action recorded). */
  seed(gvr: GroupVersionResource, obj: KubeObject): void {
    this.objects.set(this.key(gvr, obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''), structuredClone(obj));
  }

  key(gvr: GroupVersionResource, ns: string, name: string): string {
    return `${gvr.group}/${gvr.resource}/${ns}/${name}`;
  }

  react(action: Action): void {
    this.actions.push(action);
    for (const r of this.reactors) {
      const err = r(action);
      if (err) throw err;
    }
  }

  nextResourceVersion(): string {
    return String(++this.seq);
  }

  timestamp(): string {
    return new Date(Math.floor(this.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace = ''): ResourceInterface<T> {
    return new FakeResource<T>(this, gvr, namespace);
  }

  async raw(req: RawRequest): Promise<RawResponse> {
    void req;
    throw new Error('FakeClient does not serve raw requests');
  }

  close(): void {}
}

class FakeResource<T extends KubeObject> implements ResourceInterface<T> {
  constructor(
    private readonly c: FakeClient,
    private readonly gvr: GroupVersionResource,
    private readonly ns: string,
  ) {}

  private gr() {
    return { group: this.gvr.group, resource: this.gvr.resource };
  }

  private stored(name: string): T {
    const obj = this.c.objects.get(this.c.key(this.gvr, this.ns, name));
    if (!obj) throw newNotFound(this.gr(), name);
    return structuredClone(obj) as T;
  }

  private store(obj: T): T {
    this.c.objects.set(this.c.key(this.gvr, this.ns, obj.metadata?.name ?? ''), structuredClone(obj));
    this.c.onWrite?.(this.gvr, structuredClone(obj), false);
    return structuredClone(obj);
  }

  async get(name: string): Promise<T> {
    this.c.react({ verb: 'get', resource: this.gvr.resource, namespace: this.ns, name });
    return this.stored(name);
  }

  async list(opts?: ListOptions): Promise<KubeList<T>> {
    void opts;
    this.c.react({ verb: 'list', resource: this.gvr.resource, namespace: this.ns, name: '' });
    const prefix = this.c.key(this.gvr, this.ns, '');
    const items = [...this.c.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => structuredClone(v) as T);
    return { metadata: { resourceVersion: String(this.c.nextResourceVersion()) }, items };
  }

  async watch(): Promise<AsyncIterable<WatchEvent<T>>> {
    throw new Error('FakeClient does not watch');
  }

  async create(obj: T, opts?: WriteOptions): Promise<T> {
    void opts;
    const copy = structuredClone(obj);
    const meta = (copy.metadata ??= {});
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
    meta.namespace = this.ns || meta.namespace;
    this.c.react({ verb: 'create', resource: this.gvr.resource, namespace: this.ns, name: meta.name ?? '', body: structuredClone(copy) });
    if (this.c.objects.has(this.c.key(this.gvr, this.ns, meta.name ?? ''))) throw newAlreadyExists(this.gr(), meta.name ?? '');
    meta.uid = `uid-${meta.name}`;
    meta.resourceVersion = this.c.nextResourceVersion();
    meta.creationTimestamp = this.c.timestamp();
    if (this.gvr.resource !== 'pods') meta.generation = 1;
    return this.store(copy);
  }

  private async write(obj: T, subresource: string | undefined): Promise<T> {
    const name = obj.metadata?.name ?? '';
    this.c.react({ verb: 'update', resource: this.gvr.resource, namespace: this.ns, name, subresource, body: structuredClone(obj) });
    const old = this.stored(name);
    const rv = obj.metadata?.resourceVersion;
    if (rv && rv !== old.metadata?.resourceVersion) throw newConflict(this.gr(), name, 'the object has been modified; please apply your changes to the latest version and try again');
    let next: T;
    if (subresource === 'status') {
      next = { ...old, status: structuredClone(obj.status) };
      // As the apiserver's apps status strategies: metadata other than labels comes from the request.
      if (statusTakesAnnotations.has(this.gvr.resource)) next.metadata = { ...old.metadata, annotations: structuredClone(obj.metadata?.annotations) };
    } else {
      next = { ...structuredClone(obj), status: old.status };
      if (JSON.stringify(obj.spec) !== JSON.stringify(old.spec)) next.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
    }
    next.metadata = { ...next.metadata, resourceVersion: this.c.nextResourceVersion() };
    return this.store(next);
  }

  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    return this.write(obj, opts?.subresource);
  }

  updateStatus(obj: T): Promise<T> {
    return this.write(obj, 'status');
  }

  async patch(name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    this.c.react({ verb: 'patch', resource: this.gvr.resource, namespace: this.ns, name, subresource: opts?.subresource, body: structuredClone(patch) });
    const old = this.stored(name);
    const p = patch as { metadata?: Record<string, unknown> };
    const rv = p.metadata?.resourceVersion;
    if (typeof rv === 'string' && rv !== old.metadata?.resourceVersion) throw newConflict(this.gr(), name, 'the object has been modified');
    const uid = p.metadata?.uid;
    if (typeof uid === 'string' && uid !== old.metadata?.uid) throw newConflict(this.gr(), name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata?.uid}`);
    const next = (type === 'strategic' ? strategicPatch(old, p) : mergePatch(old, patch)) as T;
    next.metadata = { ...next.metadata, resourceVersion: this.c.nextResourceVersion() };
    return this.store(next);
  }

  async delete(name: string, opts?: DeleteOptions): Promise<T | Status> {
    void opts;
    this.c.react({ verb: 'delete', resource: this.gvr.resource, namespace: this.ns, name });
    const old = this.stored(name);
    this.c.objects.delete(this.c.key(this.gvr, this.ns, name));
    this.c.onWrite?.(this.gvr, old, true);
    return old;
  }

  async deleteCollection(): Promise<void> {
    throw new Error('FakeClient does not delete collections');
  }

  async createSubresource<R = KubeObject>(name: string, subresource: string, body: unknown): Promise<R> {
    this.c.react({ verb: 'create', resource: this.gvr.resource, namespace: this.ns, name, subresource, body: structuredClone(body) });
    if (!this.c.onCreateSubresource) throw new Error('FakeClient does not serve subresources');
    return this.c.onCreateSubresource(this.gvr, this.ns, name, subresource, body) as R;
  }

  async getSubresource<R = KubeObject>(): Promise<R> {
    throw new Error('FakeClient does not serve subresources');
  }
}
