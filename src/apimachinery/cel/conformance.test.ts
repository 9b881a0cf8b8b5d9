// Conformance-style tables in the manner of cel-spec's simple tests: expression → value, or → error text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Quantity } from '../quantity/quantity.js';
import { compileCEL } from './compile.js';
import { evaluateCEL, type CostBudget } from './evaluate.js';
import { parseCEL } from './parser.js';
import { CELDuration, CELOptional, CELTimestamp, formatDuration, formatTimestamp } from './values.js';

const vars = { self: { name: 'web', items: [3, 1, 2], tags: { a: 'x' } } };

/** Renders results so tables can state timestamps, durations and quantities as text. */
function shown(v: unknown): unknown {
  if (v instanceof CELTimestamp) return `timestamp:${formatTimestamp(v)}`;
  if (v instanceof CELDuration) return `duration:${formatDuration(v)}`;
  if (v instanceof Quantity) return `quantity:${v.toString()}`;
  if (v instanceof CELOptional && !v.present) return 'none';
  return v;
}

test('CEL values: literals, operators and precedence', () => {
  const cases: Array<[string, unknown]> = [
    ['1 + 2 * 3', 7n],
    ['(1 + 2) * 3', 9n],
    ['7 / 2', 3n],
    ['-7 % 3', -1n],
    ['7.0 / 2.0', 3.5],
    ['0x10 + 1', 17n],
    ['1e3', 1000],
    ['"a" < "b"', true],
    ['true && !false', true],
    ['1 < 2 ? "yes" : "no"', 'yes'],
    ['[1, 2, 3][1]', 2n],
    ['{"a": {"b": 1}}.a.b', 1n],
    ['2 in [1, 2]', true],
    ['"k" in {"k": 1}', true],
    ['1 == 1.0', true],
    ['[1, [2]] == [1, [2]]', true],
    ['{"a": 1} != {"a": 2}', true],
    ["'\\x41\\u00e9\\n'", 'Aé\n'],
    ['r"\\n"', '\\n'],
    ["'''multi\nline'''", 'multi\nline'],
    ['null == null', true],
    ['9223372036854775807 - 1', 9223372036854775806n],
    ['-9223372036854775808 + 0', -9223372036854775808n],
    ['size("héllo")', 5n],
    ['self.items.size()', 3n],
    ['b"abc" == bytes("abc")', true],
    ["size(b'\\xff\\x00')", 2n],
    ['string(b"h\\u00e9")', 'hé'],
    ["'\\101\\U0001F600'", 'A😀'],
    ['self.?name.orValue("none")', 'web'],
    ['self.?missing.orValue("none")', 'none'],
    ['self.?tags.?a.hasValue()', true],
    ['self.?tags.b.hasValue()', false],
    ['self.tags[?"a"].value()', 'x'],
    ['self.items[?5].orValue(0)', 0n],
    ['optional.of(1).or(optional.none()).value()', 1n],
    ['optional.ofNonZeroValue("").hasValue()', false],
    ['1u + 2u', 3n],
  ];
  for (const [src, want] of cases) assert.deepEqual(shown(evaluateCEL(parseCEL(src), vars)), want, src);
});

