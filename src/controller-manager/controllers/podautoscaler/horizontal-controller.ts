// The horizontal pod autoscaler controller (upstream pkg/controller/podautoscaler/horizontal.go): every sync
// period, each HPA reads its target's /scale, proposes replicas from its metrics, stabilizes and rate-limits the
// proposal, writes /scale when it changes and reports status, conditions and events.
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import * as autoscalingv2 from '../../../api/generated/autoscaling/v2.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import { parse as parseSelector } from '../../../apimachinery/labels/selector.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import { newMilliQuantity } from '../../../apimachinery/quantity/quantity.js';
import { DecimalSI } from '../../../apimachinery/quantity/suffix.js';
import { discoverResources, RESTMapper } from '../../../client/discovery/discovery-client.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { metaTime } from '../../conditions.js';
import { deletedObject } from '../../deleted-object.js';
import { resources, type Controller, type ControllerContext, type EventRecorder, type InformerHandle } from '../../controller-context.js';
import { keyOf, splitKey } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import type { SyncResult } from '../../worker-loop.js';
import { RESTMetricsClient, type MetricsClient } from './metrics-client.js';
import { normalizeDesiredReplicas, storeScaleEvent, type Behavior, type Reasoned, type ScalingHistory } from './normalize.js';
import { plainMetricReplicas, resourceReplicas, type CalculatorPod, type ReplicaCalculatorOptions } from './replica-calculator.js';

export type HorizontalPodAutoscaler = Typed<autoscalingv2.HorizontalPodAutoscaler>;
type Pod = Typed<corev1.Pod>;
type Condition = autoscalingv2.HorizontalPodAutoscalerCondition;

export const hpaResource = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' } as const;

/** The autoscaling/v1 Scale subresource. */
interface Scale { metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string }; spec?: { replicas?: number }; status?: { replicas?: number; selector?: string } }

export interface HorizontalControllerDeps {
  client: Interface;
  hpas: InformerHandle<HorizontalPodAutoscaler>;
  pods: InformerHandle<Pod>;
  metrics: MetricsClient;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  syncPeriodMs: number;
  downscaleStabilizationWindowMs: number;
  calculator: ReplicaCalculatorOptions;
  controllerMetrics?: ControllerMetrics;
}

const rediscoveryIntervalMs = 30_000;

/** One metric's outcome: a proposal with its status entry, or the condition and error that explain why not. */
type MetricOutcome =
  | { ok: true; replicas: number; name: string; status: autoscalingv2.MetricStatus }
  | { ok: false; condition: Reasoned; error: string };

export class HorizontalController implements Controller {
  readonly name = 'horizontal-pod-autoscaler-controller';
  private mapper: { at: number; mapper: RESTMapper } | undefined;
  /** Per-HPA recommendations and rescale events (upstream keeps them in the controller's memory too). */
  private readonly history = new Map<string, ScalingHistory>();

