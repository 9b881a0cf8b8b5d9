// Planning slice writes: new endpoints fill slices being written before new ones are created, at most
// `max` per slice, unchanged slices stay untouched, emptied slices go (or are reused for creates), and a
// Service without endpoints keeps one placeholder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planSlices, type Endpoint, type EndpointSlice } from './slice-plan.js';

const ep = (n: number, ready = true): Endpoint => ({ addresses: [`10.0.0.${n}`], conditions: { ready }, targetRef: { kind: 'Pod', uid: `u${n}` } });
const ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
const slice = (name: string, eps: number[], extra: Partial<EndpointSlice> = {}): EndpointSlice => ({
  metadata: { name, labels: { l: '1' } },
  addressType: 'IPv4',
  ports,
  endpoints: eps.map((n) => ep(n)),
  ...extra,
});

function plan(desired: number[], existing: EndpointSlice[], max = 3, readyOf: (n: number) => boolean = () => true) {
  return planSlices({
    desired: desired.length ? [{ addressType: 'IPv4', ports, endpoints: desired.map((n) => ep(n, readyOf(n))) }] : [],
    existing,
    maxEndpointsPerSlice: max,
    placeholderAddressType: 'IPv4',
    newSlice: (addressType, p) => ({ metadata: { generateName: 'svc-', labels: { l: '1' } }, addressType, ...(p.length ? { ports: p } : {}), endpoints: [] }),
    refreshMeta: (s) => ({ slice: { ...s, metadata: { ...s.metadata, labels: { l: '1' } } }, changed: s.metadata?.labels?.l !== '1' }),
  });
}

const summary = (p: ReturnType<typeof plan>) => ({
  create: p.create.map((s) => (s.endpoints ?? []).map((e) => e.addresses[0].split('.')[3]).join(' ')),
  update: p.update.map((s) => `${s.metadata?.name}:${(s.endpoints ?? []).map((e) => e.addresses[0].split('.')[3]).join(' ')}`),
  delete: p.delete.map((s) => s.metadata?.name),
});

test('planSlices', () => {
  const cases: Array<{ name: string; got: ReturnType<typeof plan>; want: ReturnType<typeof summary> }> = [
    { name: 'fresh, chunks of max', got: plan([1, 2, 3, 4, 5], []), want: { create: ['1 2 3', '4 5'], update: [], delete: [] } },
    { name: 'nothing changed', got: plan([1, 2], [slice('a', [1, 2])]), want: { create: [], update: [], delete: [] } },
    { name: 'one added fills the unchanged slice', got: plan([1, 2, 3], [slice('a', [1, 2])]), want: { create: [], update: ['a:1 2 3'], delete: [] } },
    { name: 'removal and addition in one update', got: plan([1, 3], [slice('a', [1, 2])]), want: { create: [], update: ['a:1 3'], delete: [] } },
    { name: 'condition change', got: plan([1, 2], [slice('a', [1, 2])], 3, (n) => n !== 2), want: { create: [], update: ['a:1 2'], delete: [] } },
    { name: 'full slice: new one', got: plan([1, 2, 3, 4], [slice('a', [1, 2, 3])]), want: { create: ['4'], update: [], delete: [] } },
    { name: 'emptied slice is reused for a create', got: plan([4, 5, 6, 7], [slice('a', [1, 2, 3]), slice('b', [4, 5, 6])]), want: { create: [], update: ['a:7'], delete: [] } },
    { name: 'duplicates across slices are dropped', got: plan([1, 2], [slice('a', [1, 2]), slice('b', [2])]), want: { create: [], update: [], delete: ['b'] } },
    { name: 'labels changed', got: plan([1], [slice('a', [1], { metadata: { name: 'a', labels: { l: 'old' } } })]), want: { create: [], update: ['a:1'], delete: [] } },
    { name: 'no endpoints: placeholder created', got: plan([], [slice('a', [1])]), want: { create: [], update: ['a:'], delete: [] } },
    { name: 'placeholder kept', got: plan([], [slice('p', [], { ports: undefined })]), want: { create: [], update: [], delete: [] } },
  ];
  for (const c of cases) assert.deepEqual(summary(c.got), c.want, c.name);
});

test('placeholder reuse drops ports', () => {
  const p = plan([], [slice('a', [1])]);
  assert.equal(p.update[0].ports, undefined);
});
