import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeYAML, yamlDuplicateMessage, YAMLSyntaxError } from './yaml.js';

test('decodeYAML: YAML 1.1 scalars as Go reads them', () => {
  const cases: Array<{ in: string; want: unknown }> = [
    { in: 'a: on\nb: off\nc: yes\nd: "on"', want: { a: true, b: false, c: true, d: 'on' } },
    { in: 'created: 2001-12-14\nt: 2001-12-14T21:59:43Z', want: { created: '2001-12-14', t: '2001-12-14T21:59:43Z' } },
    { in: '80: http\n1.5: x', want: { '80': 'http', '1.5': 'x' } },
    { in: 'mode: 0644\nnum: 12\nf: 1.5\nz: ~', want: { mode: 420, num: 12, f: 1.5, z: null } },
    // yaml.v2 reads the plain keys y/n as booleans too, and Go's YAML-to-JSON then spells them "true"/"false".
    { in: 'y: 1\nn: 2', want: { true: 1, false: 2 } },
    { in: 'base: &b {x: 1}\nd:\n  <<: *b\n  w: 2', want: { base: { x: 1 }, d: { x: 1, w: 2 } } },
    { in: '---\nkind: Pod\n', want: { kind: 'Pod' } },
    { in: '', want: null },
    { in: '# just a comment\n', want: null },
  ];
  for (const c of cases) assert.deepEqual(decodeYAML(c.in).value, c.want, c.in);
});

test('decodeYAML: duplicates with lines and paths', () => {
  const d = decodeYAML('metadata:\n  name: a\n  labels:\n    x: "1"\n  name: b\nspec:\n  containers:\n  - name: c\n    name: d\n');
  assert.deepEqual(d.duplicates, [
    { path: 'metadata.name', key: 'name', line: 5 },
    { path: 'spec.containers[0].name', key: 'name', line: 9 },
  ]);
  assert.deepEqual((d.value as any).metadata.name, 'b');
  assert.equal(
    yamlDuplicateMessage(d.duplicates),
    'yaml: unmarshal errors:\n  line 5: key "name" already set in map\n  line 9: key "name" already set in map',
  );
});

test('decodeYAML: errors', () => {
  const cases: Array<{ in: string; want: RegExp }> = [
    { in: 'a: 1\n---\nb: 2\n', want: /exactly one YAML document/ },
    { in: 'a: [1, 2\nb: 3', want: /^yaml: line \d+: / },
    { in: 'a: b: c', want: /^yaml: line 1: / },
  ];
  for (const c of cases) {
    assert.throws(() => decodeYAML(c.in), (err: unknown) => err instanceof YAMLSyntaxError && c.want.test(err.message), c.in);
  }
});
