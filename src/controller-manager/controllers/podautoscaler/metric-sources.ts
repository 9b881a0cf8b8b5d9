// What one entry of an HPA's spec.metrics proposes: the replica count, the metric's name for events and its
// status entry — or, when it cannot, the reason and messages upstream gives (horizontal.go's
// computeReplicasForMetric and computeStatusFor*Metric, one function per source type).
import type * as autoscalingv2 from '../../../api/generated/autoscaling/v2.js';
import { labelSelectorAsSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import { newMilliQuantity } from '../../../apimachinery/quantity/quantity.js';
import { DecimalSI } from '../../../apimachinery/quantity/suffix.js';
import type { CustomMetricsReader } from './custom-metrics-client.js';
import { goLabelSelectorString } from './go-format.js';
import type { MetricsClient } from './metrics-client.js';
import { plainMetricReplicas, resourceReplicas, type CalculatorPod, type ReplicaCalculatorOptions } from './replica-calculator.js';
import { perPodReplicas, usageRatioReplicas } from './usage-ratio.js';

/** Everything a metric's computation reads; nothing here writes to the API. */
export interface MetricContext {
  namespace: string;
  /** The target's scale: spec.replicas and status.replicas, and its pod selector as text. */
  specReplicas: number;
  statusReplicas: number;
  selector: string;
  /** The pods the selector matches (from the informer). */
  pods: CalculatorPod[];
  resourceMetrics: MetricsClient;
  customMetrics: CustomMetricsReader;
  calculator: ReplicaCalculatorOptions;
  now: number;
}

/**
 * A proposal, or a failure. On failure `reason` and `message` are the Warning event (and the ScalingActive
 * condition's reason; its message is "the HPA was unable to compute the replica count: <message>"), and
 * `error` is what "invalid metrics (…), first error is: <error>" quotes.
 */
export type MetricOutcome =
  | { ok: true; replicas: number; name: string; status: autoscalingv2.MetricStatus; timestamp: number }
  | { ok: false; reason: string; message: string; error: string };

const fail = (reason: string, message: string, error = message): MetricOutcome => ({ ok: false, reason, message, error });

function milliOf(q: autoscalingv2.MetricTarget['value']): number {
  return Number(parseQuantity(String(q ?? '0')).quantity?.milliValue() ?? 0n);
}

function milliQuantity(milli: number): string {
  return newMilliQuantity(BigInt(Math.trunc(milli)), DecimalSI).toString();
}

/** metav1.LabelSelectorAsSelector of a metric's selector, as the query text, or the conversion's error. */
function metricSelectorText(sel: LabelSelector | undefined): { text: string } | { error: string } {
  try {
    return { text: labelSelectorAsSelector(sel).toString() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function identifier(metric: autoscalingv2.MetricIdentifier): autoscalingv2.MetricIdentifier {
  return metric.selector ? { name: metric.name, selector: metric.selector } : { name: metric.name };
}

/** Dispatches on spec.type; unknown types fail with InvalidMetricSourceType. */
export async function computeMetric(spec: autoscalingv2.MetricSpec, ctx: MetricContext): Promise<MetricOutcome> {
  switch (spec.type) {
    case 'Resource':
      if (spec.resource) return resourceMetric(spec.resource, undefined, ctx);
      break;
    case 'ContainerResource':
      if (spec.containerResource) return resourceMetric({ name: spec.containerResource.name, target: spec.containerResource.target }, spec.containerResource.container, ctx);
      break;
    case 'Pods':
      if (spec.pods) return podsMetric(spec.pods, ctx);
      break;
    case 'Object':
      if (spec.object) return objectMetric(spec.object, ctx);
      break;
    case 'External':
      if (spec.external) return externalMetric(spec.external, ctx);
      break;
  }
  return fail('InvalidMetricSourceType', `unknown metric source type ${JSON.stringify(spec.type)}`);
}

/** Resource and ContainerResource metrics: per-pod samples of cpu/memory from the resource metrics API. */
async function resourceMetric(source: autoscalingv2.ResourceMetricSource, container: string | undefined, ctx: MetricContext): Promise<MetricOutcome> {
  const reason = container === undefined ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
  const resource = source.name;
  const wrap = (message: string): MetricOutcome =>
    fail(reason, message, container === undefined ? `failed to get ${resource} resource metric value: ${message}` : `failed to get ${container} container metric value: ${message}`);
  const target = source.target;
  const what = target.averageValue !== undefined ? 'usage' : 'utilization';
  if (target.averageValue === undefined && target.averageUtilization === undefined) {
    return wrap('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  }
  let info;
  try {
    info = await ctx.resourceMetrics.getResourceMetric({ resource, namespace: ctx.namespace, selector: ctx.selector, container });
  } catch (err) {
    return wrap(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: ${(err as Error).message}`);
  }
  const calc = { currentReplicas: ctx.specReplicas, metrics: info.metrics, pods: ctx.pods, resource, container, now: ctx.now };
  const status = (current: autoscalingv2.MetricValueStatus): autoscalingv2.MetricStatus =>
    container === undefined ? { type: 'Resource', resource: { name: resource, current } } : { type: 'ContainerResource', containerResource: { name: resource, container, current } };
  if (target.averageValue !== undefined) {
    const proposal = plainMetricReplicas(calc, milliOf(target.averageValue), ctx.calculator);
    if (!proposal.ok) return wrap(`failed to get ${resource} usage: ${proposal.message}`);
    return { ok: true, replicas: proposal.replicas, name: `${resource} resource`, status: status({ averageValue: milliQuantity(proposal.rawAverageValue) }), timestamp: info.timestamp };
  }
  const proposal = resourceReplicas(calc, target.averageUtilization!, ctx.calculator);
  if (!proposal.ok) return wrap(`failed to get ${resource} utilization: ${proposal.message}`);
  const name = container === undefined ? `${resource} resource utilization (percentage of request)` : `${resource} container resource utilization (percentage of request)`;
  return {
    ok: true,
    replicas: proposal.replicas,
    name,
    status: status({ averageUtilization: proposal.utilization, averageValue: milliQuantity(proposal.rawAverageValue) }),
    timestamp: info.timestamp,
  };
}

/** Pods metrics: per-pod samples of a custom metric, averaged against target.averageValue. */
async function podsMetric(source: autoscalingv2.PodsMetricSource, ctx: MetricContext): Promise<MetricOutcome> {
  const reason = 'FailedGetPodsMetric';
  const wrap = (message: string): MetricOutcome => fail(reason, message, `failed to get pods metric value: ${message}`);
  const selected = metricSelectorText(source.metric.selector);
  if ('error' in selected) return wrap(selected.error);
  const metricSelector = selected.text;
  const name = source.metric.name;
  let info;
  try {
    info = await ctx.customMetrics.getRawMetric({ metric: name, namespace: ctx.namespace, selector: ctx.selector, metricSelector });
  } catch (err) {
    return wrap(`unable to get metric ${name}: ${(err as Error).message}`);
  }
  const calc = { currentReplicas: ctx.specReplicas, metrics: info.metrics, pods: ctx.pods, resource: '', now: ctx.now };
  const proposal = plainMetricReplicas(calc, milliOf(source.target.averageValue), ctx.calculator);
  if (!proposal.ok) return wrap(proposal.message);
  return {
    ok: true,
    replicas: proposal.replicas,
    name: `pods metric ${name}`,
    status: { type: 'Pods', pods: { metric: identifier(source.metric), current: { averageValue: milliQuantity(proposal.rawAverageValue) } } },
    timestamp: info.timestamp,
  };
}

/** Object metrics: one value describing another object (an Ingress's requests per second, say). */
async function objectMetric(source: autoscalingv2.ObjectMetricSource, ctx: MetricContext): Promise<MetricOutcome> {
  const reason = 'FailedGetObjectMetric';
  const wrap = (message: string, error = message): MetricOutcome => fail(reason, message, `failed to get object metric value: ${error}`);
  const selected = metricSelectorText(source.metric.selector);
  if ('error' in selected) return wrap(selected.error);
  const metricSelector = selected.text;
  const name = source.metric.name;
  const object = source.describedObject;
  const target = source.target;
  const byValue = target.type === 'Value' && target.value !== undefined;
  const byAverage = target.type === 'AverageValue' && target.averageValue !== undefined;
  if (!byValue && !byAverage) return wrap('invalid object metric source: neither a value target nor an average value target was set');
  let sample;
  try {
    sample = await ctx.customMetrics.getObjectMetric({ metric: name, namespace: ctx.namespace, object, metricSelector });
  } catch (err) {
    // Upstream's arguments land in this order: the kind after the metric, the error last.
    const message = `unable to get metric ${name}: ${object.kind} on ${ctx.namespace} ${object.name}/${(err as Error).message}`;
    return byValue ? wrap(message) : wrap(message, `failed to get ${name} object metric: ${message}`);
  }
  if (byValue) {
    const proposal = usageRatioReplicas({ currentReplicas: ctx.specReplicas, usage: sample.value, target: milliOf(target.value), pods: ctx.pods }, ctx.calculator);
    if (!proposal.ok) return wrap(proposal.message);
    return {
      ok: true,
      replicas: proposal.replicas,
      name: `${object.kind} metric ${name}`,
      status: { type: 'Object', object: { describedObject: object, metric: identifier(source.metric), current: { value: milliQuantity(proposal.usage) } } },
      timestamp: sample.timestamp,
    };
  }
  const proposal = perPodReplicas({ statusReplicas: ctx.statusReplicas, usage: sample.value, targetAverage: milliOf(target.averageValue) }, ctx.calculator);
  return {
    ok: true,
    replicas: proposal.replicas,
    // Upstream names an averaged Object metric this way (sic), and leaves describedObject empty in its status.
    name: `external metric ${name}(${goLabelSelectorString(source.metric.selector)})`,
    status: { type: 'Object', object: { describedObject: { kind: '', name: '' }, metric: identifier(source.metric), current: { averageValue: milliQuantity(proposal.usage) } } },
    timestamp: sample.timestamp,
  };
}

/** External metrics: series from outside the cluster (a queue's length, say), summed. */
async function externalMetric(source: autoscalingv2.ExternalMetricSource, ctx: MetricContext): Promise<MetricOutcome> {
  const reason = 'FailedGetExternalMetric';
  const name = source.metric.name;
  const wrap = (message: string, error = message): MetricOutcome => fail(reason, message, `failed to get ${name} external metric value: ${error}`);
  const target = source.target;
  const byAverage = target.averageValue !== undefined;
  const byValue = !byAverage && target.value !== undefined;
  if (!byAverage && !byValue) return wrap('invalid external metric source: neither a value target nor an average value target was set');
  const wrapTarget = (message: string): MetricOutcome =>
    wrap(message, byAverage ? `failed to get ${name} external metric: ${message}` : `failed to get external metric ${name}: ${message}`);
  const selected = metricSelectorText(source.metric.selector);
  if ('error' in selected) return wrapTarget(selected.error);
  const metricSelector = selected.text;
  let sample;
  try {
    sample = await ctx.customMetrics.getExternalMetric({ metric: name, namespace: ctx.namespace, metricSelector });
  } catch (err) {
    return wrapTarget(`unable to get external metric ${ctx.namespace}/${name}/${goLabelSelectorString(source.metric.selector)}: ${(err as Error).message}`);
  }
  const total = sample.values.reduce((a, b) => a + b, 0);
  const metricName = `external metric ${name}(${goLabelSelectorString(source.metric.selector)})`;
  if (byAverage) {
    const proposal = perPodReplicas({ statusReplicas: ctx.statusReplicas, usage: total, targetAverage: milliOf(target.averageValue) }, ctx.calculator);
    return {
      ok: true,
      replicas: proposal.replicas,
      name: metricName,
      status: { type: 'External', external: { metric: identifier(source.metric), current: { averageValue: milliQuantity(proposal.usage) } } },
      timestamp: sample.timestamp,
    };
  }
  const proposal = usageRatioReplicas({ currentReplicas: ctx.specReplicas, usage: total, target: milliOf(target.value), pods: ctx.pods }, ctx.calculator);
  if (!proposal.ok) return wrapTarget(proposal.message);
  return {
    ok: true,
    replicas: proposal.replicas,
    name: metricName,
    status: { type: 'External', external: { metric: identifier(source.metric), current: { value: milliQuantity(proposal.usage) } } },
    timestamp: sample.timestamp,
  };
}
