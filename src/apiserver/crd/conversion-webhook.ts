// A CRD's conversion webhook (upstream apiextensions-apiserver pkg/apiserver/conversion/webhook_converter.go):
// objects that are not in the desired version go to the webhook in one ConversionReview; what comes back is
// checked (uid, count, group/version, kind, name, namespace, uid of each object) and only the converted
// objects' labels and annotations may differ from the originals' metadata. Failures keep upstream's wording,
// which users see as `Error from server: conversion webhook for <group>/<version>, Kind=<kind> failed: …`.

import { randomUUID } from 'node:crypto';
import type https from 'node:https';
import type { Clock } from '../../base/clock.js';
import { StatusError } from '../../apimachinery/errors.js';
import type { FieldError } from '../../apimachinery/field-error.js';
import { validateAnnotations, validateLabels } from '../../apimachinery/validation/object-meta.js';
import { postJSON, resolveTarget } from '../admission/webhook/client.js';
import type { ObjectReader } from '../admission/object-reader.js';
import type { APIObject, ObjectMeta } from '../registry/strategy.js';
import type { ConversionFailureType, ConversionMetrics } from './conversion-metrics.js';
import type { CustomResourceConversion } from '../../api/generated/apiextensions/v1.js';

/** Converts custom resources to a version of their CRD. */
export interface CustomResourceConverter {
  /**
   * `objs` in `desiredAPIVersion` (group/version), in order and of the same length. Objects already in that
   * version are returned as they are. Throws a StatusError (500) when the conversion fails.
   */
  convert(objs: APIObject[], desiredAPIVersion: string): Promise<APIObject[]>;
}

/** Upstream's conversion webhook timeout (not configurable on the CRD). */
export const conversionWebhookTimeoutSeconds = 30;

/** The ConversionReview versions k8ts speaks, in no particular order: the CRD's list decides. */
const knownReviewVersions = ['v1', 'v1beta1'];

export interface WebhookConverterOptions {
  /** The CRD's spec.conversion with strategy Webhook. */
  conversion: CustomResourceConversion;
  /** Services and Endpoints, to find a service reference's address. */
  reader: ObjectReader;
  /** Default: upstream's 30 s. Tests shorten it. */
  timeoutSeconds?: number;
  clock?: Clock;
  agent?: https.Agent;
  /** Aborts calls in flight when the server stops. */
  signal?: AbortSignal;
  /** Where each call is reported (apiserver_conversion_webhook_*, apiserver_crd_conversion_webhook_duration_seconds). */
  metrics?: ConversionMetrics;
  /** The CRD's name, for the per-CRD histogram. */
  crdName?: string;
}

/** Go's rendering of a GroupVersionKind (`stable.example.com/v1, Kind=CronTab`), as upstream's messages print it. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  return `${av.includes('/') ? av : `/${av}`}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/** The error a client gets: 500 with the message alone, as upstream's handlers report a plain error. */
function conversionError(message: string): StatusError {
  return new StatusError({ code: 500, reason: '', message });
}

/** An object with nothing but apiVersion and kind converts by itself (upstream's isEmptyUnstructuredObject). */
function isEmptyObject(obj: APIObject): boolean {
  const keys = Object.keys(obj);
  return keys.length === 2 && 'apiVersion' in obj && 'kind' in obj;
}

/** Go's field.ErrorList.ToAggregate() text. */
function aggregate(errs: FieldError[]): string {
  const list = errs.map((e) => `${e.field}: ${e.detail}`);
  return list.length === 1 ? list[0] : `[${list.join(', ')}]`;
}

/** Upstream's validateConvertedObject: the webhook may not change identity. Returns the problem, if any. */
function identityChange(original: APIObject, converted: APIObject): string | undefined {
  const a = original.metadata ?? {};
  const b = (converted.metadata ?? {}) as ObjectMeta;
  if (original.kind !== converted.kind) return `must have the same kind: ${String(original.kind ?? '')} != ${String(converted.kind ?? '')}`;
  if ((a.name ?? '') !== (b.name ?? '')) return `must have the same name: ${a.name ?? ''} != ${b.name ?? ''}`;
  if ((a.namespace ?? '') !== (b.namespace ?? '')) return `must have the same namespace: ${a.namespace ?? ''} != ${b.namespace ?? ''}`;
  if ((a.uid ?? '') !== (b.uid ?? '')) return `must have the same UID: ${a.uid ?? ''} != ${b.uid ?? ''}`;
  return undefined;
}

