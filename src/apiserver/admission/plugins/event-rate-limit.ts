// EventRateLimit (upstream plugin/pkg/admission/eventratelimit): token buckets on Event writes, per server,
// namespace, user or source-and-object, configured in the AdmissionConfiguration; over the limit is 429
// `Too many requests: limit reached on type <type> for key <key>`.

import { StatusError } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import { TokenBucketRateLimiter } from '../../../client/rest/rate-limiter.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';

export const eventRateLimitPluginName = 'EventRateLimit';

/** One entry of eventratelimit.admission.k8s.io/v1alpha1 Configuration's limits. */
export interface EventRateLimitSpec {
  type: 'Server' | 'Namespace' | 'User' | 'SourceAndObject';
  qps: number;
  burst: number;
  /** Buckets kept for the keyed types (least recently used go first); default 4096. */
  cacheSize?: number;
}

/** The key of the bucket a write draws from, per limit type. */
function keyOf(type: EventRateLimitSpec['type'], attrs: AdmissionAttributes): string {
  switch (type) {
    case 'Server':
      return '';
    case 'Namespace':
      return attrs.namespace;
    case 'User':
      return attrs.user.name;
    default: {
      const e = (attrs.object ?? {}) as { source?: { component?: string; host?: string }; involvedObject?: Record<string, string>; reportingController?: string; regarding?: Record<string, string> };
      const o = e.involvedObject ?? e.regarding ?? {};
      return [e.source?.component ?? e.reportingController ?? '', e.source?.host ?? '', o.kind, o.namespace, o.name, o.uid, o.apiVersion].join('');
    }
  }
}

export function newEventRateLimit(opts: { limits: readonly EventRateLimitSpec[]; clock?: Clock }): AdmissionPlugin {
  const enforcers = opts.limits.map((l) => ({ spec: l, buckets: new Map<string, TokenBucketRateLimiter>() }));
  function bucket(e: (typeof enforcers)[number], key: string): TokenBucketRateLimiter {
    let b = e.buckets.get(key);
    if (b) {
      // Re-insert: Map order is the recency order.
      e.buckets.delete(key);
    } else {
      b = new TokenBucketRateLimiter({ qps: e.spec.qps, burst: e.spec.burst, clock: opts.clock });
      const capacity = e.spec.cacheSize ?? 4096;
      if (e.buckets.size >= capacity) e.buckets.delete(e.buckets.keys().next().value as string);
    }
    e.buckets.set(key, b);
    return b;
  }
  return {
    name: eventRateLimitPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      if (attrs.kind.kind !== 'Event' || (attrs.kind.group !== '' && attrs.kind.group !== 'events.k8s.io')) return;
      for (const e of enforcers) {
        const key = keyOf(e.spec.type, attrs);
        if (!bucket(e, key).tryAccept()) {
          throw new StatusError({ code: 429, reason: 'TooManyRequests', message: `Too many requests: limit reached on type ${e.spec.type} for key ${key}` });
        }
      }
    },
  };
}
