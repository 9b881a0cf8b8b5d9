// Repacking and truncating Endpoints subsets: shared port sets merge, ready wins, order is canonical, and
// truncation keeps ready addresses first with proportional shares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { repackSubsets, truncateSubsets } from './repack-subsets.js';

const a = (ip: string, uid = ip): corev1.EndpointAddress => ({ ip, targetRef: { kind: 'Pod', uid } });
const p = (port: number, name = ''): corev1.EndpointPort => ({ name, port, protocol: 'TCP' });
const ips = (as?: corev1.EndpointAddress[]) => (as ?? []).map((x) => x.ip);

test('repackSubsets', () => {
  const cases: Array<{ name: string; in: corev1.EndpointSubset[]; out: Array<[string[], string[], number[]]> }> = [
    { name: 'empty', in: [], out: [] },
    {
      name: 'same port merges and sorts',
      in: [{ addresses: [a('10.0.0.2')], ports: [p(80)] }, { addresses: [a('10.0.0.1')], ports: [p(80)] }],
      out: [[['10.0.0.1', '10.0.0.2'], [], [80]]],
    },
    {
      name: 'different ports stay apart',
      in: [{ addresses: [a('10.0.0.1')], ports: [p(80)] }, { notReadyAddresses: [a('10.0.0.2')], ports: [p(81)] }],
      out: [[['10.0.0.1'], [], [80]], [[], ['10.0.0.2'], [81]]],
    },
    {
      name: 'addresses with the same ports share one subset with both ports',
      in: [{ addresses: [a('10.0.0.1')], ports: [p(81, 'b')] }, { addresses: [a('10.0.0.1')], ports: [p(80, 'a')] }],
      out: [[['10.0.0.1'], [], [80, 81]]],
    },
    {
      name: 'ready wins over not ready for the same address and port',
      in: [{ notReadyAddresses: [a('10.0.0.1')], ports: [p(80)] }, { addresses: [a('10.0.0.1')], ports: [p(80)] }],
      out: [[['10.0.0.1'], [], [80]]],
    },
    { name: 'no ports (headless)', in: [{ addresses: [a('10.0.0.1')], ports: [] }], out: [[['10.0.0.1'], [], []]] },
  ];
  for (const c of cases) {
    const got = repackSubsets(c.in).map((s) => [ips(s.addresses), ips(s.notReadyAddresses), (s.ports ?? []).map((x) => x.port)]);
    assert.deepEqual(got, c.out, c.name);
  }
});

test('truncateSubsets keeps 1000 addresses, ready first, shares rounded up', () => {
  const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => a(`${prefix}.${i}`));
  const cases: Array<{ name: string; in: corev1.EndpointSubset[]; truncated: boolean; counts: Array<[number, number]> }> = [
    { name: 'at capacity', in: [{ addresses: many('r', 1000) }], truncated: false, counts: [[1000, 0]] },
    { name: 'not ready cut first', in: [{ addresses: many('r', 900), notReadyAddresses: many('n', 300) }], truncated: true, counts: [[900, 100]] },
    { name: 'ready over capacity drops all not ready', in: [{ addresses: many('r', 1500), notReadyAddresses: many('n', 5) }], truncated: true, counts: [[1000, 0]] },
    { name: 'shares', in: [{ addresses: many('a', 900) }, { addresses: many('b', 300) }], truncated: true, counts: [[750, 0], [250, 0]] },
  ];
  for (const c of cases) {
    const subsets = c.in.map((s) => ({ ...s }));
    assert.equal(truncateSubsets(subsets), c.truncated, c.name);
    assert.deepEqual(subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]), c.counts, c.name);
  }
});
