import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { newTestServer } from '../endpoints/testing/harness.js';
import { defaultAPIServerOptions } from '../options.js';
import { strategyFor } from '../registry/strategies.js';
import type { BootstrapContext } from './hook.js';
import { advertiseAddress, kubernetesServiceIP, reconcileKubernetesService } from './kubernetes-service.js';
import { newServiceAllocation } from './service-allocation.js';

test('the kubernetes Service IP is the first of the range', () => {
  const cases: Array<[string, string]> = [
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.96.0.0/12', '10.96.0.1'],
    ['fd00:10:96::/108', 'fd00:10:96::1'],
  ];
  for (const [range, want] of cases) assert.equal(kubernetesServiceIP(range), want, range);
  assert.equal(advertiseAddress('192.0.2.7'), '192.0.2.7');
  assert.match(advertiseAddress(''), /^\d+\.\d+\.\d+\.\d+$/);
});

test('endpoints follow the live apiserver leases', async () => {
  const store = openMemoryStore();
  const options = { ...defaultAPIServerOptions('/nonexistent') };
  let registriesRef: BootstrapContext['registries'] | undefined;
  const allocation = newServiceAllocation({ options, store, registries: () => registriesRef! });
  const server = await newTestServer({ store, strategyFor: (g, r) => strategyFor(g, r, { serviceAllocation: allocation }) });
  registriesRef = server.registries;
  const clock = new FakeClock();
  const signal = new AbortController().signal;
  const ctxA: BootstrapContext = { registries: server.registries, store, options: { ...options, advertiseAddress: '192.0.2.1' }, securePort: 6443, signal };
  const ctxB: BootstrapContext = { ...ctxA, options: { ...options, advertiseAddress: '192.0.2.2' } };

  assert.deepEqual(await reconcileKubernetesService(ctxA, { clock }), ['192.0.2.1']);
  assert.deepEqual(await reconcileKubernetesService(ctxB, { clock }), ['192.0.2.1', '192.0.2.2']);
  const ep = await server.registries.get('', 'endpoints')!.get({ namespace: 'default', name: 'kubernetes' });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);

  // B stops renewing: after the TTL, A's pass drops it.
  clock.step(20_000);
  assert.deepEqual(await reconcileKubernetesService(ctxA, { clock }), ['192.0.2.1']);
  const slice = await server.registries.get('discovery.k8s.io', 'endpointslices')!.get({ namespace: 'default', name: 'kubernetes' });
  assert.deepEqual(slice.endpoints, [{ addresses: ['192.0.2.1'], conditions: { ready: true } }]);

  // A port change (restart on another port) updates the Service.
  await reconcileKubernetesService({ ...ctxA, securePort: 7443 }, { clock });
  const svc = await server.registries.get('', 'services')!.get({ namespace: 'default', name: 'kubernetes' });
  assert.equal((svc.spec as any).ports[0].targetPort, 7443);
  assert.equal((svc.spec as any).clusterIP, '10.0.0.1');
});
