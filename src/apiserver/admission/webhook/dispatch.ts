// One webhook call as both webhook plugins make it (upstream generic/webhook.go and the dispatchers): match,
// dry-run rule, AdmissionReview round trip, and the outcome as a value — allowed (with the response),
// rejected (the client's Status), or a calling failure that failurePolicy turns into an error or nothing.

import https from 'node:https';
import { newBadRequest, newInternalError, StatusError, type StatusReason } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import { klog } from '../../../base/logger.js';
import type { Authorizer } from '../../authorization/interface.js';
import type { AdmissionMetrics } from '../admission-metrics.js';
import { requestAuthorizer } from '../cel-authorizer.js';
import type { AdmissionAttributes } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { CallingWebhookError, postJSON, resolveTarget } from './client.js';
import { evaluateMatchConditions } from './match-conditions.js';
import { shouldCallHook, type Webhook } from './matching.js';
import { newAdmissionReview, reviewVersion, verifyAdmissionResponse, type AdmissionReviewResponse } from './review.js';

const log = klog.withName('webhook');

/** Upstream's default timeoutSeconds. */
export const defaultTimeoutSeconds = 10;

/** What the webhook plugins share: how to read objects (namespaces, services, endpoints) and how to call out. */
export interface WebhookDispatcherOptions {
  reader: ObjectReader;
  /** Where each call's latency and outcome is reported (apiserver_admission_webhook_*). */
  metrics?: AdmissionMetrics;
  /** Answers the `authorizer` of matchConditions; absent: every check is noOpinion. */
  authorizer?: Authorizer;
  /** Aborts calls in flight when the server stops; also closes the connection pool. */
  signal?: AbortSignal;
  clock?: Clock;
}

export type CallOutcome =
  | { kind: 'skipped'; excludedByCondition?: boolean }
  | { kind: 'allowed'; response: AdmissionReviewResponse }
  | { kind: 'rejected'; error: StatusError }
  | { kind: 'failed'; error: CallingWebhookError };

/** upstream webhookerrors.ToStatusErr: a webhook's refusal as the client sees it. */
export function toStatusError(webhookName: string, result: AdmissionReviewResponse['result']): StatusError {
  const deniedBy = `admission webhook "${webhookName}" denied the request`;
  const r = result ?? {};
  const message = r.message ? `${deniedBy}: ${r.message}` : r.reason ? `${deniedBy}: ${r.reason}` : `${deniedBy} without explanation`;
  const code = typeof r.code === 'number' && r.code >= 400 ? r.code : 400;
  return new StatusError({ code, reason: (r.reason ?? '') as StatusReason, message, details: r.details as StatusError['status']['details'] });
}

/** The error a failing call becomes under failurePolicy Fail (the default); undefined under Ignore. */
export function failurePolicyError(hook: Webhook, err: CallingWebhookError): StatusError | undefined {
  if (hook.failurePolicy === 'Ignore') {
    log.warning('Failed calling webhook, failing open', { webhook: hook.name, err: err.message });
    return undefined;
  }
  log.warning('Failed calling webhook, failing closed', { webhook: hook.name, err: err.message });
  return newInternalError(err);
}

