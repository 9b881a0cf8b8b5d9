// The service CIDR's first IP and SAN list splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstIPInCIDR, hostNamesAndAddresses, splitSANs } from './network-names.js';

test('firstIPInCIDR', () => {
  const cases: [string, string][] = [
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.96.5.7/12', '10.96.0.1'],
    ['192.168.1.0/31', '192.168.1.1'],
    ['fd00::/108', 'fd00::1'],
    ['fd00:1:2:3::/64', 'fd00:1:2:3::1'],
    ['2001:db8::ff00:0/120', '2001:db8::ff00:1'],
  ];
  for (const [cidr, want] of cases) assert.equal(firstIPInCIDR(cidr), want, cidr);
  assert.throws(() => firstIPInCIDR('10.0.0.0'), /invalid CIDR/);
  assert.throws(() => firstIPInCIDR('nonsense/8'), /invalid CIDR/);
});

test('splitSANs sorts names from addresses and drops blanks and repeats', () => {
  assert.deepEqual(splitSANs(['a.example', ' 10.0.0.9', '', '::1', 'a.example', 'b']), { dns: ['a.example', 'b'], ips: ['10.0.0.9', '::1'] });
});

test('hostNamesAndAddresses includes loopback and no link-local IPv6', () => {
  const host = hostNamesAndAddresses();
  assert.ok(host.ips.includes('127.0.0.1'));
  assert.ok(host.dns.length === 1 && host.dns[0]!.length > 0);
  assert.ok(!host.ips.some((ip) => ip.toLowerCase().startsWith('fe80:')));
});
