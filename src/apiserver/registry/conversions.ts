// Resources served in one version and stored in another: core/v1 Events store events.k8s.io/v1 Events,
// autoscaling/v2 HPAs store autoscaling/v1 ones. The REST core calls conversionFor when it builds the
// registry of a served version whose storage version differs.

import type { APIObject } from './strategy.js';
import { coreToEventsV1, eventsV1ToCore } from './events/convert.js';
import { hpaV1ToV2, hpaV2ToV1 } from './horizontalpodautoscalers/convert.js';

/** The shape the REST core's GenericRegistry takes (registry/generic/registry.ts VersionConversion). */
export interface VersionConversion {
  toStorage(objs: APIObject[]): Promise<APIObject[]>;
  fromStorage(objs: APIObject[]): Promise<APIObject[]>;
}

/** A conversion made of two pure per-object functions (the built-in ones never fail or call out). */
function perObject(to: (o: APIObject) => APIObject, from: (o: APIObject) => APIObject): VersionConversion {
  return {
    toStorage: (objs) => Promise.resolve(objs.map(to)),
    fromStorage: (objs) => Promise.resolve(objs.map(from)),
  };
}

interface GroupVersionResource {
  group: string;
  version: string;
  plural: string;
}

const conversions: Array<{ served: GroupVersionResource; stored: GroupVersionResource; conversion: VersionConversion }> = [
  {
    served: { group: 'events.k8s.io', version: 'v1', plural: 'events' },
    stored: { group: '', version: 'v1', plural: 'events' },
    conversion: perObject(eventsV1ToCore, coreToEventsV1),
  },
  {
    served: { group: 'autoscaling', version: 'v1', plural: 'horizontalpodautoscalers' },
    stored: { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers' },
    conversion: perObject(hpaV1ToV2, hpaV2ToV1),
  },
];

const same = (a: GroupVersionResource, b: GroupVersionResource): boolean =>
  a.group === b.group && a.version === b.version && a.plural === b.plural;

/** The conversion from `served` to `stored`, or undefined when k8ts knows none (then they must be equal). */
export function conversionFor(served: GroupVersionResource, stored: GroupVersionResource): VersionConversion | undefined {
  return conversions.find((c) => same(c.served, served) && same(c.stored, stored))?.conversion;
}
