import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector } from './label-selector.js';

test('labelSelectorAsSelector', () => {
  const cases: Array<{ name: string; ls: LabelSelector | undefined; labels: Record<string, string>; want: boolean; str?: string }> = [
    { name: 'nil selects nothing', ls: undefined, labels: {}, want: false },
    { name: 'empty selects everything', ls: {}, labels: { a: 'b' }, want: true, str: '' },
    { name: 'matchLabels', ls: { matchLabels: { app: 'web' } }, labels: { app: 'web', x: 'y' }, want: true, str: 'app=web' },
    {
      name: 'expressions',
      ls: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['fe', 'be'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      labels: { app: 'web', tier: 'be', team: 'x' },
      want: true,
      str: 'app=web,env notin (prod),!legacy,team,tier in (be,fe)',
    },
    {
      name: 'expression fails',
      ls: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
      labels: { tier: 'be' },
      want: false,
    },
  ];
  for (const c of cases) {
    const sel = labelSelectorAsSelector(c.ls);
    assert.equal(sel.matches(c.labels), c.want, c.name);
    if (c.str !== undefined) assert.equal(sel.toString(), c.str, c.name);
  }
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), {
    message: '"Gt" is not a valid label selector operator',
  });
});

test('validateLabelSelector', () => {
  const errs = validateLabelSelector(
    {
      matchLabels: { 'a b': 'x' },
      matchExpressions: [
        { key: 'k', operator: 'In' },
        { key: 'k', operator: 'Exists', values: ['v'] },
        { key: 'k', operator: 'Equals', values: ['v$'] },
      ],
    },
    'spec.selector',
  );
  const want = [
      'spec.selector.matchLabels: Invalid value: "a b": name part must consist of alphanumeric c',
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operat",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector',
      'spec.selector.matchExpressions[2].values[0]: Invalid value: "v$": a valid label must be an ',
  ];
  assert.equal(errs.length, want.length);
  errs.forEach((e, i) => assert.ok(`${e.field}: ${e.detail}`.startsWith(want[i]), `${e.field}: ${e.detail}`));
  assert.deepEqual(validateLabelSelector(undefined, 'spec.selector'), []);
});
