// How Go prints label selector pointers in HPA metric names and messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { goLabelSelectorString } from './go-format.js';

const cases: Array<[string, LabelSelector | undefined, string]> = [
  ['nil', undefined, 'nil'],
  ['empty', {}, '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}'],
  [
    'labels sorted, expressions in order',
    { matchLabels: { z: '1', a: '2' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
    '&LabelSelector{MatchLabels:map[string]string{a: 2,z: 1,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[web api],},},}',
  ],
];
for (const [name, sel, want] of cases) {
  test(`goLabelSelectorString: ${name}`, () => assert.equal(goLabelSelectorString(sel), want));
}
