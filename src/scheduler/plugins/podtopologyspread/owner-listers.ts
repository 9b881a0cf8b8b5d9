// The owners default spreading looks at, read from the scheduler's shared informers (Services,
// ReplicationControllers, ReplicaSets, StatefulSets).
import type { ReplicaSet, StatefulSet } from '../../../api/generated/apps/v1.js';
import type { ReplicationController, Service } from '../../../api/generated/core/v1.js';
import type { SharedInformerFactory } from '../../../client/cache/informer-factory.js';
import type { Typed } from '../../../client/typed.js';
import type { SpreadOwnerListers } from './default-selector.js';

/** Asking creates the informers: call before the factory starts. */
export function informerOwnerListers(f: SharedInformerFactory): SpreadOwnerListers {
  const services = f.forResource<Typed<Service>>({ group: '', version: 'v1', resource: 'services' }).lister;
  const rcs = f.forResource<Typed<ReplicationController>>({ group: '', version: 'v1', resource: 'replicationcontrollers' }).lister;
  const rss = f.forResource<Typed<ReplicaSet>>({ group: 'apps', version: 'v1', resource: 'replicasets' }).lister;
  const sss = f.forResource<Typed<StatefulSet>>({ group: 'apps', version: 'v1', resource: 'statefulsets' }).lister;
  return {
    services: (ns) => services.namespace(ns).list(),
    replicationControllers: (ns) => rcs.namespace(ns).list(),
    replicaSets: (ns) => rss.namespace(ns).list(),
    statefulSets: (ns) => sss.namespace(ns).list(),
  };
}
