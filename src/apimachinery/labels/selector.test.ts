import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBadRequest, StatusError } from '../errors.js';
import { everything, nothing, parse, selectorFromSet } from './selector.js';

test('parse: valid selectors and their canonical form', () => {
  const cases: Array<{ in: string; want: string }> = [
    { in: '', want: '' },
    { in: 'a=b', want: 'a=b' },
    { in: 'a==b', want: 'a==b' },
    { in: 'a!=b', want: 'a!=b' },
    { in: ' a = b , c != d ', want: 'a=b,c!=d' },
    { in: 'x in (foo,,baz),y,z notin ()', want: 'x in (,baz,foo),y,z notin ()' },
    { in: 'x notin (b,a,a)', want: 'x notin (a,b)' },
    { in: '!x', want: '!x' },
    { in: 'z,a=b', want: 'a=b,z' },
    { in: 'a=', want: 'a=' },
    { in: 'a=,b', want: 'a=,b' },
    { in: 'in in (in),notin=notin', want: 'in in (in),notin=notin' },
    { in: 'app.kubernetes.io/name=web', want: 'app.kubernetes.io/name=web' },
    { in: 'x>1,y<10', want: 'x>1,y<10' },
    { in: 'x in (a, b)', want: 'x in (a,b)' },
    { in: 'x\tin\n(a)', want: 'x in (a)' },
  ];
  for (const c of cases) assert.equal(parse(c.in).toString(), c.want, JSON.stringify(c.in));
});

test('parse: invalid selectors are 400s with upstream messages', () => {
  const valueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const keyMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const cases: Array<{ in: string; want: string }> = [
    { in: 'x=a b', want: "found 'b', expected: ',' or 'end of string'" },
    { in: 'x y', want: "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt" },
    { in: 'x=a,', want: "found '', expected: identifier after ','" },
    { in: ',x', want: "found ',', expected: !, identifier, or 'end of string'" },
    { in: 'x in a', want: "unable to parse requirement: found 'a' expected: '('" },
    { in: 'x in (a b)', want: "unable to parse requirement: found 'b', expected: ',' or ')'" },
    { in: 'x in (a', want: "unable to parse requirement: found '', expected: ',' or ')'" },
    { in: 'x in (=)', want: "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
    { in: 'x=!a', want: "unable to parse requirement: found '!', expected: identifier" },
    { in: '!x=a', want: "found '=', expected: ',' or 'end of string'" },
    { in: '!', want: "unable to parse requirement: found '', expected: identifier" },
    { in: 'x=a$b', want: `unable to parse requirement: values[0][x]: Invalid value: "a$b": ${valueMsg}` },
    { in: 'x$=a', want: `unable to parse requirement: <nil>: Invalid value: "x$": ${keyMsg}` },
    { in: 'x>a', want: 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer' },
    { in: `x=${'a'.repeat(64)}`, want: `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters` },
  ];
  for (const c of cases) {
    assert.throws(
      () => parse(c.in),
      (err: unknown) => {
        assert.ok(isBadRequest(err), `${c.in}: not a BadRequest`);
        assert.equal((err as StatusError).status.code, 400);
        assert.equal((err as StatusError).message, c.want, c.in);
        return true;
      },
    );
  }
});

test('matches: upstream semantics per operator', () => {
  const cases: Array<{ sel: string; labels: Record<string, string> | undefined; want: boolean }> = [
    { sel: '', labels: undefined, want: true },
    { sel: 'a=b', labels: { a: 'b' }, want: true },
    { sel: 'a=b', labels: { a: 'c' }, want: false },
    { sel: 'a=b', labels: {}, want: false },
    { sel: 'a==b', labels: { a: 'b' }, want: true },
    { sel: 'a!=b', labels: {}, want: true },
    { sel: 'a!=b', labels: { a: 'b' }, want: false },
    { sel: 'a!=b', labels: { a: 'c' }, want: true },
    { sel: 'a in (x,y)', labels: { a: 'y' }, want: true },
    { sel: 'a in (x,y)', labels: {}, want: false },
    { sel: 'a notin (x)', labels: {}, want: true },
    { sel: 'a notin (x)', labels: { a: 'x' }, want: false },
    { sel: 'a', labels: { a: '' }, want: true },
    { sel: 'a', labels: { b: '' }, want: false },
    { sel: '!a', labels: { b: '' }, want: true },
    { sel: '!a', labels: { a: 'x' }, want: false },
    { sel: 'a=', labels: { a: '' }, want: true },
    { sel: 'a=', labels: {}, want: false },
    { sel: 'a in ()', labels: { a: '' }, want: true },
    { sel: 'a=b,c', labels: { a: 'b' }, want: false },
    { sel: 'a=b,c', labels: { a: 'b', c: 'd' }, want: true },
    { sel: 'n>5', labels: { n: '6' }, want: true },
    { sel: 'n>5', labels: { n: '5' }, want: false },
    { sel: 'n>5', labels: { n: 'x' }, want: false },
    { sel: 'n<5', labels: { n: '-1' }, want: true },
    { sel: 'n<5', labels: {}, want: false },
    { sel: 'toString', labels: {}, want: false },
  ];
  for (const c of cases) assert.equal(parse(c.sel).matches(c.labels), c.want, `${c.sel} on ${JSON.stringify(c.labels)}`);
});

test('everything, nothing, selectorFromSet', () => {
  assert.equal(everything().matches({ a: 'b' }), true);
  assert.equal(everything().empty(), true);
  assert.equal(nothing().matches({}), false);
  assert.equal(nothing().empty(), false);
  const s = selectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.equal(s.matches({ a: '1', b: '2', c: '3' }), true);
  assert.equal(s.matches({ a: '1' }), false);
});

test('property: the canonical form parses back to the same selector and the same matches', () => {
  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);
  const value = fc.oneof(fc.constant(''), name);
  const requirement = fc.oneof(
    fc.tuple(name, fc.constantFrom('=', '==', '!='), value).map(([k, op, v]) => `${k}${op}${v}`),
    fc.tuple(name, fc.constantFrom('in', 'notin'), fc.array(value, { minLength: 1, maxLength: 3 })).map(
      ([k, op, vs]) => `${k} ${op} (${vs.join(',')})`,
    ),
    name.map((k) => k),
    name.map((k) => `!${k}`),
  );
  const labels = fc.dictionary(name, value, { maxKeys: 4 });
  fc.assert(
    fc.property(fc.array(requirement, { maxLength: 4 }), labels, (reqs, ls) => {
      // Some generated lists (e.g. `(a,,)`) are rejected by upstream's grammar too; skip those.
      let sel;
      try {
        sel = parse(reqs.join(','));
      } catch {
        fc.pre(false);
        return;
      }
      const again = parse(sel.toString());
      assert.equal(again.toString(), sel.toString());
      assert.equal(again.matches(ls), sel.matches(ls));
    }),
    { numRuns: 300 },
  );
});
