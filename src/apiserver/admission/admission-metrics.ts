// Admission metrics (upstream k8s.io/apiserver/pkg/admission/metrics), with upstream's names, labels and buckets
// so dashboards and alerts written for kube-apiserver read them unchanged:
//   apiserver_admission_step_admission_duration_seconds{type,operation,rejected}       the whole admit or validate step
//   apiserver_admission_controller_admission_duration_seconds{name,type,operation,rejected}   each in-tree plugin
//   apiserver_admission_webhook_admission_duration_seconds{name,type,operation,rejected}      each webhook call
//   apiserver_admission_webhook_request_total{name,type,operation,code,rejected}
//   apiserver_admission_webhook_rejection_count{name,type,operation,error_type,rejection_code}
//   apiserver_admission_webhook_fail_open_count{name,type}
//   apiserver_admission_match_condition_exclusions_total{name,kind,type,operation}
//   apiserver_admission_match_condition_evaluation_errors_total{name,kind,type,operation}
//   apiserver_admission_match_condition_evaluation_seconds{name,kind,type,operation}
//   apiserver_validating_admission_policy_check_total{policy,policy_binding,enforcement_action,error_type}
//   apiserver_validating_admission_policy_check_duration_seconds{…the same}                 each policy × binding
// `type` is admit/validate for steps and plugins, and admit/validating for webhooks, as upstream labels them.

import { Counter, type Registry } from 'prom-client';
import { LabelledHistogram } from '../metrics/labelled-histogram.js';

export type StepType = 'admit' | 'validate';
export type WebhookType = 'admit' | 'validating';
/** Why a webhook refused a write: it said no, it could not be called, or the apiserver failed around it. */
export type WebhookRejectionErrorType = 'no_error' | 'calling_webhook_error' | 'apiserver_internal_error';

/** What admission reports; every method is cheap, synchronous and never throws. */
export interface AdmissionMetrics {
  step(type: StepType, operation: string, rejected: boolean, seconds: number): void;
  controller(name: string, type: StepType, operation: string, rejected: boolean, seconds: number): void;
  /** One webhook call; `code` is the HTTP status upstream reports (200, the refusal's code, or 0). */
  webhook(name: string, type: WebhookType, operation: string, rejected: boolean, code: number, seconds: number): void;
  webhookRejection(name: string, type: WebhookType, operation: string, errorType: WebhookRejectionErrorType, code: number): void;
  webhookFailOpen(name: string, type: WebhookType): void;
  matchConditionExclusion(name: string, kind: 'webhook' | 'policy', type: WebhookType, operation: string): void;
  /** A webhook's or policy's matchConditions were evaluated (errored: one of them failed to evaluate). */
  matchConditionEvaluation(name: string, kind: 'webhook' | 'policy', type: WebhookType, operation: string, errored: boolean, seconds: number): void;
  /**
   * One ValidatingAdmissionPolicy evaluated under one binding: `action` is allow when nothing failed, else each
   * validation action the binding took (deny, warn, audit); `errorType` invalid_error when evaluation failed.
   */
  policyCheck(policy: string, binding: string, action: 'allow' | 'deny' | 'warn' | 'audit', errorType: 'no_error' | 'invalid_error', seconds: number): void;
}

export const discardAdmissionMetrics: AdmissionMetrics = {
  step() {},
  controller() {},
  webhook() {},
  webhookRejection() {},
  webhookFailOpen() {},
  matchConditionExclusion() {},
  matchConditionEvaluation() {},
  policyCheck() {},
};

const pluginBuckets = [0.005, 0.025, 0.1, 0.5, 1.0, 2.5];
const webhookBuckets = [0.005, 0.025, 0.1, 0.5, 1.0, 2.5, 10, 25];
/** Upstream truncates codes above 600 to keep the label's cardinality bounded. */
const codeLabel = (code: number) => String(Math.min(code, 600));

