// Conversion webhook metrics (upstream apiextensions-apiserver pkg/apiserver/conversion/metrics.go), with
// upstream's names, labels and buckets:
//   apiserver_conversion_webhook_request_total{result,failure_type}
//   apiserver_conversion_webhook_duration_seconds{result,failure_type}
//   apiserver_crd_conversion_webhook_duration_seconds{crd_name,from_version,to_version,succeeded}
// result is success or failure; failure_type is "" on success, else one of upstream's ConversionWebhookErrorTypes.

import { Counter, Histogram, type Registry } from 'prom-client';

export type ConversionFailureType =
  | 'conversion_webhook_call_failure'
  | 'conversion_webhook_malformed_response_failure'
  | 'conversion_webhook_partial_response_failure'
  | 'conversion_webhook_invalid_converted_object_failure'
  | 'conversion_webhook_no_objects_returned_failure';

/** What a conversion webhook call reports; cheap, synchronous, never throws. */
export interface ConversionMetrics {
  /** One ConversionReview round trip and how it ended (failureType absent: success). */
  webhookCall(seconds: number, failureType?: ConversionFailureType): void;
  /** One conversion of a CRD's objects from one version to another, as the per-CRD histogram counts it. */
  crdConversion(crdName: string, fromVersion: string, toVersion: string, succeeded: boolean, seconds: number): void;
}

export const discardConversionMetrics: ConversionMetrics = { webhookCall() {}, crdConversion() {} };

/** Go's ExponentialBuckets(0.001, 2, 15): 1 ms doubling to about 16 s. */
const crdBuckets = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);
const webhookBuckets = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45, 60];

/** The conversion metrics on `registry` (one per apiserver). */
export function prometheusConversionMetrics(registry: Registry): ConversionMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: 'apiserver_conversion_webhook_request_total',
    help: 'Counter for conversion webhook requests with success/failure and failure error type',
    labelNames: ['result', 'failure_type'],
    registers,
  });
  const latency = new Histogram({
    name: 'apiserver_conversion_webhook_duration_seconds',
    help: 'Conversion webhook request latency',
    labelNames: ['result', 'failure_type'],
    buckets: webhookBuckets,
    registers,
  });
  const perCRD = new Histogram({
    name: 'apiserver_crd_conversion_webhook_duration_seconds',
    help: 'CRD webhook conversion duration in seconds',
    labelNames: ['crd_name', 'from_version', 'to_version', 'succeeded'],
    buckets: crdBuckets,
    registers,
  });
  return {
    webhookCall(seconds, failureType) {
      const labels = { result: failureType ? 'failure' : 'success', failure_type: failureType ?? '' };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    crdConversion: (crdName, fromVersion, toVersion, succeeded, seconds) =>
      perCRD.observe({ crd_name: crdName, from_version: fromVersion, to_version: toVersion, succeeded: String(succeeded) }, seconds),
  };
}
