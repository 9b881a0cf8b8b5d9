// Where the HPA reads pod metrics: the MetricsClient contract and its implementation over the resource metrics
// API (metrics.k8s.io/v1beta1 PodMetrics, as metrics-server serves them; upstream metrics/client.go semantics).
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { PodMetric } from './replica-calculator.js';

/** Per-pod samples of one resource, keyed by pod name. */
export interface PodMetricsInfo { metrics: Map<string, PodMetric>; timestamp: number }

export interface MetricsClient {
  /**
   * The usage of `resource` (milli-units) of the pods matching `selector`, summed over containers or only
   * `container`. Rejects with upstream's messages when the API fails or returns nothing.
   */
  getResourceMetric(args: { resource: string; namespace: string; selector: string; container?: string }): Promise<PodMetricsInfo>;
}

/** One metrics.k8s.io/v1beta1 PodMetrics object. */
export interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

export const podMetricsResource = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' } as const;

/** A Go duration as metav1.Duration prints it ("30s", "1m0s", "1.5s", "250ms") in milliseconds; NaN if malformed. */
export function parseGoDurationMs(text: string): number {
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return NaN;
    total += Number(m[1]) * unitMs[m[2]!]!;
    at = re.lastIndex;
  }
  return at === 0 ? NaN : total;
}

/** Reads PodMetrics through the API server's aggregation (or anything serving the same URL). */
export class RESTMetricsClient implements MetricsClient {
  constructor(private readonly client: Interface) {}

  async getResourceMetric(args: { resource: string; namespace: string; selector: string; container?: string }): Promise<PodMetricsInfo> {
    let items: PodMetrics[];
    try {
      items = (await this.client.resource<PodMetrics>(podMetricsResource, args.namespace).list({ labelSelector: args.selector })).items;
    } catch (err) {
      throw new Error(`unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
    }
    if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
    const metrics = new Map<string, PodMetric>();
    let timestamp = Infinity;
    for (const item of items) {
      const name = item.metadata?.name ?? '';
      const sampled = item.timestamp ? Date.parse(item.timestamp) : NaN;
      const windowMs = parseGoDurationMs(item.window ?? '');
      let value: number | undefined;
      if (args.container !== undefined) {
        const c = item.containers?.find((x) => x.name === args.container);
        if (!c) throw new Error(`failed to get container metrics: container ${args.container} not present in metrics for pod ${args.namespace}/${name}`);
        value = usageMilli(c.usage, args.resource);
      } else {
        value = 0;
        for (const c of item.containers ?? []) {
          const v = usageMilli(c.usage, args.resource);
          if (v === undefined) { value = undefined; break; }
          value += v;
        }
      }
      // A pod missing the resource in any container counts as missing its sample.
      if (value === undefined || Number.isNaN(sampled)) continue;
      metrics.set(name, { value, timestamp: sampled, windowMs: Number.isNaN(windowMs) ? 0 : windowMs });
      if (sampled < timestamp) timestamp = sampled;
    }
    return { metrics, timestamp: Number.isFinite(timestamp) ? timestamp : 0 };
  }
}

function usageMilli(usage: Record<string, string> | undefined, resource: string): number | undefined {
  const text = usage?.[resource];
  if (text === undefined) return undefined;
  const q = parseQuantity(text).quantity;
  return q ? Number(q.milliValue()) : undefined;
}
