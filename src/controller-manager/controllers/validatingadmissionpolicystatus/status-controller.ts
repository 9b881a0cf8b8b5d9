// The ValidatingAdmissionPolicy status controller (upstream pkg/controller/validatingadmissionpolicystatus):
// for each policy whose generation is newer than status.observedGeneration, type-checks its validations
// against the kinds it matches (type-checker.ts) and applies the status — observedGeneration and
// typeChecking.expressionWarnings — with server-side apply as its own field manager, forcing.

import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import type { CELType } from '../../../apimachinery/cel/types.js';
import { discoverResources, type APIResourceInfo } from '../../../client/discovery/discovery-client.js';
import type { GroupVersionResource, Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { celTypeOfComponent, componentForKind, type OpenAPISchema } from './openapi-cel-type.js';
import { checkPolicy, type GroupVersionKind, type TypeResolver } from './type-checker.js';

export const validatingAdmissionPoliciesResource: GroupVersionResource = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
export const controllerName = 'validatingadmissionpolicy-status-controller';

type Policy = Typed<admissionregistrationv1.ValidatingAdmissionPolicy>;

/** How long one discovery of the server's resources (and the OpenAPI v3 index) is reused across policies. */
const discoveryTTLMs = 10_000;

/**
 * A TypeResolver over the server: kinds from discovery, types from the OpenAPI v3 document of the kind's group
 * version (documents are kept by their hash URL, so a changed document is fetched again).
 */
export class ServerTypeResolver implements TypeResolver {
  private discovered?: { at: number; resources: APIResourceInfo[] };
  private index?: { at: number; paths: Record<string, { serverRelativeURL?: string }> };
  private readonly documents = new Map<string, Record<string, OpenAPISchema>>();

  constructor(
    private readonly client: Interface,
    private readonly clock: Clock,
  ) {}

  async kindsFor(gvr: { group: string; version: string; resource: string }): Promise<GroupVersionKind[]> {
    const matching = () =>
      (this.discovered?.resources ?? [])
        .filter((r) => r.group === gvr.group && r.version === gvr.version && r.resource === gvr.resource)
        .map((r) => ({ group: r.group, version: r.version, kind: r.kind }));
    const fresh = this.discovered && this.clock.now() - this.discovered.at <= discoveryTTLMs;
    // A resource the cached discovery lacks (a CRD created since) makes it run again, as upstream's RESTMapper reset.
    if (fresh && matching().length > 0) return matching();
    this.discovered = { at: this.clock.now(), resources: (await discoverResources(this.client)).resources };
    return matching();
  }

  async typeOf(gvk: GroupVersionKind): Promise<CELType | undefined> {
    const components = await this.componentsOf(gvk.group, gvk.version);
    const name = components && componentForKind(components, gvk);
    return name ? celTypeOfComponent(components, name, gvk.kind) : undefined;
  }

  /** The components of the group version's OpenAPI v3 document, or undefined when it is not published. */
  private async componentsOf(group: string, version: string): Promise<Record<string, OpenAPISchema> | undefined> {
    // The index (hash URL per group version) is read once per discovery period, not once per kind checked; a
    // group version it lacks (a CRD created since) makes it read again.
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    if (!this.index || this.clock.now() - this.index.at > discoveryTTLMs || !this.index.paths[key]) {
      const fetched = await this.getJSON<{ paths?: Record<string, { serverRelativeURL?: string }> }>('/openapi/v3');
      this.index = { at: this.clock.now(), paths: fetched?.paths ?? {} };
    }
    const url = this.index.paths[key]?.serverRelativeURL;
    if (!url) return undefined;
    const cached = this.documents.get(url);
    if (cached) return cached;
    const [path, query] = url.split('?');
    const doc = await this.getJSON<{ components?: { schemas?: Record<string, OpenAPISchema> } }>(path!, Object.fromEntries(new URLSearchParams(query ?? '')));
    const components = doc?.components?.schemas;
    if (!components) return undefined;
    this.documents.set(url, components);
    return components;
  }

  private async getJSON<T>(path: string, query?: Record<string, string>): Promise<T | undefined> {
    const resp = await this.client.raw({ method: 'GET', path, query });
    if (resp.status === 404) return undefined;
    if (resp.status !== 200) throw new Error(`the server responded with status ${resp.status} to GET ${path}`);
    return JSON.parse(resp.body.toString('utf8')) as T;
  }
}

export interface ValidatingAdmissionPolicyStatusControllerDeps {
  client: Interface;
  policies: InformerHandle<Policy>;
  queue: RateLimitingQueue<string>;
  resolver: TypeResolver;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class ValidatingAdmissionPolicyStatusController implements Controller {
  readonly name = controllerName;

  constructor(private readonly deps: ValidatingAdmissionPolicyStatusControllerDeps) {
    const enqueue = (p: Policy) => {
      if (p.metadata?.name) deps.queue.add(p.metadata.name);
    };
    deps.policies.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur) });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [() => deps.policies.informer.hasSynced()],
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Type-checks a policy whose spec changed since its status was written, and applies the status. */
  async sync(name: string): Promise<void> {
    const { deps } = this;
    const policy = deps.policies.lister.get(name);
    if (!policy) return;
    const generation = policy.metadata?.generation ?? 0;
    if (generation <= (policy.status?.observedGeneration ?? 0)) return;
    const warnings = await checkPolicy(policy, deps.resolver);
    const typeChecking: admissionregistrationv1.TypeChecking = warnings.length ? { expressionWarnings: warnings } : {};
    const status = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, status: { observedGeneration: generation, typeChecking } };
    deps.logger.v(4).info('Type checked policy', { policy: name, generation, warnings: warnings.length });
    await deps.client.resource(validatingAdmissionPoliciesResource).patch(name, 'apply', status, { subresource: 'status', fieldManager: controllerName, force: true });
  }
}

export function newValidatingAdmissionPolicyStatusController(ctx: ControllerContext): Controller {
  return new ValidatingAdmissionPolicyStatusController({
    client: ctx.client,
    policies: ctx.informers.forResource<Policy>(validatingAdmissionPoliciesResource),
    queue: ctx.newQueue('validatingadmissionpolicy-status'),
    resolver: new ServerTypeResolver(ctx.client, ctx.clock),
    clock: ctx.clock,
    logger: ctx.logger.withName('validatingadmissionpolicystatus'),
    metrics: ctx.metrics,
  });
}
