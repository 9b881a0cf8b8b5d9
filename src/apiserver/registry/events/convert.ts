// events.k8s.io/v1 Event ↔ core/v1 Event. Both versions share one storage (`/registry/events/…`, stored as
// core/v1, as upstream); these functions map the renamed fields (upstream pkg/apis/events/v1 conversion).

import type { APIObject } from '../strategy.js';

/** events.k8s.io/v1 name → core/v1 name, for the fields that differ. */
const renamed: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: APIObject, pairs: Array<[string, string]>, apiVersion: string): APIObject {
  const out: APIObject = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[map.get(k) ?? k] = v;
  }
  out.apiVersion = apiVersion;
  out.kind = 'Event';
  return out;
}

/** An events.k8s.io/v1 Event as the core/v1 Event that is stored. */
export function eventsV1ToCore(obj: APIObject): APIObject {
  return rename(obj, renamed, 'v1');
}

/** A stored core/v1 Event as served by events.k8s.io/v1. */
export function coreToEventsV1(obj: APIObject): APIObject {
  return rename(obj, renamed.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}