test('CEL standard and Kubernetes library functions', () => {
  const cases: Array<[string, unknown]> = [
    ['self.items.all(x, x > 0)', true],
    ['self.items.exists(x, x > 2)', true],
    ['self.items.exists_one(x, x > 1)', false],
    ['self.items.map(x, x * 2)', [6n, 2n, 4n]],
    ['self.items.filter(x, x != 1)', [3n, 2n]],
    ['self.tags.all(k, k == "a")', true],
    ['has(self.tags.a) && !has(self.tags.b)', true],
    ['self.items.isSorted()', false],
    ['[1, 2, 2].isSorted()', true],
    ['self.items.sum()', 6n],
    ['[1.5, 2.5].sum()', 4],
    ['self.items.min()', 1n],
    ['self.items.max()', 3n],
    ['self.items.indexOf(1)', 1n],
    ['[1, 2, 1].lastIndexOf(1)', 2n],
    ['"hello".indexOf("l")', 2n],
    ['"hello".lastIndexOf("l")', 3n],
    ['"héllo".indexOf("l", 3)', 3n],
    ['"Hello".lowerAscii()', 'hello'],
    ['"Hello".upperAscii()', 'HELLO'],
    ['"  x ".trim()', 'x'],
    ['"a,b,c".split(",")', ['a', 'b', 'c']],
    ['"a,b,c".split(",", 2)', ['a', 'b,c']],
    ['["a", "b"].join("-")', 'a-b'],
    ['"aaa".replace("a", "b", 2)', 'bba'],
    ['"hello".substring(1, 3)', 'el'],
    ['"hello".charAt(1)', 'e'],
    ['"abc123def".find("[0-9]+")', '123'],
    ['"a1b22".findAll("[0-9]+")', ['1', '22']],
    ['"abc".matches("^a.c$")', true],
    ['matches("abc", "b")', true],
    ['"ABC".matches("(?i)abc")', true],
    ['"web".startsWith("w") && "web".endsWith("b") && "web".contains("e")', true],
    ['int("42") + int(3.9)', 45n],
    ['double(3) / 2.0', 1.5],
    ['string(12) + string(true)', '12true'],
    ['string(1.5)', '1.5'],
    ['bool("true")', true],
    ['type(1) == type(2)', true],
    ['dyn(1) + 1', 2n],
    ['duration("1h30m")', 'duration:5400s'],
    ['duration("1.5s") + duration("500ms")', 'duration:2s'],
    ['duration("90m").getHours()', 1n],
    ['timestamp("2024-02-29T12:30:00Z")', 'timestamp:2024-02-29T12:30:00Z'],
    ['timestamp("2024-02-29T12:30:00Z") + duration("12h")', 'timestamp:2024-03-01T00:30:00Z'],
    ['timestamp("2024-01-01T00:00:10Z") - timestamp("2024-01-01T00:00:00Z")', 'duration:10s'],
    ['timestamp("2024-01-01T00:00:00Z") < timestamp("2024-01-01T00:00:00.5Z")', true],
    ['timestamp("2024-02-29T12:30:45Z").getFullYear()', 2024n],
    ['timestamp("2024-02-29T12:30:45Z").getMonth()', 1n],
    ['timestamp("2024-02-29T12:30:45Z").getDayOfMonth()', 28n],
    ['timestamp("2024-02-29T12:30:45Z").getHours("+02:00")', 14n],
    ['timestamp("2024-02-29T12:30:45Z").getDayOfYear()', 59n],
    ['int(timestamp("1970-01-01T00:01:00Z"))', 60n],
    ['string(timestamp("2024-01-01T00:00:00.120Z"))', '2024-01-01T00:00:00.12Z'],
    ['quantity("1Gi").isGreaterThan(quantity("1G"))', true],
    ['quantity("500m").asApproximateFloat()', 0.5],
    ['quantity("2").asInteger()', 2n],
    ['quantity("1Gi").add(quantity("1Gi"))', 'quantity:2Gi'],
    ['quantity("1").compareTo(quantity("1000m"))', 0n],
    ['isQuantity("1.5Gi") && !isQuantity("1.5 Gi")', true],
    ['url("https://example.com:8443/a/b?x=1&x=2").getHost()', 'example.com:8443'],
    ['url("https://example.com/a").getScheme()', 'https'],
    ['url("https://[::1]:80/").getHostname()', '::1'],
    ['url("https://example.com/a?x=1&x=2").getQuery()', { x: ['1', '2'] }],
    ['isURL("https://example.com") && !isURL("not a url")', true],
    ['ip("10.0.0.1").family()', 4n],
    ['ip("::1").isLoopback() && ip("127.0.0.2").isLoopback()', true],
    ['ip("fe80::1").isLinkLocalUnicast()', true],
    ['ip("8.8.8.8").isGlobalUnicast() && !ip("0.0.0.0").isGlobalUnicast()', true],
    ['string(ip("2001:db8:0:0:0:0:0:1"))', '2001:db8::1'],
    ['ip.isCanonical("2001:db8::1") && !ip.isCanonical("2001:DB8::1")', true],
    ['isIP("1.2.3.4") && !isIP("1.2.3") && !isIP("::ffff:1.2.3.4")', true],
    ['cidr("10.0.0.0/8").containsIP("10.1.2.3")', true],
    ['cidr("10.0.0.0/8").containsCIDR(cidr("10.1.0.0/16")) && !cidr("10.1.0.0/16").containsCIDR("10.0.0.0/8")', true],
    ['cidr("192.168.1.5/24").masked() == cidr("192.168.1.0/24")', true],
    ['cidr("2001:db8::/32").prefixLength()', 32n],
    ['string(cidr("192.168.1.5/24").ip())', '192.168.1.5'],
    ['isCIDR("10.0.0.0/33")', false],
    ['format.dns1123Label().validate("web-1")', 'none'],
    ['format.dns1123Label().validate("Web_1").hasValue()', true],
    ['format.named("uuid").value().validate("not-a-uuid").value()', ['does not match the UUID format']],
    ['format.named("nope").hasValue()', false],
    ['type(ip("1.2.3.4")) == "net.IP" && type(cidr("::/0")) == "net.CIDR" && type(format.uuid()) == "kubernetes.NamedFormat"', true],
    ['format.dns1123SubdomainPrefix().validate("web.example-").hasValue()', false],
  ];
  for (const [src, want] of cases) assert.deepEqual(shown(evaluateCEL(parseCEL(src), vars)), want, src);
});

