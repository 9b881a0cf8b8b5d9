import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCustomResourceDefinition } from './crd-strategy.js';
import type { JSONSchemaProps } from './crd-types.js';
import { newSchemaValidator } from './schema-validation.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: 'self.minReplicas <= self.replicas', message: 'replicas must be at least minReplicas' },
        { rule: "!has(self.mode) || self.mode != 'legacy'", messageExpression: "'mode ' + self.mode + ' is retired'", reason: 'FieldValueForbidden', fieldPath: '.mode' },
        { rule: 'self.name == oldSelf.name', message: 'name is immutable' },
        { rule: "!oldSelf.hasValue() || oldSelf.value().?mode.orValue('') != 'locked' || self.?mode.orValue('') == 'locked'", optionalOldSelf: true, message: 'a locked mode stays locked' },
      ],
      properties: {
        replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10' }] },
        minReplicas: { type: 'integer' },
        mode: { type: 'string' },
        name: { type: 'string' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-validations': [{ rule: 'self.all(p, p.port > 0)', message: 'ports must be positive' }, { rule: 'self.map(p, p.port).isSorted()', message: 'sorted by port' }],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'port is immutable', reason: 'FieldValueInvalid' }] } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-validations': [{ rule: "self.all(k, k.startsWith('x-'))", message: 'keys start with x-', reason: 'FieldValueRequired' }] },
        choice: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-validations': [{ rule: 'self.size() > 2' }] },
        pick: { type: 'string', oneOf: [{ pattern: '^a' }, { pattern: 'b$' }], not: { enum: ['nope'] } },
      },
    },
  },
} as unknown as JSONSchemaProps;

const validator = newSchemaValidator({ schema, kind: 'Widget', apiVersion: 'example.com/v1' });
const show = (errs: Array<{ field: string; detail: string }>) => errs.map((e) => `${e.field}: ${e.detail}`);
const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

test('x-kubernetes-validations: create', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { replicas: 3, minReplicas: 1, mode: 'new', ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }], labels: { 'x-a': 'b' } }, []],
    ['scalar rule without message', { replicas: 12, minReplicas: 1 }, ['spec.replicas: Invalid value: "integer": failed rule: self < 10']],
    ['object rule with message', { replicas: 3, minReplicas: 5 }, ['spec: Invalid value: "object": replicas must be at least minReplicas']],
    ['messageExpression, reason and fieldPath', { replicas: 1, minReplicas: 1, mode: 'legacy' }, ['spec.mode: Forbidden: mode legacy is retired']],
    ['list rules', { replicas: 1, minReplicas: 1, ports: [{ name: 'a', port: 2 }, { name: 'b', port: 0 }] }, ['spec.ports: Invalid value: "array": ports must be positive', 'spec.ports: Invalid value: "array": sorted by port']],
    ['map rule with reason Required', { replicas: 1, minReplicas: 1, labels: { y: 'z' } }, ['spec.labels: Required value: keys start with x-']],
    ['evaluation error', { replicas: 1 }, ['spec: Invalid value: "object": no such key: minReplicas evaluating rule: replicas must be at least minReplicas']],
    ['int-or-string rule on an int', { replicas: 1, minReplicas: 1, choice: 5 }, [`spec.choice: Invalid value: "integer-or-string": 'no such overload: size(int)': call arguments did not match a supported operator, function or macro signature for rule: self.size() > 2`]],
    ['anyOf passes, rule fails', { replicas: 1, minReplicas: 1, choice: 'ab' }, ['spec.choice: Invalid value: "integer-or-string": failed rule: self.size() > 2']],
    ['oneOf: both match', { replicas: 1, minReplicas: 1, pick: 'ab' }, ['spec.pick: Invalid value: "ab": spec.pick in body must validate one and only one schema (oneOf). Found 2 valid alternatives']],
    ['oneOf: none match', { replicas: 1, minReplicas: 1, pick: 'zz' }, ['spec.pick: Invalid value: "zz": spec.pick in body must validate one and only one schema (oneOf). Found none valid']],
  ];
  for (const [name, spec, want] of cases) assert.deepEqual(show(validator.validate(widget(spec))), want, name);
});

