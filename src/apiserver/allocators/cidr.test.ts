import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cidrContains, formatIP, parseCIDR, parseIP, rangeOffset, usableRange } from './cidr.js';

test('parse and format IPs canonically', () => {
  const cases: Array<[string, string | undefined]> = [
    ['10.0.0.1', '10.0.0.1'],
    ['10.0.0.256', undefined],
    ['10.0.0', undefined],
    ['010.0.0.1', undefined],
    ['fd00::1', 'fd00::1'],
    ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['1::2::3', undefined],
    ['abc', undefined],
  ];
  for (const [text, want] of cases) {
    const ip = parseIP(text);
    assert.equal(ip ? formatIP(ip) : undefined, want, text);
  }
});

test('CIDR ranges: usable addresses and the static/dynamic split', () => {
  const cases: Array<{ cidr: string; text: string; first: string; last: string; size: bigint; offset: bigint }> = [
    { cidr: '10.0.0.0/24', text: '10.0.0.0/24', first: '10.0.0.1', last: '10.0.0.254', size: 254n, offset: 16n },
    { cidr: '10.0.0.7/24', text: '10.0.0.0/24', first: '10.0.0.1', last: '10.0.0.254', size: 254n, offset: 16n },
    { cidr: '10.96.0.0/12', text: '10.96.0.0/12', first: '10.96.0.1', last: '10.111.255.254', size: 1048574n, offset: 256n },
    { cidr: '10.0.0.0/28', text: '10.0.0.0/28', first: '10.0.0.1', last: '10.0.0.14', size: 14n, offset: 0n },
    { cidr: 'fd00::/120', text: 'fd00::/120', first: 'fd00::1', last: 'fd00::ff', size: 255n, offset: 16n },
  ];
  for (const c of cases) {
    const cidr = parseCIDR(c.cidr);
    const r = usableRange(cidr);
    assert.equal(cidr.text, c.text, c.cidr);
    assert.equal(formatIP({ family: cidr.family, value: r.first }), c.first, c.cidr);
    assert.equal(formatIP({ family: cidr.family, value: r.last }), c.last, c.cidr);
    assert.equal(r.size, c.size, c.cidr);
    assert.equal(rangeOffset(cidr), c.offset, c.cidr);
  }
  assert.throws(() => parseCIDR('10.0.0.0/33'));
  assert.throws(() => parseCIDR('10.0.0.0'));
  assert.equal(cidrContains(parseCIDR('10.0.0.0/24'), parseIP('10.0.1.1')!), false);
  assert.equal(cidrContains(parseCIDR('10.0.0.0/24'), parseIP('10.0.0.200')!), true);
});
