// The HPA's readers of the custom and external metrics APIs (custom.metrics.k8s.io v1beta2 or v1beta1, as the
// adapter serves it, and external.metrics.k8s.io/v1beta1, served by adapters behind APIServices), with upstream
// metrics/client.go's paths, parsing and error wording. Requests go through the apiserver, which proxies them to
// the adapter.
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Interface, RawResponse } from '../../../client/rest/interface.js';
import { errorFromResponse } from '../../../client/rest/response-error.js';
import type { PodMetricsInfo } from './metrics-client.js';
import type { PodMetric } from './replica-calculator.js';

const customGroup = 'custom.metrics.k8s.io';
/** The custom metrics versions the reader speaks; their MetricValue fields the HPA reads are the same. */
const customVersions = ['v1beta2', 'v1beta1'];
const externalGroup = 'external.metrics.k8s.io';
const externalVersion = 'v1beta1';
/** A sample without windowSeconds covers this long (upstream metricServerDefaultMetricWindow). */
const defaultWindowMs = 60_000;

/** The object an Object metric describes (autoscaling/v2 CrossVersionObjectReference). */
export interface DescribedObject {
  apiVersion?: string;
  kind: string;
  name: string;
}

/** The group and plural resource serving a kind, as the apiserver's discovery names them. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** The reads the HPA makes of the custom and external metrics APIs. Each rejects with upstream's message. */
export interface CustomMetricsReader {
  /** Pods metrics: one sample per pod matching `selector`, keyed by pod name. */
  getRawMetric(args: { metric: string; namespace: string; selector: string; metricSelector: string }): Promise<PodMetricsInfo>;
  /** Object metrics: the one value the adapter reports for `object` (milli-units) and when it was sampled. */
  getObjectMetric(args: { metric: string; namespace: string; object: DescribedObject; metricSelector: string }): Promise<{ value: number; timestamp: number }>;
  /** External metrics: every series matching `metricSelector` (milli-units). */
  getExternalMetric(args: { metric: string; namespace: string; metricSelector: string }): Promise<{ values: number[]; timestamp: number }>;
}

/** custom.metrics.k8s.io MetricValue (v1beta2; v1beta1 names the metric in metricName, which is not read). */
interface MetricValue {
  describedObject?: { kind?: string; namespace?: string; name?: string; apiVersion?: string };
  metric?: { name?: string };
  timestamp?: string;
  windowSeconds?: number;
  value?: string;
}

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue. */
interface ExternalMetricValue {
  metricName?: string;
  timestamp?: string;
  value?: string;
}

/** How the reader learns which custom metrics version the adapter serves. */
export interface CustomMetricsReaderOptions {
  /** The discovered version is asked again after this long (upstream invalidates it every HPA sync period). */
  rediscoverAfterMs?: number;
  now?: () => number;
}

