import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJSON, findDuplicateKeys, JSONSyntaxError } from './json.js';

test('findDuplicateKeys reports paths of repeated keys', () => {
  const cases: Array<{ in: string; want: string[] }> = [
    { in: '{"a":1,"b":2}', want: [] },
    { in: '{"a":1,"a":2}', want: ['a'] },
    { in: '{"metadata":{"name":"x","name":"y"}}', want: ['metadata.name'] },
    { in: '{"spec":{"containers":[{"name":"a"},{"image":"x","image":"y"}]}}', want: ['spec.containers[1].image'] },
    { in: '[{"a":1},{"a":1,"a":2}]', want: ['[1].a'] },
    { in: '{"a\\"b":1,"a\\u0022b":2}', want: ['a"b'] },
    { in: '{"s":"has \\" and , and { and :","s2":"\\\\","x":{"k":[1,{"k":1}],"k":2}}', want: ['x.k'] },
    { in: '{"a":{"b":1},"c":{"b":1},"a":3,"a":4}', want: ['a', 'a'] },
    { in: '"x"', want: [] },
  ];
  for (const c of cases) assert.deepEqual(findDuplicateKeys(c.in), c.want, c.in);
});

test('decodeJSON keeps the last duplicate and reports it', () => {
  const d = decodeJSON(new TextEncoder().encode('{"metadata":{"name":"a","name":"b"}}'));
  assert.deepEqual(d.value, { metadata: { name: 'b' } });
  assert.deepEqual(d.duplicateFields, ['metadata.name']);
});

test('decodeJSON syntax errors use Go encoding/json wording', () => {
  const cases: Array<{ in: string; want: string }> = [
    { in: '', want: 'unexpected end of JSON input' },
    { in: '{', want: 'unexpected end of JSON input' },
    { in: 'x', want: "invalid character 'x' looking for beginning of value" },
    { in: '{bad}', want: "invalid character 'b' looking for beginning of object key string" },
    { in: '{"a" 1}', want: "invalid character '1' after object key" },
    { in: '{"a":1 "b":2}', want: `invalid character '"' after object key:value pair` },
    { in: '[1 2]', want: "invalid character '2' after array element" },
    { in: '{} {}', want: "invalid character '{' after top-level value" },
    { in: '{"a":tru}', want: "invalid character '}' in literal true (expecting 'e')" },
    { in: '{"a":01}', want: "invalid character '1' after object key:value pair" },
    { in: '{"a":1.}', want: "invalid character '}' after decimal point in numeric literal" },
    { in: '{"a":-}', want: "invalid character '}' in numeric literal" },
    { in: '{"a":"\\q"}', want: "invalid character 'q' in string escape code" },
    { in: '{"a":"x\ny"}', want: "invalid character '\\n' in string literal" },
    { in: "{'a':1}", want: "invalid character '\\'' looking for beginning of object key string" },
  ];
  for (const c of cases) {
    assert.throws(
      () => decodeJSON(c.in),
      (err: unknown) => err instanceof JSONSyntaxError && err.message === c.want,
      `${JSON.stringify(c.in)}`,
    );
  }
});

test('duplicate scan cost stays within a small factor of JSON.parse (1 KiB and 100 KiB bodies)', () => {
  const container = (i: number) => ({ name: `c${i}`, image: 'registry.k8s.io/pause:3.9', ports: [{ containerPort: 80 + i }], env: [{ name: 'A', value: 'b\\"c' }] });
  const small = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 3, template: { spec: { containers: [0, 1, 2, 3, 4, 5, 6].map(container) } } } });
  const big = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 830 }, (_, i) => container(i)) });
  // Best of several short rounds: the machine is shared, so single measurements are noisy.
  const measure = (fn: () => void, budgetMs: number): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      let runs = 0;
      const start = performance.now();
      while (performance.now() - start < budgetMs / 5) {
        fn();
        runs++;
      }
      best = Math.min(best, (performance.now() - start) / runs);
    }
    return best;
  };
  const results: Record<string, number> = {};
  for (const [name, text] of [['1KiB', small], ['100KiB', big]] as const) {
    const parse = measure(() => JSON.parse(text), 150);
    const decode = measure(() => decodeJSON(text), 150);
    results[`${name}.bytes`] = text.length;
    results[`${name}.ratio`] = Number((decode / parse).toFixed(2));
    // Generous bound: the point is "not pathologically slower", on a shared 2-core machine.
    assert.ok(decode / parse < 6, `${name}: decodeJSON is ${decode / parse}x JSON.parse`);
  }
  console.log(JSON.stringify(results));
});