  constructor(private readonly deps: HorizontalControllerDeps) {
    const enqueue = (hpa: HorizontalPodAutoscaler): void => deps.queue.add(keyOf(hpa));
    deps.hpas.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, cur) => enqueue(cur),
      onDelete: (obj) => {
        this.history.delete(keyOf(deletedObject(obj)));
      },
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [() => deps.hpas.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.controllerMetrics,
    });
  }

  /** Reconciles one HPA and asks to look again after the sync period. */
  async sync(key: string): Promise<SyncResult | void> {
    const { namespace, name } = splitKey(key);
    const cached = this.deps.hpas.lister.namespace(namespace).get(name);
    if (!cached) { this.history.delete(key); return; }
    const hpa = structuredClone(cached) as HorizontalPodAutoscaler;
    try {
      await this.reconcile(key, hpa);
    } catch (err) {
      if (isNotFound(err)) return;
      this.deps.logger.error('Failed to reconcile HorizontalPodAutoscaler', err, { hpa: key });
    }
    return { requeueAfterMs: this.deps.syncPeriodMs };
  }

  private async reconcile(key: string, hpa: HorizontalPodAutoscaler): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now();
    const namespace = hpa.metadata!.namespace!;
    const original = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${ref.name}`;
    const history = this.historyFor(key);
    const conditions = new Conditions(hpa, now);

    const failScale = async (message: string): Promise<void> => {
      deps.recorder.event(hpa, 'Warning', 'FailedGetScale', message);
      conditions.set('AbleToScale', { status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${message}` });
      await this.updateStatusIfNeeded(original, hpa);
    };
    const gvr = await this.resourceFor(ref.apiVersion ?? '', ref.kind);
    if (!gvr) return failScale(`no matches for kind "${ref.kind}" in version "${ref.apiVersion ?? ''}"`);
    const scales = deps.client.resource(gvr, namespace);
    let scale: Scale;
    try {
      scale = await scales.getSubresource<Scale>(ref.name, 'scale');
    } catch (err) {
      return failScale((err as Error).message);
    }
    conditions.set('AbleToScale', { status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });

    const currentReplicas = scale.spec?.replicas ?? 0;
    if (history.recommendations.length === 0) history.recommendations.push({ replicas: currentReplicas, timestamp: now });
    const minReplicas = hpa.spec.minReplicas ?? 1;
    const maxReplicas = hpa.spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let metricStatuses: autoscalingv2.MetricStatus[] = hpa.status?.currentMetrics ?? [];
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      conditions.set('ScalingActive', { status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = await this.computeReplicasForMetrics(hpa, scale, currentReplicas, conditions, now);
      metricStatuses = computed.statuses;
      if (computed.replicas === -1) {
        this.setStatus(hpa, { currentReplicas, desiredReplicas: hpa.status?.desiredReplicas ?? 0, metricStatuses, rescaled: false, now, keepDesired: true });
        await this.updateStatusIfNeeded(original, hpa);
        deps.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error ?? '');
        deps.logger.v(2).info('Failed to compute desired number of replicas based on listed metrics', { hpa: key, reference, error: computed.error });
        return;
      }
      let rescaleMetric = '';
      if (computed.replicas > desiredReplicas) { desiredReplicas = computed.replicas; rescaleMetric = computed.metric; }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const normalized = normalizeDesiredReplicas({
        currentReplicas, desiredReplicas, minReplicas, maxReplicas, behavior: hpa.spec.behavior as Behavior | undefined,
        history, now, downscaleStabilizationWindowMs: deps.downscaleStabilizationWindowMs,
      });
      conditions.set('AbleToScale', normalized.ableToScale);
      conditions.set('ScalingLimited', normalized.scalingLimited);
      desiredReplicas = normalized.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await scales.update({ ...scale, metadata: { ...scale.metadata, name: ref.name }, spec: { ...scale.spec, replicas: desiredReplicas } } as KubeObject, { subresource: 'scale' });
      } catch (err) {
        const message = (err as Error).message;
        deps.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message}`);
        conditions.set('AbleToScale', { status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${message}` });
        this.setStatus(hpa, { currentReplicas, desiredReplicas: hpa.status?.desiredReplicas ?? 0, metricStatuses, rescaled: false, now, keepDesired: true });
        await this.updateStatusIfNeeded(original, hpa);
        return;
      }
      conditions.set('AbleToScale', { status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` });
      deps.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      storeScaleEvent(history, { previous: currentReplicas, next: desiredReplicas, now, behavior: hpa.spec.behavior as Behavior | undefined });
      deps.logger.info('Successful rescale', { hpa: key, currentReplicas, desiredReplicas, reason: rescaleReason });
    } else {
      desiredReplicas = currentReplicas === 0 && minReplicas !== 0 ? 0 : desiredReplicas;
    }
    this.setStatus(hpa, { currentReplicas, desiredReplicas, metricStatuses, rescaled: rescale, now });
    await this.updateStatusIfNeeded(original, hpa);
  }

  /** Every metric's proposal; the largest wins. -1 when all fail, or some fail and the rest would scale down. */
  private async computeReplicasForMetrics(hpa: HorizontalPodAutoscaler, scale: Scale, currentReplicas: number, conditions: Conditions, now: number):
    Promise<{ replicas: number; metric: string; statuses: autoscalingv2.MetricStatus[]; error?: string }> {
    const specs = hpa.spec.metrics ?? [];
    const selectorText = scale.status?.selector ?? '';
    if (selectorText === '') {
      this.deps.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      conditions.set('ScalingActive', { status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" });
      return { replicas: -1, metric: '', statuses: [], error: 'selector is required' };
    }
    try {
      parseSelector(selectorText);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      this.deps.recorder.event(hpa, 'Warning', 'InvalidSelector', message);
      conditions.set('ScalingActive', { status: 'False', reason: 'InvalidSelector', message: `the HPA target's scale has an invalid selector: ${message}` });
      return { replicas: -1, metric: '', statuses: [], error: message };
    }
    const statuses: autoscalingv2.MetricStatus[] = specs.map(() => ({ type: '' }));
    let replicas = 0;
    let metric = '';
    let invalid = 0;
    let firstInvalid: { condition: Reasoned; error: string } | undefined;
    for (const [i, spec] of specs.entries()) {
      const outcome = await this.computeReplicasForMetric(hpa, spec, { selector: selectorText, currentReplicas, now });
      if (!outcome.ok) {
        if (!firstInvalid) firstInvalid = outcome;
        invalid++;
        continue;
      }
      statuses[i] = outcome.status;
      if (replicas === 0 || outcome.replicas > replicas) { replicas = outcome.replicas; metric = outcome.name; }
    }
    const error = firstInvalid && `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstInvalid.error}`;
    if (firstInvalid && (invalid >= specs.length || replicas < currentReplicas)) {
      conditions.set('ScalingActive', firstInvalid.condition);
      return { replicas: -1, metric: '', statuses, error };
    }
    conditions.set('ScalingActive', { status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metric}` });
    return { replicas, metric, statuses, error };
  }

  private unable(hpa: HorizontalPodAutoscaler, reason: string, message: string, error: string): MetricOutcome {
    this.deps.recorder.event(hpa, 'Warning', reason, message);
    return { ok: false, condition: { status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}` }, error };
  }

  private async computeReplicasForMetric(hpa: HorizontalPodAutoscaler, spec: autoscalingv2.MetricSpec, ctx: { selector: string; currentReplicas: number; now: number }): Promise<MetricOutcome> {
    if (spec.type === 'Resource' && spec.resource) return this.resourceMetric(hpa, spec.resource, undefined, ctx);
    if (spec.type === 'ContainerResource' && spec.containerResource) {
      return this.resourceMetric(hpa, { name: spec.containerResource.name, target: spec.containerResource.target }, spec.containerResource.container, ctx);
    }
    const reason = ({ Object: 'FailedGetObjectMetric', Pods: 'FailedGetPodsMetric', External: 'FailedGetExternalMetric' } as Record<string, string>)[spec.type];
    if (reason) {
      // k8ts reads only the resource metrics API so far; say so instead of guessing a value.
      const message = `${spec.type} metrics are not implemented by the k8ts HPA controller yet`;
      return this.unable(hpa, reason, message, message);
    }
    const message = `unknown metric source type "${spec.type}"`;
    return this.unable(hpa, 'InvalidMetricSourceType', message, message);
  }

  private async resourceMetric(hpa: HorizontalPodAutoscaler, source: autoscalingv2.ResourceMetricSource, container: string | undefined, ctx: { selector: string; currentReplicas: number; now: number }): Promise<MetricOutcome> {
    const reason = container === undefined ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
    const namespace = hpa.metadata!.namespace!;
    const resource = source.name;
    const target = source.target;
    const pods = this.deps.pods.lister.namespace(namespace).list(ctx.selector) as CalculatorPod[];
    let info;
    try {
      info = await this.deps.metrics.getResourceMetric({ resource, namespace, selector: ctx.selector, container });
    } catch (err) {
      const message = `unable to get metrics for resource ${resource}: ${(err as Error).message}`;
      const what = target.averageValue !== undefined ? 'usage' : 'utilization';
      return this.unable(hpa, reason, message, `failed to get ${resource} ${what}: ${message}`);
    }
    const calc = { currentReplicas: ctx.currentReplicas, metrics: info.metrics, pods, resource, container, now: ctx.now };
    const status = (current: autoscalingv2.MetricValueStatus): autoscalingv2.MetricStatus => (container === undefined
      ? { type: 'Resource', resource: { name: resource, current } }
      : { type: 'ContainerResource', containerResource: { name: resource, container, current } });
    if (target.averageValue !== undefined) {
      const milli = parseQuantity(String(target.averageValue)).quantity?.milliValue();
      const proposal = plainMetricReplicas(calc, Number(milli ?? 0n), this.deps.calculator);
      if (!proposal.ok) return this.unable(hpa, reason, proposal.message, `failed to get ${resource} usage: ${proposal.message}`);
      return { ok: true, replicas: proposal.replicas, name: `${resource} resource`, status: status({ averageValue: milliQuantity(proposal.rawAverageValue) }) };
    }
    if (target.averageUtilization === undefined) {
      const message = 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set';
      return this.unable(hpa, reason, message, `failed to get ${resource} utilization: ${message}`);
    }
    const proposal = resourceReplicas(calc, target.averageUtilization, this.deps.calculator);
    if (!proposal.ok) return this.unable(hpa, reason, proposal.message, `failed to get ${resource} utilization: ${proposal.message}`);
    const name = container === undefined
      ? `${resource} resource utilization (percentage of request)`
      : `${resource} container resource utilization (percentage of request)`;
    return { ok: true, replicas: proposal.replicas, name, status: status({ averageUtilization: proposal.utilization, averageValue: milliQuantity(proposal.rawAverageValue) }) };
  }

  private setStatus(hpa: HorizontalPodAutoscaler, s: { currentReplicas: number; desiredReplicas: number; metricStatuses: autoscalingv2.MetricStatus[]; rescaled: boolean; now: number; keepDesired?: boolean }): void {
    const status: autoscalingv2.HorizontalPodAutoscalerStatus = {
      ...(hpa.status ?? {}),
      currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas,
    };
    if (s.metricStatuses.length > 0) status.currentMetrics = s.metricStatuses;
    else delete status.currentMetrics;
    if (s.rescaled) status.lastScaleTime = metaTime(s.now);
    hpa.status = status;
  }

  private async updateStatusIfNeeded(original: autoscalingv2.HorizontalPodAutoscalerStatus, hpa: HorizontalPodAutoscaler): Promise<void> {
    if (JSON.stringify(original) === JSON.stringify(hpa.status)) return;
    await this.deps.client.resource<HorizontalPodAutoscaler>(hpaResource, hpa.metadata!.namespace!).updateStatus(hpa);
  }

  private historyFor(key: string): ScalingHistory {
    let h = this.history.get(key);
    if (!h) { h = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] }; this.history.set(key, h); }
    return h;
  }

  /** The resource serving `kind` in `apiVersion`, from discovery (refreshed at most every 30 s when asked). */
  private async resourceFor(apiVersion: string, kind: string): Promise<{ group: string; version: string; resource: string } | undefined> {
    const now = this.deps.clock.now();
    let found = this.mapper?.mapper.resourceFor(apiVersion, kind);
    if (!found && (!this.mapper || now - this.mapper.at > rediscoveryIntervalMs || this.mapper.at > now)) {
      this.mapper = { at: now, mapper: new RESTMapper((await discoverResources(this.deps.client)).resources) };
      found = this.mapper.mapper.resourceFor(apiVersion, kind);
    }
    return found && { group: found.group, version: found.version, resource: found.resource };
  }
}

