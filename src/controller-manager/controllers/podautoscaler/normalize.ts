// Turns a metrics proposal into the size the HPA may set now: stabilization windows, scale rate policies and
// min/max clamping, with the AbleToScale/ScalingLimited reasons upstream reports (horizontal.go semantics).

export interface ScalingPolicy { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }
export interface ScalingRules { stabilizationWindowSeconds?: number; selectPolicy?: 'Max' | 'Min' | 'Disabled'; policies?: ScalingPolicy[] }
export interface Behavior { scaleUp?: ScalingRules; scaleDown?: ScalingRules }

/** A past recommendation or rescale of one HPA; times are ms since the epoch. */
export interface Recommendation { replicas: number; timestamp: number }
export interface ScaleEvent { replicaChange: number; timestamp: number }

/** What the controller remembers per HPA between syncs. */
export interface ScalingHistory { recommendations: Recommendation[]; scaleUpEvents: ScaleEvent[]; scaleDownEvents: ScaleEvent[] }

export interface Reasoned { status: 'True' | 'False'; reason: string; message: string }

export interface NormalizeInput {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** spec.behavior; undefined takes the legacy path (down-window only, up-rate max(2x, 4)). */
  behavior?: Behavior;
  history: ScalingHistory;
  now: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 5 min). */
  downscaleStabilizationWindowMs: number;
}

export interface NormalizeResult { replicas: number; ableToScale: Reasoned; scalingLimited: Reasoned }

/** The API server's defaults for behavior rules that leave fields unset (scaleDown's window comes from the flag). */
export function defaultedRules(direction: 'up' | 'down', rules: ScalingRules | undefined, downscaleWindowMs: number): Required<ScalingRules> {
  const up = direction === 'up';
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? (up ? 0 : Math.trunc(downscaleWindowMs / 1000)),
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? (up
      ? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  };
}

const readyForNewScale = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' } as const;
const withinRange = { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' } as const;

/** Records the raw recommendation, replacing one that every window has forgotten. */
function record(history: ScalingHistory, replicas: number, now: number, oldest: number): void {
  const stale = history.recommendations.findIndex((r) => r.timestamp < oldest);
  if (stale >= 0) history.recommendations[stale] = { replicas, timestamp: now };
  else history.recommendations.push({ replicas, timestamp: now });
}

function changeInPeriod(events: ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.timestamp > cutoff) sum += e.replicaChange;
  return sum;
}

function scaleLimit(direction: 'up' | 'down', input: NormalizeInput, rules: Required<ScalingRules>): number {
  if (rules.selectPolicy === 'Disabled') return input.currentReplicas;
  // Up: Max picks the largest proposal; down: Max (the biggest change) picks the smallest.
  const pickLargest = (direction === 'up') === (rules.selectPolicy === 'Max');
  let result = pickLargest ? -Infinity : Infinity;
  for (const policy of rules.policies) {
    const start = input.currentReplicas - changeInPeriod(input.history.scaleUpEvents, policy.periodSeconds, input.now)
      + changeInPeriod(input.history.scaleDownEvents, policy.periodSeconds, input.now);
    let proposed: number;
    if (direction === 'up') proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    else proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = pickLargest ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

function withBehavior(input: NormalizeInput, behavior: Behavior): NormalizeResult {
  const up = defaultedRules('up', behavior.scaleUp, input.downscaleStabilizationWindowMs);
  const down = defaultedRules('down', behavior.scaleDown, input.downscaleStabilizationWindowMs);
  const upCutoff = input.now - up.stabilizationWindowSeconds * 1000;
  const downCutoff = input.now - down.stabilizationWindowSeconds * 1000;
  let upRecommendation = input.desiredReplicas;
  let downRecommendation = input.desiredReplicas;
  for (const r of input.history.recommendations) {
    if (r.timestamp > upCutoff) upRecommendation = Math.min(upRecommendation, r.replicas);
    if (r.timestamp > downCutoff) downRecommendation = Math.max(downRecommendation, r.replicas);
  }
  const stabilized = Math.min(Math.max(input.currentReplicas, upRecommendation), downRecommendation);
  record(input.history, input.desiredReplicas, input.now, Math.min(upCutoff, downCutoff));
  const ableToScale: Reasoned = stabilized === input.desiredReplicas ? readyForNewScale
    : input.desiredReplicas >= input.currentReplicas
      ? { status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
      : { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };

  let limited: { replicas: number; reason: string; message: string } | undefined;
  if (stabilized > input.currentReplicas) {
    const rate = Math.max(scaleLimit('up', input, up), input.currentReplicas);
    const byRate = input.maxReplicas > rate;
    const ceiling = byRate ? rate : input.maxReplicas;
    if (stabilized > ceiling) {
      limited = byRate
        ? { replicas: ceiling, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: ceiling, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (stabilized < input.currentReplicas) {
    const rate = Math.min(scaleLimit('down', input, down), input.currentReplicas);
    const byRate = input.minReplicas < rate;
    const floor = byRate ? rate : input.minReplicas;
    if (stabilized < floor) {
      limited = byRate
        ? { replicas: floor, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: floor, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  if (!limited) return { replicas: stabilized, ableToScale, scalingLimited: withinRange };
  return { replicas: limited.replicas, ableToScale, scalingLimited: { status: 'True', reason: limited.reason, message: limited.message } };
}

function legacy(input: NormalizeInput): NormalizeResult {
  const cutoff = input.now - input.downscaleStabilizationWindowMs;
  let stabilized = input.desiredReplicas;
  for (const r of input.history.recommendations) if (r.timestamp >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
  record(input.history, input.desiredReplicas, input.now, cutoff);
  const ableToScale: Reasoned = stabilized === input.desiredReplicas ? readyForNewScale
    : { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  const rate = Math.max(2 * input.currentReplicas, 4);
  const byRate = input.maxReplicas > rate;
  const ceiling = byRate ? rate : input.maxReplicas;
  let result: { replicas: number; reason: string; message: string } | undefined;
  if (stabilized < input.minReplicas) {
    result = { replicas: input.minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  } else if (stabilized > ceiling) {
    result = byRate
      ? { replicas: ceiling, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
      : { replicas: ceiling, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  }
  if (!result) return { replicas: stabilized, ableToScale, scalingLimited: withinRange };
  return { replicas: result.replicas, ableToScale, scalingLimited: { status: 'True', reason: result.reason, message: result.message } };
}

/** The size to set now; appends this sync's raw recommendation to input.history. */
export function normalizeDesiredReplicas(input: NormalizeInput): NormalizeResult {
  return input.behavior ? withBehavior(input, input.behavior) : legacy(input);
}

/** Remembers a rescale for the rate policies, dropping events older than the longest policy period. */
export function storeScaleEvent(history: ScalingHistory, args: { previous: number; next: number; now: number; behavior?: Behavior }): void {
  if (!args.behavior) return;
  const direction = args.next > args.previous ? 'up' : 'down';
  const rules = args.behavior[direction === 'up' ? 'scaleUp' : 'scaleDown'];
  const longest = Math.max(0, ...(defaultedRules(direction, rules, 0).policies.map((p) => p.periodSeconds)));
  const events = direction === 'up' ? history.scaleUpEvents : history.scaleDownEvents;
  const kept = events.filter((e) => e.timestamp > args.now - longest * 1000);
  kept.push({ replicaChange: Math.abs(args.next - args.previous), timestamp: args.now });
  if (direction === 'up') history.scaleUpEvents = kept; else history.scaleDownEvents = kept;
}
