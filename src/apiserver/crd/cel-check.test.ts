// Type checking CEL rules against a schema-derived type: the common mistakes get cel-go's errors, and correct
// rules (including every rule the CRD and CEL tests use) get none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaCELType } from './cel-schema-type.js';
import type { JSONSchemaProps } from './crd-types.js';
import { compileCEL } from '../../apimachinery/cel/compile.js';
import { optionalOf, typeName } from '../../apimachinery/cel/types.js';

const spec: JSONSchemaProps = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    minReplicas: { type: 'integer' },
    ratio: { type: 'number' },
    name: { type: 'string', maxLength: 63 },
    size: { type: 'string' },
    enabled: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    created: { type: 'string', format: 'date-time' },
    timeout: { type: 'string', format: 'duration' },
    port: { 'x-kubernetes-int-or-string': true },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer' } } } },
    template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
  },
};

function check(rule: string, opts: { optionalOldSelf?: boolean } = {}): { error?: string; type?: string } {
  const self = schemaCELType(spec);
  const r = compileCEL(rule, { variables: ['self', 'oldSelf'], types: { self, oldSelf: opts.optionalOldSelf ? optionalOf(self) : self } });
  return { error: r.error?.split('\n')[0], type: r.type && typeName(r.type) };
}

test('type checking: the common mistakes get cel-go errors at the right column', () => {
  const cases: Array<[string, string]> = [
    ["self.replicas > 'a'", "ERROR: <input>:1:15: found no matching overload for '_>_' applied to '(int, string)'"],
    ['self.nosuchfield == 1', "ERROR: <input>:1:5: undefined field 'nosuchfield'"],
    ['self.items.all(i, i.nme != "")', "ERROR: <input>:1:20: undefined field 'nme'"],
    ['has(self.nope)', "ERROR: <input>:1:9: undefined field 'nope'"],
    ["self.name + 1 == 'x1'", "ERROR: <input>:1:11: found no matching overload for '_+_' applied to '(string, int)'"],
    ['self.replicas == 1.5', "ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(int, double)'"],
    ['self.replicas.startsWith("a")', "ERROR: <input>:1:25: found no matching overload for 'startsWith' applied to 'int.(string)'"],
    ['self.enabled && self.replicas', "ERROR: <input>:1:14: found no matching overload for '_&&_' applied to '(bool, int)'"],
    ['!self.name', "ERROR: <input>:1:1: found no matching overload for '!_' applied to '(string)'"],
    ['self.tags["a"] == "b"', "ERROR: <input>:1:10: found no matching overload for '_[_]' applied to '(list(string), string)'"],
    ['self.labels[1] == "b"', "ERROR: <input>:1:12: found no matching overload for '_[_]' applied to '(map(string, string), int)'"],
    ['self.replicas.foo == 1', "ERROR: <input>:1:14: type 'int' does not support field selection"],
    ['self.replicas.all(x, x > 0)', "ERROR: <input>:1:18: expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)"],
    ['self.created > self.timeout', "ERROR: <input>:1:14: found no matching overload for '_>_' applied to '(google.protobuf.Timestamp, google.protobuf.Duration)'"],
    ['[1, "a"].size() == 2', "ERROR: <input>:1:1: type 'string' does not match previous type 'int' in aggregate. Use 'dyn(x)' to make the aggregate dynamic."],
    ['self.metadata.namespace == "x"', 'ERROR: <input>:1:5: undefined field \'metadata\''],
    ['self.template.metadata.namespace == "x"', "ERROR: <input>:1:23: undefined field 'namespace'"],
    ['self.tags.exists(t, t.size())', "ERROR: <input>:1:17: found no matching overload for '_||_' applied to '(bool, int)'"],
    ['self.enabled ? 1 : "a"', "ERROR: <input>:1:1: found no matching overload for '_?_:_' applied to '(bool, int, string)'"],
    ['self.name in self.replicas', "ERROR: <input>:1:11: found no matching overload for '@in' applied to '(string, int)'"],
  ];
  for (const [rule, want] of cases) assert.equal(check(rule).error, want, rule);
});

test('type checking: correct rules pass, with their result types; dyn never fails', () => {
  const cases: Array<[string, string, { optionalOldSelf?: boolean }?]> = [
    ['self.minReplicas <= self.replicas', 'bool'],
    ['self.size == oldSelf.size', 'bool'],
    ['self.tags.all(t, t == t.lowerAscii())', 'bool'],
    ['self.replicas < self.ratio', 'bool'],
    ['self.ratio * 2.0', 'double'],
    ["'a: ' + string(self.replicas)", 'string'],
    ['self.labels.exists(k, self.labels[k].startsWith("x"))', 'bool'],
    ["self.labels['app'] == 'web'", 'bool'],
    ['self.items.map(i, i.weight).sum() <= 100', 'bool'],
    ['self.items.filter(i, i.weight > 1).size()', 'int'],
    ['self.items.exists_one(i, i.name == "a")', 'bool'],
    ['self.created + self.timeout > self.created', 'bool'],
    ["self.created - timestamp('2020-01-01T00:00:00Z') < duration('1h')", 'bool'],
    ['self.port == 80 || self.port == "http"', 'bool'],
    ['self.extra.anything.goes > 3', 'bool'],
    ['self.template.spec.whatever == 1 && self.template.kind == "Pod"', 'bool'],
    ['self.?name.orValue("x") == "x"', 'bool'],
    ['self.?items[0].?name.hasValue()', 'bool'],
    ['!has(self.name) || self.name.matches("^[a-z]+$")', 'bool'],
    ['oldSelf.hasValue() ? oldSelf.value().replicas <= self.replicas : true', 'bool', { optionalOldSelf: true }],
    ['quantity("1Gi").isGreaterThan(quantity("1Mi"))', 'bool'],
    ['isURL(self.name) && url(self.name).getScheme() == "https"', 'bool'],
    ['self.name == null || size(self.name) < 64', 'bool'],
    ['dyn(self.replicas) == "x"', 'bool'],
    ["self.tags + ['x']", 'list(string)'],
    ['{"a": 1}.a == 1', 'bool'],
    ['self.replicas', 'int'],
    ['self.name.split(",").size() > 1', 'bool'],
    ['format.dns1123Label().validate(self.name).hasValue()', 'bool'],
    ['self.foo__dash__bar == 1', 'bool'],
  ];
  for (const [rule, want, opts] of cases) assert.deepEqual(check(rule, opts), { error: undefined, type: want }, rule);
});

test('type checking: the root and embedded resources see apiVersion, kind, metadata.name and generateName only', () => {
  const root = schemaCELType(
    { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } }, spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    { root: true },
  );
  const cases: Array<[string, string | undefined]> = [
    ["self.metadata.name.startsWith('a') && self.metadata.generateName == '' && self.kind == 'W' && self.apiVersion != ''", undefined],
    ['self.spec.anything == 1', undefined],
    ["self.metadata.labels['a'] == 'b'", "ERROR: <input>:1:14: undefined field 'labels'"],
  ];
  for (const [rule, want] of cases) assert.equal(compileCEL(rule, { variables: ['self'], types: { self: root } }).error?.split('\n')[0], want, rule);
});