function milliQuantity(milli: number): string {
  return newMilliQuantity(BigInt(Math.trunc(milli)), DecimalSI).toString();
}

/** HPA conditions as upstream's setConditionInList keeps them: in place, a new transition time on status change. */
class Conditions {
  constructor(private readonly hpa: HorizontalPodAutoscaler, private readonly now: number) {}

  set(type: string, c: Reasoned): void {
    const status = (this.hpa.status ??= { desiredReplicas: 0 });
    const list: Condition[] = (status.conditions ??= []);
    let existing = list.find((x) => x.type === type);
    if (!existing) { existing = { type, status: c.status }; list.push(existing); }
    if (existing.status !== c.status || !existing.lastTransitionTime) existing.lastTransitionTime = metaTime(this.now);
    existing.status = c.status;
    existing.reason = c.reason;
    existing.message = c.message;
  }
}

export function newHorizontalController(ctx: ControllerContext): Controller {
  const o = ctx.options;
  return new HorizontalController({
    client: ctx.client,
    hpas: ctx.informers.forResource<HorizontalPodAutoscaler>(hpaResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    metrics: new RESTMetricsClient(ctx.client),
    recorder: ctx.recorder('horizontal-pod-autoscaler'),
    queue: ctx.newQueue('horizontalpodautoscaler'),
    clock: ctx.clock,
    logger: ctx.logger.withName('horizontal.ts'),
    syncPeriodMs: o.horizontalPodAutoscalerSyncPeriodMs,
    downscaleStabilizationWindowMs: o.horizontalPodAutoscalerDownscaleStabilizationWindowMs,
    calculator: {
      tolerance: o.horizontalPodAutoscalerTolerance,
      cpuInitializationPeriodMs: o.horizontalPodAutoscalerCPUInitializationPeriodMs,
      delayOfInitialReadinessStatusMs: o.horizontalPodAutoscalerInitialReadinessDelayMs,
    },
    controllerMetrics: ctx.metrics,
  });
}