/** Reads the metrics APIs through `client`; `resourceFor` maps a described object's kind to its resource. */
export class RESTCustomMetricsReader implements CustomMetricsReader {
  private discovered?: { version: string; at: number };
  private readonly rediscoverAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Interface,
    private readonly resourceFor: (apiVersion: string, kind: string) => Promise<GroupResource | undefined>,
    opts: CustomMetricsReaderOptions = {},
  ) {
    this.rediscoverAfterMs = opts.rediscoverAfterMs ?? 15_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The custom metrics version to ask (upstream's apiVersionsFromDiscovery): the group's preferred version when
   * the reader speaks it, else the first of its versions that it speaks; remembered until rediscoverAfterMs.
   */
  private async customVersion(): Promise<string> {
    const cached = this.discovered;
    if (cached && this.now() - cached.at < this.rediscoverAfterMs) return cached.version;
    const resp = await this.client.raw({ method: 'GET', path: '/apis', accept: 'application/json' });
    if (resp.status < 200 || resp.status > 299) throw errorFromResponse(resp, { method: 'GET', resource: { group: '', resource: '' } });
    const list = JSON.parse(resp.body.toString('utf8')) as { groups?: Array<{ name: string; preferredVersion?: { version?: string }; versions?: Array<{ version: string }> }> };
    const group = (list.groups ?? []).find((g) => g.name === customGroup);
    if (!group) throw new Error(`no custom metrics API (${customGroup}) registered`);
    const preferred = group.preferredVersion?.version;
    const version = preferred && customVersions.includes(preferred) ? preferred : (group.versions ?? []).map((v) => v.version).find((v) => customVersions.includes(v));
    if (!version) throw new Error('no known available metric versions found');
    this.discovered = { version, at: this.now() };
    return version;
  }

  async getRawMetric(args: { metric: string; namespace: string; selector: string; metricSelector: string }): Promise<PodMetricsInfo> {
    let items: MetricValue[];
    try {
      const path = `/apis/${customGroup}/${await this.customVersion()}/namespaces/${seg(args.namespace)}/pods/*/${seg(args.metric)}`;
      items = await this.list<MetricValue>(path, { labelSelector: args.selector, metricLabelSelector: args.metricSelector }, { group: customGroup, resource: 'pods' });
    } catch (err) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${(err as Error).message}`);
    }
    if (items.length === 0) throw new Error('no metrics returned from custom metrics API');
    const metrics = new Map<string, PodMetric>();
    for (const m of items) {
      metrics.set(m.describedObject?.name ?? '', {
        value: milli(m.value),
        timestamp: time(m.timestamp),
        windowMs: m.windowSeconds !== undefined ? m.windowSeconds * 1000 : defaultWindowMs,
      });
    }
    return { metrics, timestamp: time(items[0]!.timestamp) };
  }

  async getObjectMetric(args: { metric: string; namespace: string; object: DescribedObject; metricSelector: string }): Promise<{ value: number; timestamp: number }> {
    const { object } = args;
    const group = groupOf(object.apiVersion ?? '');
    let items: MetricValue[];
    try {
      let path: string;
      if (object.kind === 'Namespace' && group === '') {
        // The namespace's own metrics; its name is the HPA's namespace, never another (no escaping it).
        path = `/apis/${customGroup}/${await this.customVersion()}/namespaces/${seg(args.namespace)}/metrics/${seg(args.metric)}`;
      } else {
        const resource = await this.resourceFor(object.apiVersion ?? '', object.kind);
        const groupKind = group ? `${object.kind}.${group}` : object.kind;
        if (!resource) throw new Error(`unable to map kind ${groupKind} to resource: no matches for kind "${object.kind}" in group "${group}"`);
        const qualified = resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
        path = `/apis/${customGroup}/${await this.customVersion()}/namespaces/${seg(args.namespace)}/${seg(qualified)}/${seg(object.name)}/${seg(args.metric)}`;
      }
      items = await this.list<MetricValue>(path, { metricLabelSelector: args.metricSelector }, { group: customGroup, resource: object.kind.toLowerCase() });
      if (items.length !== 1) throw new Error(`the custom metrics API server returned ${items.length} results when we asked for exactly one`);
    } catch (err) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${(err as Error).message}`);
    }
    return { value: milli(items[0]!.value), timestamp: time(items[0]!.timestamp) };
  }

  async getExternalMetric(args: { metric: string; namespace: string; metricSelector: string }): Promise<{ values: number[]; timestamp: number }> {
    const path = `/apis/${externalGroup}/${externalVersion}/namespaces/${seg(args.namespace)}/${seg(args.metric)}`;
    let items: ExternalMetricValue[];
    try {
      items = await this.list<ExternalMetricValue>(path, { labelSelector: args.metricSelector }, { group: externalGroup, resource: args.metric });
    } catch (err) {
      throw new Error(`unable to fetch metrics from external metrics API: ${(err as Error).message}`);
    }
    if (items.length === 0) throw new Error('no metrics returned from external metrics API');
    return { values: items.map((m) => milli(m.value)), timestamp: time(items[0]!.timestamp) };
  }

  /** GETs a list document; a non-2xx reply rejects with the error client-go would give. */
  private async list<T>(path: string, query: Record<string, string>, what: GroupResource): Promise<T[]> {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== '') q[k] = v;
    const resp: RawResponse = await this.client.raw({ method: 'GET', path, query: q, accept: 'application/json' });
    if (resp.status < 200 || resp.status > 299) throw errorFromResponse(resp, { method: 'GET', resource: what });
    const body = JSON.parse(resp.body.toString('utf8')) as { items?: T[] };
    return body.items ?? [];
  }
}

function seg(s: string): string {
  return s === '*' ? s : encodeURIComponent(s);
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A quantity's milli-value; unparseable values count as 0, as a zero Quantity would in Go. */
function milli(text: string | undefined): number {
  const q = text === undefined ? undefined : parseQuantity(text).quantity;
  return q ? Number(q.milliValue()) : 0;
}

function time(text: string | undefined): number {
  const t = text ? Date.parse(text) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
