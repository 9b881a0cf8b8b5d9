// autoscaling/v1 HorizontalPodAutoscaler ↔ autoscaling/v2 (the storage version). v1 knows only a CPU
// utilization target; what it cannot express (other metrics, conditions, behavior) travels in the
// `autoscaling.alpha.kubernetes.io/*` annotations, as upstream does, so v2 → v1 → v2 loses nothing.
// (Upstream writes those annotations in the old v2beta1 shape; k8ts writes the v2 shape.)

import { asObject, asObjectList, cloneJSON, type JSONObject } from '../object-paths.js';
import type { APIObject } from '../strategy.js';

export const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

/** The CPU utilization target v2 defaults to when no metric is given (upstream: 80%). */
export const defaultCPUUtilization = 80;

function isCPUUtilization(metric: JSONObject, key: 'target' | 'current'): boolean {
  const resource = asObject(metric.resource);
  if (metric.type !== 'Resource' || resource?.name !== 'cpu') return false;
  const value = asObject(resource[key]);
  return key === 'current' ? value?.averageUtilization !== undefined : value?.type === 'Utilization';
}

function takeAnnotation(annotations: Record<string, string>, key: string): unknown {
  const text = annotations[key];
  if (text === undefined) return undefined;
  delete annotations[key];
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** autoscaling/v2 defaults that depend on nothing else (upstream SetDefaults_HorizontalPodAutoscaler). */
export function defaultHPAv2(obj: APIObject): void {
  const spec = asObject(obj.spec);
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (asObjectList(spec.metrics).length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } } }];
  }
}

/** An autoscaling/v1 HPA as the autoscaling/v2 object that is stored. */
export function hpaV1ToV2(v1: APIObject): APIObject {
  const out = cloneJSON(v1);
  out.apiVersion = 'autoscaling/v2';
  out.kind = 'HorizontalPodAutoscaler';
  const meta = (out.metadata = out.metadata ?? {});
  const annotations = { ...(meta.annotations ?? {}) };
  const spec = asObject(out.spec) ?? {};
  const metrics: unknown[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  delete spec.targetCPUUtilizationPercentage;
  const extra = takeAnnotation(annotations, metricsAnnotation);
  if (Array.isArray(extra)) metrics.push(...extra);
  if (metrics.length > 0) spec.metrics = metrics;
  const behavior = takeAnnotation(annotations, behaviorAnnotation);
  if (asObject(behavior)) spec.behavior = behavior;
  out.spec = spec;

  const status = asObject(out.status);
  if (status) {
    const current: unknown[] = [];
    if (typeof status.currentCPUUtilizationPercentage === 'number') {
      current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } });
    }
    delete status.currentCPUUtilizationPercentage;
    const extraCurrent = takeAnnotation(annotations, currentMetricsAnnotation);
    if (Array.isArray(extraCurrent)) current.push(...extraCurrent);
    if (current.length > 0) status.currentMetrics = current;
    const conditions = takeAnnotation(annotations, conditionsAnnotation);
    if (Array.isArray(conditions)) status.conditions = conditions;
    status.desiredReplicas ??= 0;
  } else {
    takeAnnotation(annotations, currentMetricsAnnotation);
    takeAnnotation(annotations, conditionsAnnotation);
  }
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
  defaultHPAv2(out);
  return out;
}

/** A stored autoscaling/v2 HPA as served by autoscaling/v1. */
export function hpaV2ToV1(v2: APIObject): APIObject {
  const out = cloneJSON(v2);
  out.apiVersion = 'autoscaling/v1';
  out.kind = 'HorizontalPodAutoscaler';
  const meta = (out.metadata = out.metadata ?? {});
  const annotations = { ...(meta.annotations ?? {}) };
  const spec = asObject(out.spec) ?? {};
  const others: JSONObject[] = [];
  for (const m of asObjectList(spec.metrics)) {
    if (isCPUUtilization(m, 'target') && spec.targetCPUUtilizationPercentage === undefined) {
      spec.targetCPUUtilizationPercentage = asObject(asObject(m.resource)?.target)?.averageUtilization;
    } else others.push(m);
  }
  delete spec.metrics;
  if (others.length > 0) annotations[metricsAnnotation] = JSON.stringify(others);
  if (spec.behavior !== undefined) {
    annotations[behaviorAnnotation] = JSON.stringify(spec.behavior);
    delete spec.behavior;
  }
  out.spec = spec;

  const status = asObject(out.status);
  if (status) {
    const otherCurrent: JSONObject[] = [];
    for (const m of asObjectList(status.currentMetrics)) {
      if (isCPUUtilization(m, 'current') && status.currentCPUUtilizationPercentage === undefined) {
        status.currentCPUUtilizationPercentage = asObject(asObject(m.resource)?.current)?.averageUtilization;
      } else otherCurrent.push(m);
    }
    delete status.currentMetrics;
    if (otherCurrent.length > 0) annotations[currentMetricsAnnotation] = JSON.stringify(otherCurrent);
    if (Array.isArray(status.conditions) && status.conditions.length > 0) annotations[conditionsAnnotation] = JSON.stringify(status.conditions);
    delete status.conditions;
  }
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
  return out;
}