test('CEL runtime errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['9223372036854775807 + 1', /^integer overflow$/],
    ['-9223372036854775808 - 1', /^integer overflow$/],
    ['9223372036854775807 * 2', /^integer overflow$/],
    ['1 / 0', /^division by zero$/],
    ['1 % 0', /^modulus by zero$/],
    ['1 + 1.0', /^no such overload: _\+_\(int, double\)$/],
    ['"a" < 1', /^no such overload: _<_\(string, int\)$/],
    ['[1][3]', /^index out of bounds: 3$/],
    ['self.nope', /^no such key: nope$/],
    ['{"a": 1, "a": 2}', /^Failed with repeated key: a$/],
    ['int("x")', /^cannot convert string "x" to int$/],
    ['duration("5 minutes")', /^invalid duration format/],
    ['timestamp("yesterday")', /^invalid timestamp/],
    ['timestamp("9999-12-31T23:59:59Z") + duration("1s")', /^timestamp overflow$/],
    ['[].min()', /^min\(list\) argument must not be empty$/],
    ['"abc".substring(2, 1)', /^invalid substring range. start: 2, end: 1$/],
    ['quantity("1.5").asInteger()', /^cannot convert value to integer$/],
    ['quantity("x")', /^quantities must match/],
    ['url("not a url")', /^URL parse error/],
    ['[1, "a"].all(x, x > 0)', /^no such overload: _>_\(string, int\)$/],
    ['ip("::ffff:1.2.3.4")', /^IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed$/],
    ['ip("nope")', /^IP Address "nope" parse error during conversion from string/],
    ['cidr("1.2.3.4")', /invalid prefix$/],
    ['"ab".matches("a(?=b)")', /^error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`$/],
    ['"aa".find("(a)\\\\1")', /^error parsing regexp: invalid escape sequence: `\\1`$/],
    ['optional.none().value()', /^optional.none\(\) dereference$/],
    ['string(b"\\xff")', /^invalid UTF-8 in bytes/],
  ];
  for (const [src, want] of cases) assert.throws(() => evaluateCEL(parseCEL(src), vars), { message: want }, src);
  // A false conjunct wins over an error in another element.
  assert.equal(evaluateCEL(parseCEL('[0, "a"].all(x, x > 0)'), vars), false);
});

test('CEL compile checks and the cost budget', () => {
  const cases: Array<[string, string | undefined]> = [
    ['self.items.all(x, x > 0)', undefined],
    ['self.frob()', "ERROR: <input>:1:10: undeclared reference to 'frob' (in container '')\n | self.frob()\n | .........^"],
    ['other == 1', "ERROR: <input>:1:1: undeclared reference to 'other' (in container '')\n | other == 1\n | ^"],
    ['self.all(x,\n  y)', "ERROR: <input>:2:3: undeclared reference to 'y' (in container '')\n |   y)\n | ..^"],
    ['has(self)', 'ERROR: <input>:1:4: invalid argument to has() macro\n | has(self)\n | ...^'],
    ['self.items.map(1, 2)', 'ERROR: <input>:1:15: invalid argument to map() macro\n | self.items.map(1, 2)\n | ..............^'],
    ['self.a ==', 'ERROR: <input>:1:10: Syntax error: unexpected "end of input"\n | self.a ==\n | .........^'],
    ['optional.of(self).hasValue()', undefined],
    ["self.name.matches('[a-')", "ERROR: <input>:1:18: error parsing regexp: missing closing ]: `[a-`\n | self.name.matches('[a-')\n | .................^"],
    ['optional.maybe(1)', "ERROR: <input>:1:15: undeclared reference to 'optional.maybe' (in container '')\n | optional.maybe(1)\n | ..............^"],
  ];
  for (const [src, want] of cases) assert.equal(compileCEL(src, { variables: ['self'] }).error, want, src);
  assert.deepEqual([...compileCEL('self == oldSelf', { variables: ['self', 'oldSelf'] }).uses].sort(), ['oldSelf', 'self']);
  const budget: CostBudget = { remaining: 1000 };
  assert.throws(() => evaluateCEL(parseCEL('self.items.all(a, self.items.all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, true))))'), vars, { budget }), {
    message: 'operation cancelled: actual cost limit exceeded',
  });
});
