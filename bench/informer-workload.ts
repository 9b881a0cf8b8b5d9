// Shared by the informer benchmarks: realistic Pod-sized objects and a ListerWatcher that hands out fresh
// JSON-decoded copies, as the REST client does, so cache memory is not shared with the "server".
import { Backoff } from '../src/base/backoff.js';
import { newLogger } from '../src/base/logger.js';
import type { ListerWatcher } from '../src/client/cache/interface.js';
import { FakeListerWatcher } from '../src/client/cache/fake-lister-watcher.js';
import { SharedIndexInformer } from '../src/client/cache/shared-informer.js';
import { namespaceIndexers } from '../src/client/cache/store.js';
import type { KubeList, KubeObject, WatchEvent } from '../src/client/rest/interface.js';

/** A Pod as a controller would see it: labels, owner, one container with env and resources, status. */
export function benchPod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d4b9c8f6d-${i.toString(36).padStart(5, '0')}`,
      namespace: `ns-${i % 20}`,
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d', tier: 'frontend' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: 'owner-uid', controller: true, blockOwnerDeletion: true }],
      creationTimestamp: '2026-11-22T08:00:00Z',
    },
    spec: {
      nodeName: `node-${i % 100}`,
      containers: [
        {
          name: 'web',
          image: 'registry.example/web:1.2.3',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'MODE', value: 'production' }, { name: 'INDEX', value: String(i) }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        },
      ],
      restartPolicy: 'Always',
    },
    status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** Wraps a FakeListerWatcher so every list and event is a JSON round trip (fresh objects, like the wire). */
export function wireCopies(inner: FakeListerWatcher): ListerWatcher {
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    list: async (opts) => copy<KubeList>(await inner.list(opts)),
    watch: async (opts) => {
      const events = await inner.watch(opts);
      return (async function* (): AsyncGenerator<WatchEvent> {
        for await (const ev of events) yield copy(ev);
      })();
    },
  };
}

/** The informer both benchmarks measure: wire copies of `server`, the namespace index, no logging. */
export function benchInformer(server: FakeListerWatcher): SharedIndexInformer {
  return new SharedIndexInformer({
    listerWatcher: wireCopies(server),
    indexers: namespaceIndexers(),
    backoff: new Backoff({ initialMs: 0 }),
    logger: newLogger({ write: () => {} }),
  });
}