/**
 * Upstream's restoreObjectMeta: the converted object gets the original's metadata, except labels and
 * annotations, which are taken from the webhook's answer (and validated when they changed). Returns the
 * problem, if any.
 */
function restoreObjectMeta(original: APIObject, converted: APIObject): string | undefined {
  const answered = (converted as { metadata?: unknown }).metadata;
  if (answered === undefined) return 'missing metadata in converted object';
  if (answered === null || typeof answered !== 'object' || Array.isArray(answered)) return `invalid metadata of type ${goType(answered)} in converted object`;
  const fromHook = answered as Record<string, unknown>;
  const meta: Record<string, unknown> = structuredClone((original.metadata ?? {}) as Record<string, unknown>);
  for (const field of ['labels', 'annotations'] as const) {
    const value = fromHook[field];
    if (value === undefined || value === null) {
      delete meta[field];
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return `invalid metadata.${field} of type ${goType(value)} in converted object`;
    const before = (meta[field] ?? {}) as Record<string, unknown>;
    const after = value as Record<string, unknown>;
    let changed = Object.keys(before).length !== Object.keys(after).length;
    for (const [k, v] of Object.entries(after)) {
      if (typeof v !== 'string') return `metadata.${field}[${k}] must be a string, but is ${goType(v)} in converted object`;
      if (before[k] !== v) changed = true;
    }
    if (changed) {
      const errs = field === 'labels' ? validateLabels(after as Record<string, string>, 'metadata.labels') : validateAnnotations(after as Record<string, string>, 'metadata.annotation');
      if (errs.length > 0) return aggregate(errs);
    }
    meta[field] = after;
  }
  converted.metadata = meta as ObjectMeta;
  return undefined;
}

/** Go's %T of a decoded JSON value, for upstream's type messages. */
function goType(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    default:
      return 'map[string]interface {}';
  }
}

interface ReviewResponse {
  uid?: string;
  convertedObjects?: unknown[];
  result?: { status?: string; message?: string };
}

/** Upstream's getConvertedObjectsFromResponse: the converted objects, or the problem as a string. */
function convertedObjectsOf(reviewVersion: string, uid: string, review: unknown): unknown[] | string {
  const r = (review ?? {}) as { apiVersion?: unknown; kind?: unknown; response?: ReviewResponse | null };
  if (reviewVersion === 'v1') {
    const want = 'apiextensions.k8s.io/v1, Kind=ConversionReview';
    const got = gvkString(r.apiVersion, r.kind);
    if (got !== want) return `expected webhook response of ${want}, got ${got}`;
  }
  const response = r.response;
  if (!response) return 'no response provided';
  if (reviewVersion === 'v1' && (response.uid ?? '') !== uid) return `expected response.uid="${uid}", got "${response.uid ?? ''}"`;
  const status = response.result?.status ?? '';
  if (status !== 'Success') return response.result?.message || `response.result.status was '${status}', not 'Success'`;
  return response.convertedObjects ?? [];
}

