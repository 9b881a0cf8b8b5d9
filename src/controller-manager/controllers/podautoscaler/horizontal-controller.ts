// The horizontal pod autoscaler controller (upstream pkg/controller/podautoscaler/horizontal.go): every sync
// period, each HPA reads its target's /scale, proposes replicas from its metrics, stabilizes and rate-limits the
// proposal, writes /scale when it changes and reports status, conditions and events.
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import * as autoscalingv2 from '../../../api/generated/autoscaling/v2.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import { nothing, parse as parseSelector, type Selector } from '../../../apimachinery/labels/selector.js';
import { deepEqual, type JSONValue } from '../../../apimachinery/patch/json-value.js';
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
import { RESTCustomMetricsReader, type CustomMetricsReader } from './custom-metrics-client.js';
import { computeMetric, type MetricContext, type MetricOutcome } from './metric-sources.js';
import { RESTMetricsClient, type MetricsClient } from './metrics-client.js';
import { normalizeDesiredReplicas, storeScaleEvent, type Behavior, type Reasoned, type ScalingHistory } from './normalize.js';
import type { CalculatorPod, ReplicaCalculatorOptions } from './replica-calculator.js';

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
  /** The resource metrics API (metrics.k8s.io). */
  metrics: MetricsClient;
  /** The custom and external metrics APIs; default: read through `client`. */
  customMetrics?: CustomMetricsReader;
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

export class HorizontalController implements Controller {
  readonly name = 'horizontal-pod-autoscaler-controller';
  private mapper: { at: number; mapper: RESTMapper } | undefined;
  /** Per-HPA recommendations and rescale events (upstream keeps them in the controller's memory too). */
  private readonly history = new Map<string, ScalingHistory>();
  /**
   * The pod selector of each known HPA's target, as last read from its scale (none until then), for the
   * AmbiguousSelector check; upstream's hpaSelectors.
   */
  private readonly selectors = new Map<string, { namespace: string; selector: Selector }>();
  private readonly customMetrics: CustomMetricsReader;

