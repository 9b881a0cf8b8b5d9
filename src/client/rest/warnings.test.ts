// Parsing Warning headers: code 299 texts, several per header or per reply, quotes escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWarnings } from './warnings.js';

test('parseWarnings keeps the texts of 299 warnings in order', () => {
  const cases: Array<{ header: string | string[] | undefined; want: string[] }> = [
    { header: undefined, want: [] },
    { header: '299 - "unknown field \\"spec.foo\\""', want: ['unknown field "spec.foo"'] },
    { header: '299 - "a", 299 - "b, with a comma"', want: ['a', 'b, with a comma'] },
    { header: ['299 - "first"', '299 k8ts "second" "Sun, 22 Nov 2026 08:00:00 GMT"'], want: ['first', 'second'] },
    { header: '199 - "miscellaneous", 299 - "kept"', want: ['kept'] },
  ];
  for (const c of cases) assert.deepEqual(parseWarnings(c.header), c.want, JSON.stringify(c.header));
});