test('x-kubernetes-validations: transition rules see oldSelf only on update', () => {
  const old = widget({ replicas: 1, minReplicas: 1, name: 'a', ports: [{ name: 'p', port: 1 }] });
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['unchanged', { replicas: 2, minReplicas: 1, name: 'a', ports: [{ name: 'p', port: 1 }] }, []],
    ['immutable name', { replicas: 1, minReplicas: 1, name: 'b' }, ['spec: Invalid value: "object": name is immutable']],
    ['map-list item correlated by key', { replicas: 1, minReplicas: 1, name: 'a', ports: [{ name: 'q', port: 9 }, { name: 'p', port: 2 }] }, ['spec.ports[1].port: Invalid value: "integer": port is immutable', 'spec.ports: Invalid value: "array": sorted by port']],
  ];
  for (const [name, spec, want] of cases) assert.deepEqual(show(validator.validate(widget(spec), old)), want, name);
  // optionalOldSelf: the rule runs on create too (oldSelf is none) and compares on update.
  const locked = widget({ replicas: 1, minReplicas: 1, name: 'a', mode: 'locked' });
  assert.deepEqual(show(validator.validate(locked)), []);
  assert.deepEqual(show(validator.validate(widget({ replicas: 1, minReplicas: 1, name: 'a', mode: 'open' }), locked)), ['spec: Invalid value: "object": a locked mode stays locked']);
  // On create the same objects pass the transition rules.
  assert.deepEqual(show(validator.validate(widget({ replicas: 1, minReplicas: 1, name: 'b' }))), []);
});

test('x-kubernetes-validations: a pathological rule runs out of budget instead of hanging', () => {
  const s = { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.xs.all(a, self.xs.all(b, self.xs.all(c, self.xs.all(d, a + b + c + d >= 0))))' }, { rule: 'true' }] } } } as unknown as JSONSchemaProps;
  const v = newSchemaValidator({ schema: s, kind: 'Widget', apiVersion: 'example.com/v1' });
  const xs = Array.from({ length: 100 }, (_, i) => i);
  const errs = show(v.validate(widget({ xs })));
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^spec: Invalid value: "object": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self\.xs\.all/);
});

test('CRD create: rules that do not compile are 422 on the CRD', () => {
  const crd = (rules: unknown[]) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': rules } } } } }],
    },
  });
  const cases: Array<[string, unknown[], RegExp[]]> = [
    ['fine', [{ rule: 'self.a == oldSelf.a', messageExpression: "'a: ' + string(self.a)" }], []],
    ['unknown function', [{ rule: 'self.frob()' }], [/^spec\.validation\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.frob\(\)": compilation failed: ERROR: <input>:1:10: undeclared reference to 'frob'/]],
    ['unknown variable', [{ rule: 'true' }, { rule: 'object.x == 1' }], [/x-kubernetes-validations\[1\]\.rule: .*undeclared reference to 'object'/]],
    ['syntax error', [{ rule: 'self.a ==' }], [/x-kubernetes-validations\[0\]\.rule: .*compilation failed: ERROR: <input>:1:10: Syntax error/]],
    ['bad messageExpression', [{ rule: 'true', messageExpression: 'nope(' }], [/x-kubernetes-validations\[0\]\.messageExpression: .*messageExpression compilation failed/]],
    ['optionalOldSelf without oldSelf', [{ rule: 'true', optionalOldSelf: true }], [/x-kubernetes-validations\[0\]\.optionalOldSelf: .*may not be set if rule does not use oldSelf/]],
  ];
  for (const [name, rules, want] of cases) {
    const got = show(validateCustomResourceDefinition(crd(rules)));
    assert.equal(got.length, want.length, `${name}: ${got.join('; ')}`);
    want.forEach((re, i) => assert.match(got[i], re, name));
  }
});