  constructor(private readonly deps: HorizontalControllerDeps) {
    this.customMetrics =
      deps.customMetrics ??
      new RESTCustomMetricsReader(deps.client, (apiVersion, kind) => this.resourceFor(apiVersion, kind), { rediscoverAfterMs: deps.syncPeriodMs, now: () => deps.clock.now() });
    const enqueue = (hpa: HorizontalPodAutoscaler): void => {
      const key = keyOf(hpa);
      if (!this.selectors.has(key)) this.selectors.set(key, { namespace: hpa.metadata?.namespace ?? '', selector: nothing() });
      deps.queue.add(key);
    };
    deps.hpas.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, cur) => enqueue(cur),
      onDelete: (obj) => {
        const key = keyOf(deletedObject(obj));
        this.history.delete(key);
        this.selectors.delete(key);
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
      const computed = await this.computeReplicasForMetrics(hpa, scale, conditions, now);
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

  /**
   * Every metric's proposal; the largest wins. -1 (with the error) when the selector is unusable, when every
   * metric fails, or when some fail and the rest would scale down; a valid proposal may still carry the error
   * of the metrics that failed (upstream scales up on the metrics that work).
   */
  private async computeReplicasForMetrics(hpa: HorizontalPodAutoscaler, scale: Scale, conditions: Conditions, now: number):
    Promise<{ replicas: number; metric: string; statuses: autoscalingv2.MetricStatus[]; error?: string }> {
    const specs = hpa.spec.metrics ?? [];
    const namespace = hpa.metadata!.namespace!;
    const selectorText = scale.status?.selector ?? '';
    const selector = this.validateAndParseSelector(hpa, selectorText, conditions);
    if ('error' in selector) return { replicas: -1, metric: '', statuses: [], error: selector.error };
    const ctx: MetricContext = {
      namespace,
      specReplicas: scale.spec?.replicas ?? 0,
      statusReplicas: scale.status?.replicas ?? 0,
      selector: selectorText,
      pods: this.deps.pods.lister.namespace(namespace).list(selectorText) as CalculatorPod[],
      resourceMetrics: this.deps.metrics,
      customMetrics: this.customMetrics,
      calculator: this.deps.calculator,
      now,
    };
    const statuses: autoscalingv2.MetricStatus[] = specs.map(() => ({ type: '' }));
    let replicas = 0;
    let metric = '';
    let invalid = 0;
    let firstInvalid: Extract<MetricOutcome, { ok: false }> | undefined;
    for (const [i, spec] of specs.entries()) {
      const outcome = await computeMetric(spec, ctx);
      if (!outcome.ok) {
        this.deps.recorder.event(hpa, 'Warning', outcome.reason, outcome.message);
        firstInvalid ??= outcome;
        invalid++;
        continue;
      }
      statuses[i] = outcome.status;
      if (replicas === 0 || outcome.replicas > replicas) { replicas = outcome.replicas; metric = outcome.name; }
    }
    const error = firstInvalid && `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstInvalid.error}`;
    if (firstInvalid && (invalid >= specs.length || replicas < ctx.specReplicas)) {
      conditions.set('ScalingActive', { status: 'False', reason: firstInvalid.reason, message: `the HPA was unable to compute the replica count: ${firstInvalid.message}` });
      return { replicas: -1, metric: '', statuses, error };
    }
    conditions.set('ScalingActive', { status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metric}` });
    return { replicas, metric, statuses, error };
  }

  /**
   * upstream validateAndParseSelector: the target's selector must be present and parse, and the pods it
   * selects must not also be selected by another HPA of the namespace (AmbiguousSelector). Remembers this
   * HPA's selector for the others' checks.
   */
  private validateAndParseSelector(hpa: HorizontalPodAutoscaler, text: string, conditions: Conditions): Selector | { error: string } {
    if (text === '') {
      this.deps.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      conditions.set('ScalingActive', { status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" });
      return { error: 'selector is required' };
    }
    let selector: Selector;
    try {
      selector = parseSelector(text);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      this.deps.recorder.event(hpa, 'Warning', 'InvalidSelector', message);
      conditions.set('ScalingActive', { status: 'False', reason: 'InvalidSelector', message });
      return { error: message };
    }
    const key = keyOf(hpa);
    const namespace = hpa.metadata!.namespace!;
    if (this.selectors.has(key)) this.selectors.set(key, { namespace, selector });
    const controlling = new Set<string>();
    for (const pod of this.deps.pods.lister.namespace(namespace).list(text)) {
      for (const [other, s] of this.selectors) {
        if (s.namespace === namespace && s.selector.matches(pod.metadata?.labels)) controlling.add(other);
      }
    }
    if (controlling.size > 1) {
      const message = `pods by selector ${text} are controlled by multiple HPAs: [${[...controlling].sort().join(' ')}]`;
      this.deps.recorder.event(hpa, 'Warning', 'AmbiguousSelector', message);
      conditions.set('ScalingActive', { status: 'False', reason: 'AmbiguousSelector', message });
      return { error: message };
    }
    return selector;
  }

  /**
   * Rebuilds the status as upstream's setStatus does: replicas, metrics, the conditions and last scale time
   * kept; nothing else survives (upstream's controller never sets observedGeneration, so neither does this).
   */
  private setStatus(hpa: HorizontalPodAutoscaler, s: { currentReplicas: number; desiredReplicas: number; metricStatuses: autoscalingv2.MetricStatus[]; rescaled: boolean; now: number; keepDesired?: boolean }): void {
    const prev = hpa.status;
    const status: autoscalingv2.HorizontalPodAutoscalerStatus = { currentReplicas: s.currentReplicas, desiredReplicas: s.desiredReplicas };
    const lastScaleTime = s.rescaled ? metaTime(s.now) : prev?.lastScaleTime;
    if (lastScaleTime !== undefined) status.lastScaleTime = lastScaleTime;
    if (s.metricStatuses.length > 0) status.currentMetrics = s.metricStatuses;
    if (prev?.conditions !== undefined) status.conditions = prev.conditions;
    hpa.status = status;
  }

  /** Writes the status when it changed; a refused write is a FailedUpdateStatus event, and rethrown. */
  private async updateStatusIfNeeded(original: autoscalingv2.HorizontalPodAutoscalerStatus, hpa: HorizontalPodAutoscaler): Promise<void> {
    if (deepEqual(original as unknown as JSONValue, hpa.status as unknown as JSONValue)) return;
    try {
      await this.deps.client.resource<HorizontalPodAutoscaler>(hpaResource, hpa.metadata!.namespace!).updateStatus(hpa);
    } catch (err) {
      this.deps.recorder.event(hpa, 'Warning', 'FailedUpdateStatus', (err as Error).message);
      throw err;
    }
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
