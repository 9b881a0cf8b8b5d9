// CIDR parsing and the node subnet bitmap: round-robin allocation, exhaustion, occupy/release, IPv6.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CIDRSet, errCIDRRangeNoCIDRsRemaining, errCIDRSetSubNetTooBig, formatCIDR, overlaps, parseCIDR } from './cidr-set.js';

test('parse and format CIDRs (masking host bits, IPv6 compression)', () => {
  const cases: Array<[string, string]> = [
    ['10.244.0.0/16', '10.244.0.0/16'],
    ['10.244.3.7/16', '10.244.0.0/16'],
    ['fd00:10:244::/56', 'fd00:10:244::/56'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['::/0', '::/0'],
  ];
  for (const [input, want] of cases) assert.equal(formatCIDR(parseCIDR(input)), want, input);
  for (const bad of ['10.0.0.0', '10.0.0.0/33', 'x/8', '10.0.0.0/8/1']) assert.throws(() => parseCIDR(bad), /invalid CIDR address/, bad);
  assert.equal(overlaps(parseCIDR('10.0.0.0/8'), parseCIDR('10.96.0.0/12')), true);
  assert.equal(overlaps(parseCIDR('10.0.0.0/16'), parseCIDR('10.1.0.0/16')), false);
});

test('allocation is round-robin, skips occupied subnets and fails when exhausted', () => {
  const set = new CIDRSet(parseCIDR('10.244.0.0/22'), 24);
  assert.equal(set.maxCIDRs, 4);
  assert.equal(set.occupy('10.244.1.0/24'), true);
  assert.equal(set.allocateNext(), '10.244.0.0/24');
  assert.equal(set.allocateNext(), '10.244.2.0/24');
  assert.equal(set.release('10.244.0.0/24'), true);
  assert.equal(set.allocateNext(), '10.244.3.0/24');
  assert.equal(set.allocateNext(), '10.244.0.0/24', 'wraps around');
  assert.throws(() => set.allocateNext(), { message: errCIDRRangeNoCIDRsRemaining });
  assert.equal(set.occupy('192.168.0.0/24'), false);
  assert.equal(set.contains('10.244.2.0/24'), true);
  assert.equal(set.contains('10.244.0.0/22'), false);
});

test('occupying a larger range (the service CIDR) takes every subnet inside it', () => {
  const set = new CIDRSet(parseCIDR('10.0.0.0/8'), 16);
  set.occupy('10.96.0.0/12');
  assert.equal(set.allocated, 16);
  const first = new CIDRSet(parseCIDR('10.244.0.0/24'), 26);
  first.occupy('10.0.0.0/8');
  assert.throws(() => first.allocateNext(), { message: errCIDRRangeNoCIDRsRemaining });
});

test('IPv6 node subnets and the 16-bit limit', () => {
  const set = new CIDRSet(parseCIDR('fd00:10:244::/56'), 64);
  assert.equal(set.allocateNext(), 'fd00:10:244::/64');
  assert.equal(set.allocateNext(), 'fd00:10:244:1::/64');
  assert.throws(() => new CIDRSet(parseCIDR('fd00::/32'), 64), { message: errCIDRSetSubNetTooBig });
  assert.throws(() => new CIDRSet(parseCIDR('10.0.0.0/24'), 16), { message: errCIDRSetSubNetTooBig });
});
