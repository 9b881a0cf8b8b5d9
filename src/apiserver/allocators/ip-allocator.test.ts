import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { parseCIDR } from './cidr.js';
import { AllocationError, ClusterIPAllocator, labelManagedBy } from './ip-allocator.js';
import { storeIPAddressClient } from './testing-ip-addresses.js';

const svc = (name: string) => ({ namespace: 'default', name });

test('allocate: requested IPs are reserved once and must be in range', async () => {
  const client = storeIPAddressClient(openMemoryStore());
  const alloc = new ClusterIPAllocator({ cidr: parseCIDR('10.0.0.0/24'), client });
  assert.equal(await alloc.allocate('10.0.0.10', svc('a')), '10.0.0.10');
  const cases: Array<{ ip: string; reason: AllocationError['reason']; message: string }> = [
    { ip: '10.0.0.10', reason: 'Allocated', message: 'provided IP is already allocated' },
    { ip: '10.0.1.10', reason: 'NotInRange', message: 'provided IP 10.0.1.10 is not in the valid range' },
    { ip: '10.0.0.0', reason: 'NotInRange', message: 'provided IP 10.0.0.0 is not in the valid range' },
    { ip: '10.0.0.255', reason: 'NotInRange', message: 'provided IP 10.0.0.255 is not in the valid range' },
  ];
  for (const c of cases) {
    await assert.rejects(alloc.allocate(c.ip, svc('b')), (err: unknown) => {
      assert.ok(err instanceof AllocationError);
      assert.equal(err.reason, c.reason, c.ip);
      assert.equal(err.message, c.message, c.ip);
      return true;
    });
  }
  const [obj] = await client.list();
  assert.equal(obj.metadata.labels?.[labelManagedBy], 'ipallocator.k8s.io');
  assert.deepEqual(obj.spec.parentRef, { group: '', resource: 'services', namespace: 'default', name: 'a' });
});

test('allocateNext prefers the upper range, then fills the lower one, then reports full', async () => {
  const client = storeIPAddressClient(openMemoryStore());
  const alloc = new ClusterIPAllocator({ cidr: parseCIDR('10.0.0.0/27'), client, random: () => 0 });
  // /27: 30 usable addresses, offset 16: dynamic picks start at .17.
  assert.equal(await alloc.allocateNext(svc('a')), '10.0.0.17');
  const seen = new Set(['10.0.0.17']);
  for (let i = 1; i < 30; i++) seen.add(await alloc.allocateNext(svc(`s${i}`)));
  assert.equal(seen.size, 30);
  await assert.rejects(alloc.allocateNext(svc('full')), (err: unknown) => err instanceof AllocationError && err.reason === 'Full');
  await alloc.release('10.0.0.3');
  assert.equal(await alloc.allocateNext(svc('again')), '10.0.0.3');
});

test('two allocators on one store never hand out the same IP', async () => {
  const store = openMemoryStore();
  const a = new ClusterIPAllocator({ cidr: parseCIDR('10.0.0.0/26'), client: storeIPAddressClient(store), random: () => 0.5 });
  const b = new ClusterIPAllocator({ cidr: parseCIDR('10.0.0.0/26'), client: storeIPAddressClient(store), random: () => 0.5 });
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).allocateNext(svc(`s${i}`))));
  assert.equal(new Set(results).size, 40);
});
