import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { AllocationError } from './ip-allocator.js';
import { NodePortAllocator, nodePortOffset, portRangeText } from './port-allocator.js';

const svc = (name: string) => ({ namespace: 'default', name });

test('node port offsets and range text', () => {
  const cases: Array<[number, number]> = [
    [2768, 86],
    [16, 0],
    [100, 16],
    [10000, 128],
  ];
  for (const [size, want] of cases) assert.equal(nodePortOffset(size), want, String(size));
  assert.equal(portRangeText({ base: 30000, size: 2768 }), '30000-32767');
});

test('requested node ports: in range and once', async () => {
  const alloc = new NodePortAllocator({ store: openMemoryStore(), prefix: '/registry', range: { base: 30000, size: 2768 } });
  assert.equal(await alloc.allocate(30080, svc('a')), 30080);
  const cases: Array<{ port: number; message: string }> = [
    { port: 30080, message: 'provided port is already allocated' },
    { port: 8080, message: 'provided port is not in the valid range. The range of valid ports is 30000-32767' },
    { port: 32768, message: 'provided port is not in the valid range. The range of valid ports is 30000-32767' },
  ];
  for (const c of cases) {
    await assert.rejects(alloc.allocate(c.port, svc('b')), (err: unknown) => err instanceof AllocationError && err.message === c.message);
  }
  // Only the owner's release frees it.
  await alloc.release(30080, svc('b'));
  await assert.rejects(alloc.allocate(30080, svc('b')));
  await alloc.release(30080, svc('a'));
  assert.equal(await alloc.allocate(30080, svc('b')), 30080);
});

test('allocateNext fills the whole range without duplicates, across two allocators on one store', async () => {
  const store = openMemoryStore();
  const range = { base: 31000, size: 40 };
  const a = new NodePortAllocator({ store, prefix: '/registry', range });
  const b = new NodePortAllocator({ store, prefix: '/registry', range, random: () => 0.99 });
  const ports = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).allocateNext(svc(`s${i}`))));
  assert.equal(new Set(ports).size, 40);
  assert.ok(ports.every((p) => p >= 31000 && p < 31040));
  await assert.rejects(a.allocateNext(svc('x')), (err: unknown) => err instanceof AllocationError && err.reason === 'Full');
  assert.equal((await a.list()).length, 40);
});