export class WebhookDispatcher {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 32 });

  constructor(private readonly opts: WebhookDispatcherOptions) {
    opts.signal?.addEventListener('abort', () => this.agent.destroy(), { once: true });
  }

  /**
   * Calls `hook` for the write when it applies, and reports the call as upstream's dispatchers do. Throws only
   * for the dry-run rule (400) and bugs.
   */
  async call(hook: Webhook, attrs: AdmissionAttributes, mutating: boolean): Promise<CallOutcome> {
    const start = performance.now();
    const outcome = await this.callOnce(hook, attrs, mutating);
    const seconds = (performance.now() - start) / 1000;
    // The request's SLI latency leaves webhook calls out (their time is the webhook's, not the apiserver's).
    if (outcome.kind !== 'skipped' && attrs.excludedLatency) attrs.excludedLatency.seconds += seconds;
    const metrics = this.opts.metrics;
    if (!metrics) return outcome;
    const type = mutating ? 'admit' : 'validating';
    switch (outcome.kind) {
      case 'skipped':
        if (outcome.excludedByCondition) metrics.matchConditionExclusion(hook.name, 'webhook', type, attrs.operation);
        break;
      case 'allowed':
        metrics.webhook(hook.name, type, attrs.operation, false, 200, seconds);
        break;
      case 'rejected':
        metrics.webhookRejection(hook.name, type, attrs.operation, 'no_error', outcome.error.status.code ?? 0);
        metrics.webhook(hook.name, type, attrs.operation, true, outcome.error.status.code ?? 0, seconds);
        break;
      case 'failed': {
        // A failed call refuses the write unless failurePolicy is Ignore (it then fails open).
        const rejected = hook.failurePolicy !== 'Ignore';
        if (rejected) metrics.webhookRejection(hook.name, type, attrs.operation, 'calling_webhook_error', 0);
        else metrics.webhookFailOpen(hook.name, type);
        metrics.webhook(hook.name, type, attrs.operation, rejected, 0, seconds);
        break;
      }
    }
    return outcome;
  }

  private async callOnce(hook: Webhook, attrs: AdmissionAttributes, mutating: boolean): Promise<CallOutcome> {
    if (!(await shouldCallHook(hook, attrs, this.opts.reader))) return { kind: 'skipped' };
    let conditions: ReturnType<typeof evaluateMatchConditions> = { matches: true };
    if (hook.matchConditions?.length) {
      const authz = requestAuthorizer(attrs, this.opts.authorizer);
      const started = performance.now();
      conditions = await authz.withAuthorizations(() => evaluateMatchConditions(hook, attrs, authz.value));
      this.opts.metrics?.matchConditionEvaluation(hook.name, 'webhook', mutating ? 'admit' : 'validating', attrs.operation, 'error' in conditions, (performance.now() - started) / 1000);
    }
    if ('error' in conditions) {
      // Ignore skips the webhook; Fail refuses the write without calling it.
      return hook.failurePolicy === 'Ignore' ? { kind: 'skipped' } : { kind: 'failed', error: new CallingWebhookError(hook.name, conditions.error) };
    }
    if (!conditions.matches) return { kind: 'skipped', excludedByCondition: true };
    if (attrs.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw newBadRequest(`admission webhook "${hook.name}" does not support dry run`);
    }
    const fail = (reason: string): CallOutcome => ({ kind: 'failed', error: new CallingWebhookError(hook.name, reason) });
    let version: string;
    try {
      version = reviewVersion(hook.admissionReviewVersions);
    } catch (err) {
      return fail(`could not create admission objects: ${(err as Error).message}`);
    }
    const { uid, body } = newAdmissionReview(attrs, version);
    const timeoutSeconds = hook.timeoutSeconds ?? defaultTimeoutSeconds;
    let reply: unknown;
    try {
      const target = await resolveTarget(hook.clientConfig, timeoutSeconds, this.opts.reader);
      const ca = hook.clientConfig.caBundle ? Buffer.from(hook.clientConfig.caBundle, 'base64').toString('utf8') : undefined;
      reply = await postJSON({ target, ca, body, timeoutMs: timeoutSeconds * 1000, agent: this.agent, signal: this.opts.signal, clock: this.opts.clock });
    } catch (err) {
      return fail(`failed to call webhook: ${(err as Error).message}`);
    }
    let response: AdmissionReviewResponse;
    try {
      response = verifyAdmissionResponse({ uid, version, mutating, review: reply });
    } catch (err) {
      return fail(`received invalid webhook response: ${(err as Error).message}`);
    }
    for (const w of response.warnings ?? []) {
      const text = sanitizeWarning(w);
      if (text) attrs.addWarning?.(text);
    }
    if (!response.allowed) return { kind: 'rejected', error: toStatusError(hook.name, response.result) };
    return { kind: 'allowed', response };
  }
}

/** Warnings are single printable lines of bounded length (upstream warning.sanitize). */
function sanitizeWarning(w: unknown): string {
  if (typeof w !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const text = w.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return text.length > 4096 ? text.slice(0, 4096) : text;
}
