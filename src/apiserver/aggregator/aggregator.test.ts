import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { Registries } from '../registry/generic/registries.js';
import type { WatchCacheSet } from '../watchcache/cache-set.js';
import { Aggregator } from './aggregator.js';
import type { AggregatorObjects } from './cached-objects.js';

test('autoregister-completion waits until every built-in APIService was seen Available once', async () => {
  const available = new Map<string, string>();
  const objects: AggregatorObjects = {
    apiService: (name) => (available.has(name) ? ({ metadata: { name }, status: { conditions: [{ type: 'Available', status: available.get(name)! }] } } as APIService) : undefined),
    apiServices: () => [],
    service: () => undefined,
    endpointSlices: () => [],
  };
  const aggregator = new Aggregator({
    registries: { get: () => ({}) } as unknown as Registries,
    caches: {} as WatchCacheSet,
    etcdPrefix: '/registry',
    objects,
    localDiscovery: { handle: async () => undefined },
  });
  const r = (group: string, version: string) => ({ group, version }) as never;
  aggregator.setServedResources({ builtin: [r('', 'v1'), r('apps', 'v1'), r('not.in.the.table', 'v1')], custom: [r('example.com', 'v1')] });
  const check = async () => {
    try {
      await aggregator.autoregisterCompletion.check(new AbortController().signal);
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  };
  const steps: Array<{ set?: [string, string]; want: string }> = [
    { want: 'missing APIService: [v1. v1.apps]' },
    { set: ['v1.apps', 'False'], want: 'missing APIService: [v1. v1.apps]' },
    { set: ['v1.apps', 'True'], want: 'missing APIService: [v1.]' },
    { set: ['v1.', 'True'], want: 'ok' },
    { set: ['v1.apps', 'False'], want: 'ok' },
  ];
  for (const [i, s] of steps.entries()) {
    if (s.set) available.set(...s.set);
    assert.equal(await check(), s.want, `step ${i}`);
  }
});
