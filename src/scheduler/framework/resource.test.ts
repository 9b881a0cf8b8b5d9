import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePod } from '../testing/builders.js';
import { nonZeroDefaults, podRequests, quantityAmount } from './resource.js';

const c = (name: string, requests: Record<string, string> | undefined, restartPolicy?: string) => ({ name, resources: requests ? { requests } : undefined, restartPolicy });

test('podRequests follows upstream resourcehelper.PodRequests', () => {
  const cases = [
    { name: 'containers are summed', pod: makePod({ containers: [c('a', { cpu: '100m', memory: '1Gi' }), c('b', { cpu: '1' })] }), want: { cpu: 1100, mem: 1 << 30 } },
    {
      name: 'an init container larger than the sum is the peak',
      pod: makePod({ containers: [c('a', { cpu: '100m' })], initContainers: [c('i', { cpu: '2' })] }),
      want: { cpu: 2000, mem: 0 },
    },
    {
      name: 'a sidecar adds to the containers and to later init containers',
      pod: makePod({ containers: [c('a', { cpu: '500m' })], initContainers: [c('side', { cpu: '300m' }, 'Always'), c('i', { cpu: '1' })] }),
      // containers 500m + sidecar 300m = 800m; init peak: 1 + 300m = 1300m.
      want: { cpu: 1300, mem: 0 },
    },
    {
      name: 'overhead is added',
      pod: makePod({ containers: [c('a', { cpu: '250m' })], overhead: { cpu: '50m', memory: '10Mi' } }),
      want: { cpu: 300, mem: 10 * 1024 * 1024 },
    },
    { name: 'best effort requests nothing', pod: makePod({}), want: { cpu: 0, mem: 0 } },
  ];
  for (const tc of cases) {
    const r = podRequests(tc.pod);
    assert.deepEqual({ cpu: r.milliCPU, mem: r.memory }, tc.want, tc.name);
  }
});

test('non-zero defaults apply per container that leaves a resource out', () => {
  const pod = makePod({ containers: [c('a', { cpu: '200m' }), c('b', undefined)] });
  const r = podRequests(pod, { nonMissingContainerRequests: nonZeroDefaults });
  assert.equal(r.milliCPU, 300);
  assert.equal(r.memory, 2 * 200 * 1024 * 1024);
});

test('extended resources are scalar resources', () => {
  const r = podRequests(makePod({ requests: { 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' } }));
  assert.deepEqual([...(r.scalarResources ?? [])], [
    ['example.com/gpu', 2],
    ['hugepages-2Mi', 4 * 1024 * 1024],
  ]);
});

test('quantityAmount counts cpu in milli-units and the rest in whole units, also when asked again', () => {
  const cases: Array<{ name: string; q: string | number | undefined; want: number }> = [
    { name: 'cpu', q: '100m', want: 100 },
    { name: 'cpu', q: '2', want: 2000 },
    { name: 'memory', q: '2', want: 2 },
    { name: 'memory', q: '500Mi', want: 500 * 1024 * 1024 },
    { name: 'cpu', q: 1, want: 1000 },
    { name: 'memory', q: '100m', want: 1 }, // rounded up to a whole unit
    { name: 'pods', q: '110', want: 110 },
    { name: 'memory', q: 'nonsense', want: 0 },
    { name: 'cpu', q: undefined, want: 0 },
  ];
  // Twice over, in both orders, so a memoized answer for one resource never leaks into another's.
  for (const round of [cases, [...cases].reverse(), cases]) {
    for (const c of round) assert.equal(quantityAmount(c.name, c.q), c.want, `${c.name}=${String(c.q)}`);
  }
});
