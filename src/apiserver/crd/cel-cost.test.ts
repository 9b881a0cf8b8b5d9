// Static cost limits of CRD validation rules: the per-rule estimate against 10,000,000 and the schema total
// against 100,000,000, with upstream's texts and field paths, and the bounds (maxItems, maxLength…) that fix them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costErrorMessage, validateSchemaRules } from './cel-validation.js';
import type { JSONSchemaProps } from './crd-types.js';

const root = 'spec.versions[0].schema.openAPIV3Schema';
const show = (s: object) => validateSchemaRules(s as JSONSchemaProps, root).map((e) => `${e.field}: ${e.detail}`);
const tagsSchema = (tags: object): object => ({ type: 'object', properties: { spec: { type: 'object', properties: { tags } } } });
const containsGPU = [{ rule: "self.all(x, x.contains('gpu'))" }];

test('per-rule estimate: the largest accepted maxItems for a string traversal per item follows maxLength', () => {
  // Per item: the loop's two reads, x, and contains over maxLength*4 bytes at 0.1 a byte.
  const cases: Array<[number, number, boolean]> = [
    [16, 909_090, true],
    [16, 909_091, false],
    [63, 333_333, true],
    [63, 333_334, false],
    [1024, 24_154, true],
    [1024, 24_155, false],
  ];
  for (const [maxLength, maxItems, accepted] of cases) {
    const got = show(tagsSchema({ type: 'array', maxItems, items: { type: 'string', maxLength }, 'x-kubernetes-validations': containsGPU }));
    assert.deepEqual(got.length === 0, accepted, `${maxLength}/${maxItems}: ${got.join('; ')}`);
    if (!accepted) assert.match(got[0], /x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of 1\.0000\d\dx \(try simplifying/);
  }
});

test('an unbounded list: the rule, its contribution and the schema total are refused', () => {
  const got = show(tagsSchema({ type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': containsGPU }));
  const rule = `${root}.properties[spec].properties[tags].x-kubernetes-validations[0].rule`;
  const advice = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
  assert.deepEqual(got, [
    `${rule}: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${advice}`,
    `${rule}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
    `${root}: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${advice}`,
  ]);
});

test('the schema total counts a cheap rule once per possible item: only the total is over', () => {
  // 10 rules costing 3 each on the items of a 10,000,000-item list: 10 × 3 × 10,000,000 = 3 × 100,000,000.
  const rules = Array.from({ length: 10 }, (_, i) => ({ rule: `self.size() > ${i}` }));
  const got = show(tagsSchema({ type: 'array', maxItems: 10_000_000, items: { type: 'string', maxLength: 8, 'x-kubernetes-validations': rules } }));
  assert.equal(got.length, 5, got.join('\n'));
  got.slice(0, 4).forEach((e) => assert.match(e, /\.items\.x-kubernetes-validations\[\d\]\.rule: Forbidden: contributed to estimated rule cost total exceeding cost limit/));
  assert.match(got[4], new RegExp(`^${root.replace(/[.[\]]/g, '\\$&')}: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 3\\.0x`));
});

test('bounded schemas and cheap rules cost nothing to refuse', () => {
  const cases: Array<[string, object]> = [
    ['scalar', { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10' }] }],
    ['bounded map', { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 64 }, 'x-kubernetes-validations': [{ rule: 'self.all(k, isQuantity(self[k]))' }] }],
    ['unbounded string compared once', { type: 'string', 'x-kubernetes-validations': [{ rule: "self == oldSelf && self.startsWith('a')" }] }],
    // Shapes Gateway API's CRDs use (all 657 of their rules are accepted): map keys matched against a pattern,
    // 1024 hostnames of up to 253 characters matched after a substring.
    ['map keys matched', { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 4096 }, 'x-kubernetes-validations': [{ rule: "self.all(k, k.matches('^([a-z0-9.-]+/)?[A-Za-z0-9][-A-Za-z0-9_.]*$') && k.split('/')[0].size() < 253)" }] }],
    [
      'hostnames matched',
      { type: 'array', maxItems: 1024, items: { type: 'string', maxLength: 253 }, 'x-kubernetes-validations': [{ rule: "self.all(h, h.startsWith('*.') ? h.substring(2).matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$') : !isIP(h))" }] },
    ],
    // Kueue's and Karpenter's shapes: an unbounded list of conditions whose required fields bound how many fit in
    // a request, an enum bounding a string, an unbounded map of int-or-string.
    [
      'conditions',
      {
        type: 'array',
        items: { type: 'object', required: ['type', 'status', 'lastTransitionTime'], properties: { type: { type: 'string', maxLength: 316 }, status: { type: 'string', enum: ['True', 'False', 'Unknown'] }, lastTransitionTime: { type: 'string', format: 'date-time' }, message: { type: 'string' } } },
        'x-kubernetes-validations': [{ rule: "self.exists(c, c.type == 'QuotaReserved' && c.status == 'True') ? self.all(c, c.status != 'Unknown') : true" }],
      },
    ],
    // Envoy Gateway's shapes: a pattern over an unbounded string, and a bounded list nested in an unbounded one
    // (its items occur as often as they fit in a request, not 50 times the outer estimate).
    ['pattern over an unbounded string', { type: 'string', 'x-kubernetes-validations': [{ rule: "self.matches('^((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)[.]){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$')" }] }],
    [
      'bounded list in an unbounded one',
      {
        type: 'array',
        items: { type: 'object', properties: { codes: { type: 'array', maxItems: 50, items: { type: 'object', properties: { type: { type: 'string', enum: ['Value', 'Range'] }, value: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: "self.type == 'Value' ? has(self.value) : !has(self.value)" }, { rule: "!has(self.type) || self.type == 'Value' || self.type == 'Range'" }] } } } },
      },
    ],
    ['int-or-string map', { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true }, 'x-kubernetes-validations': [{ rule: "self.all(x, !(x in ['cpu', 'memory', 'ephemeral-storage', 'pods']))" }] }],
  ];
  for (const [name, tags] of cases) assert.deepEqual(show(tagsSchema(tags)), [], name);
});

test('the exceed factor is printed as Go does', () => {
  const cases: Array<[number, string]> = [
    [10_000_001, '1.000000x'],
    [14_000_000, '1.400000x'],
    [15_000_000, '1.5x'],
    [123_456_789, '12.3x'],
    [1_000_000_001, 'more than 100x'],
  ];
  for (const [cost, want] of cases) assert.match(costErrorMessage('estimated rule cost', cost, 10_000_000), new RegExp(`by factor of ${want.replace('.', '\\.')} \\(`));
});