/** The admission metrics on `registry` (one per apiserver). */
export function prometheusAdmissionMetrics(registry: Registry): AdmissionMetrics {
  const registers = [registry];
  const step = new LabelledHistogram({
    name: 'apiserver_admission_step_admission_duration_seconds',
    help: 'Admission sub-step latency histogram in seconds, by operation and step type (validate or admit).',
    labelNames: ['type', 'operation', 'rejected'],
    buckets: pluginBuckets,
    registry,
  });
  const controller = new LabelledHistogram({
    name: 'apiserver_admission_controller_admission_duration_seconds',
    help: 'Admission controller latency histogram in seconds, by admission plugin name, operation and type (validate or admit).',
    labelNames: ['name', 'type', 'operation', 'rejected'],
    buckets: pluginBuckets,
    registry,
  });
  const webhook = new LabelledHistogram({
    name: 'apiserver_admission_webhook_admission_duration_seconds',
    help: 'Admission webhook latency histogram in seconds, by webhook name, operation and type (validating or admit).',
    labelNames: ['name', 'type', 'operation', 'rejected'],
    buckets: webhookBuckets,
    registry,
  });
  const webhookRequests = new Counter({
    name: 'apiserver_admission_webhook_request_total',
    help: 'Admission webhook requests by webhook name, type, operation, HTTP code and whether the write was rejected.',
    labelNames: ['name', 'type', 'operation', 'code', 'rejected'],
    registers,
  });
  const webhookRejections = new Counter({
    name: 'apiserver_admission_webhook_rejection_count',
    help: 'Admission webhook rejections by webhook name, type, operation, error type and rejection code.',
    labelNames: ['name', 'type', 'operation', 'error_type', 'rejection_code'],
    registers,
  });
  const webhookFailOpen = new Counter({
    name: 'apiserver_admission_webhook_fail_open_count',
    help: 'Webhook calls that failed and were ignored (failurePolicy Ignore), by webhook name and type.',
    labelNames: ['name', 'type'],
    registers,
  });
  const exclusions = new Counter({
    name: 'apiserver_admission_match_condition_exclusions_total',
    help: 'Webhooks and policies not called because a matchCondition was false, by name, kind, type and operation.',
    labelNames: ['name', 'kind', 'type', 'operation'],
    registers,
  });
  const conditionErrors = new Counter({
    name: 'apiserver_admission_match_condition_evaluation_errors_total',
    help: 'Admission match condition evaluation errors count, by name, kind (webhook or policy), type and operation.',
    labelNames: ['name', 'kind', 'type', 'operation'],
    registers,
  });
  const conditionSeconds = new LabelledHistogram({
    name: 'apiserver_admission_match_condition_evaluation_seconds',
    help: 'Admission match condition evaluation time in seconds, by name, kind (webhook or policy), type and operation.',
    labelNames: ['name', 'kind', 'type', 'operation'],
    buckets: pluginBuckets,
    registry,
  });
  const policyChecks = new Counter({
    name: 'apiserver_validating_admission_policy_check_total',
    help: 'Validation admission policy check total, labeled by policy and further identified by binding and enforcement action taken.',
    labelNames: ['policy', 'policy_binding', 'enforcement_action', 'error_type'],
    registers,
  });
  const policyLatency = new LabelledHistogram({
    name: 'apiserver_validating_admission_policy_check_duration_seconds',
    help: 'Validation admission latency for individual validation expressions in seconds, labeled by policy and further including binding and enforcement action taken.',
    labelNames: ['policy', 'policy_binding', 'enforcement_action', 'error_type'],
    buckets: [0.0000005, 0.001, 0.01, 0.1, 1.0],
    registry,
  });
  return {
    matchConditionEvaluation(name, kind, type, operation, errored, seconds) {
      conditionSeconds.with(name, kind, type, operation).observe(seconds);
      if (errored) conditionErrors.labels(name, kind, type, operation).inc();
    },
    policyCheck(policy, binding, action, errorType, seconds) {
      policyChecks.labels(policy, binding, action, errorType).inc();
      policyLatency.with(policy, binding, action, errorType).observe(seconds);
    },
    step: (type, operation, rejected, seconds) => step.with(type, operation, String(rejected)).observe(seconds),
    controller: (name, type, operation, rejected, seconds) => controller.with(name, type, operation, String(rejected)).observe(seconds),
    webhook(name, type, operation, rejected, code, seconds) {
      webhookRequests.labels(name, type, operation, codeLabel(code), String(rejected)).inc();
      webhook.with(name, type, operation, String(rejected)).observe(seconds);
    },
    webhookRejection: (name, type, operation, errorType, code) => webhookRejections.labels(name, type, operation, errorType, codeLabel(code)).inc(),
    webhookFailOpen: (name, type) => webhookFailOpen.labels(name, type).inc(),
    matchConditionExclusion: (name, kind, type, operation) => exclusions.labels(name, kind, type, operation).inc(),
  };
}
