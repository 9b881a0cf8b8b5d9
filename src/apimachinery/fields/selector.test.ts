import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBadRequest, type StatusError } from '../errors.js';
import { checkSupportedFields, escapeValue, everything, parseFieldSelector, selectorFromSet, unescapeValue } from './selector.js';

test('parseFieldSelector: valid selectors, canonical form and field names', () => {
  const cases: Array<{ in: string; want: string; names: string[] }> = [
    { in: '', want: '', names: [] },
    { in: 'metadata.name=web', want: 'metadata.name=web', names: ['metadata.name'] },
    { in: 'metadata.name==web', want: 'metadata.name=web', names: ['metadata.name'] },
    {
      in: 'status.phase!=Failed,status.phase!=Succeeded',
      want: 'status.phase!=Failed,status.phase!=Succeeded',
      names: ['status.phase'],
    },
    { in: 'b=1,a=2', want: 'a=2,b=1', names: ['a', 'b'] },
    { in: 'a=x\\,y,b=\\=\\\\', want: 'a=x\\,y,b=\\=\\\\', names: ['a', 'b'] },
    { in: 'a=1,,', want: 'a=1', names: ['a'] },
    { in: 'a=', want: 'a=', names: ['a'] },
    { in: ' a = b', want: ' a = b', names: [' a '] },
  ];
  for (const c of cases) {
    const s = parseFieldSelector(c.in);
    assert.equal(s.toString(), c.want, c.in);
    assert.deepEqual(s.fieldNames(), c.names, c.in);
  }
  assert.equal(parseFieldSelector('a=x\\,y').requirements[0].value, 'x,y');
});

test('parseFieldSelector: errors are 400s with upstream messages', () => {
  const cases: Array<{ in: string; want: string }> = [
    { in: 'foo', want: "invalid selector: 'foo'; can't understand 'foo'" },
    { in: 'a=b,foo', want: "invalid selector: 'a=b,foo'; can't understand 'foo'" },
    { in: 'a=b=c', want: 'invalid field selector: unescaped character in value: 61' },
    { in: 'a=b\\x', want: 'invalid field selector: invalid escape sequence: \\x' },
    { in: 'a=b\\', want: 'invalid field selector: invalid escape sequence: \\' },
  ];
  for (const c of cases) {
    assert.throws(
      () => parseFieldSelector(c.in),
      (err: unknown) => isBadRequest(err) && (err as StatusError).message === c.want,
      c.in,
    );
  }
});

test('matches: absent fields read as empty', () => {
  const cases: Array<{ sel: string; fields: Record<string, string>; want: boolean }> = [
    { sel: '', fields: {}, want: true },
    { sel: 'metadata.name=a', fields: { 'metadata.name': 'a' }, want: true },
    { sel: 'metadata.name=a', fields: { 'metadata.name': 'b' }, want: false },
    { sel: 'metadata.name!=a', fields: { 'metadata.name': 'b' }, want: true },
    { sel: 'spec.nodeName=', fields: {}, want: true },
    { sel: 'spec.nodeName!=', fields: {}, want: false },
    { sel: 'status.phase!=Failed,status.phase!=Succeeded', fields: { 'status.phase': 'Running' }, want: true },
    { sel: 'status.phase!=Failed,status.phase!=Succeeded', fields: { 'status.phase': 'Failed' }, want: false },
    { sel: 'a=x\\,y', fields: { a: 'x,y' }, want: true },
    { sel: 'constructor=', fields: {}, want: true },
  ];
  for (const c of cases) assert.equal(parseFieldSelector(c.sel).matches(c.fields), c.want, c.sel);
});

test('requiresExactMatch, selectorFromSet, everything', () => {
  const cases: Array<{ sel: string; field: string; want: string | undefined }> = [
    { sel: 'metadata.name=x', field: 'metadata.name', want: 'x' },
    { sel: 'metadata.name==x,metadata.namespace=d', field: 'metadata.name', want: 'x' },
    { sel: 'metadata.name!=x', field: 'metadata.name', want: undefined },
    { sel: '', field: 'metadata.name', want: undefined },
  ];
  for (const c of cases) assert.equal(parseFieldSelector(c.sel).requiresExactMatch(c.field), c.want, c.sel);
  assert.equal(selectorFromSet({ 'metadata.name': 'a,b', x: '' }).toString(), 'metadata.name=a\\,b,x=');
  assert.equal(everything().empty(), true);
});

test('checkSupportedFields', () => {
  const supported = new Set(['metadata.name', 'metadata.namespace']);
  checkSupportedFields(parseFieldSelector('metadata.name=a'), supported);
  checkSupportedFields(parseFieldSelector('metadata.name=a'), ['metadata.name']);
  assert.throws(
    () => checkSupportedFields(parseFieldSelector('metadata.name=a,spec.foo=b'), supported),
    (err: unknown) => isBadRequest(err) && (err as StatusError).message === 'field label not supported: spec.foo',
  );
});

test('property: escapeValue round-trips through a selector', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), (v) => {
      assert.equal(unescapeValue(escapeValue(v)), v);
      const sel = parseFieldSelector(`f=${escapeValue(v)}`);
      assert.equal(sel.matches({ f: v }), true);
      assert.equal(parseFieldSelector(sel.toString()).toString(), sel.toString());
    }),
    { numRuns: 300 },
  );
});