/** A converter that calls the CRD's conversion webhook. */
export function newWebhookConverter(opts: WebhookConverterOptions): CustomResourceConverter {
  const hook = opts.conversion.webhook;
  const timeoutSeconds = opts.timeoutSeconds ?? conversionWebhookTimeoutSeconds;
  const caBundle = hook?.clientConfig?.caBundle ? Buffer.from(hook.clientConfig.caBundle, 'base64').toString('utf8') : '';
  const ca = caBundle.trim() === '' ? undefined : caBundle;
  const reviewVersion = (hook?.conversionReviewVersions ?? []).find((v) => knownReviewVersions.includes(v));

  return {
    async convert(objs, desiredAPIVersion) {
      const out = objs.slice();
      const pending: number[] = [];
      objs.forEach((obj, i) => {
        if (obj.apiVersion === desiredAPIVersion) return;
        if (isEmptyObject(obj)) out[i] = { ...obj, apiVersion: desiredAPIVersion };
        else pending.push(i);
      });
      if (pending.length === 0) return out;
      if (!reviewVersion || !hook?.clientConfig) throw conversionError('no supported conversion review versions');

      const first = objs[pending[0]];
      const what = gvkString(first.apiVersion, first.kind);
      const start = performance.now();
      const versionOf = (apiVersion: unknown) => (typeof apiVersion === 'string' ? apiVersion.slice(apiVersion.indexOf('/') + 1) : '');
      /** Reports the call (as upstream: the round trip by outcome, and the CRD's from→to conversion). */
      const report = (failureType?: ConversionFailureType) => {
        const seconds = (performance.now() - start) / 1000;
        opts.metrics?.webhookCall(seconds, failureType);
        opts.metrics?.crdConversion(opts.crdName ?? '', versionOf(first.apiVersion), versionOf(desiredAPIVersion), !failureType, seconds);
      };
      /** A refusal of the conversion: reported with its failure type, then thrown by the caller. */
      const refuse = (failureType: ConversionFailureType, err: StatusError) => {
        report(failureType);
        return err;
      };
      const failed = (detail: string) => conversionError(`conversion webhook for ${what} failed: ${detail}`);
      const uid = randomUUID();
      const body = JSON.stringify({
        kind: 'ConversionReview',
        apiVersion: `apiextensions.k8s.io/${reviewVersion}`,
        request: { uid, desiredAPIVersion, objects: pending.map((i) => objs[i]) },
      });

      let review: unknown;
      try {
        const target = await resolveTarget(hook.clientConfig, timeoutSeconds, opts.reader);
        review = await postJSON({ target, ca, body, timeoutMs: timeoutSeconds * 1000, agent: opts.agent, clock: opts.clock, signal: opts.signal });
      } catch (err) {
        throw refuse('conversion_webhook_call_failure', failed((err as Error).message));
      }
      const converted = convertedObjectsOf(reviewVersion, uid, review);
      if (typeof converted === 'string') throw refuse('conversion_webhook_malformed_response_failure', failed(converted));
      if (converted.length !== pending.length) {
        throw refuse('conversion_webhook_partial_response_failure', conversionError(`conversion webhook for ${what} returned ${converted.length} objects, expected ${pending.length}`));
      }
      const invalid = (message: string) => refuse('conversion_webhook_invalid_converted_object_failure', conversionError(message));

      // One object: upstream's single-object messages; several: its list messages, with the index.
      const single = pending.length === 1;
      for (let n = 0; n < pending.length; n++) {
        const original = objs[pending[n]];
        const raw = converted[n];
        const atIndex = single ? `conversion webhook for ${what} returned invalid object at index 0` : `conversion webhook for ${what} returned invalid converted object at index ${n}`;
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
          throw invalid(`${atIndex}: json: cannot unmarshal ${Array.isArray(raw) ? 'array' : raw === null ? 'null' : typeof raw} into Go value of type map[string]interface {}`);
        }
        const obj = raw as APIObject;
        if (obj.apiVersion !== desiredAPIVersion) {
          throw invalid(`${atIndex}: invalid groupVersion (expected ${desiredAPIVersion}, received ${typeof obj.apiVersion === 'string' ? obj.apiVersion : ''})`);
        }
        if (obj.kind !== original.kind) {
          throw invalid(`${atIndex}: invalid kind (expected ${String(original.kind ?? '')}, received ${typeof obj.kind === 'string' ? obj.kind : ''})`);
        }
        const identity = identityChange(original, obj);
        if (identity) throw invalid(single ? `conversion webhook for ${what} returned invalid object: ${identity}` : `${atIndex}: ${identity}`);
        const metaProblem = restoreObjectMeta(original, obj);
        if (metaProblem) {
          throw invalid(
            single ? `conversion webhook for ${what} returned invalid metadata: ${metaProblem}` : `conversion webhook for ${what} returned invalid metadata in object at index ${n}: ${metaProblem}`,
          );
        }
        out[pending[n]] = obj;
      }
      report();
      return out;
    },
  };
}
