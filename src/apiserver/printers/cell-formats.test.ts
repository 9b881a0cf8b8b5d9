// Table tests for the shared cell formats: labels, selectors, containers, access modes, "+ N more...".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  containerCells,
  formatAccessModes,
  formatLabels,
  formatLabelSelector,
  formatOptionalBool,
  intOrString,
  labelSelectorString,
  listWithMore,
} from './cell-formats.js';

test('label maps and selectors', () => {
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels({ tier: 'fe', app: 'web' }), 'app=web,tier=fe');

  const cases: Array<[object | undefined, string, string]> = [
    [undefined, '<none>', ''],
    [{}, '<none>', ''],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2', 'a=1,b=2'],
    [
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'app', operator: 'Exists' }] },
      'app,!canary,env notin (dev,qa)',
      'app,!canary,env notin (dev,qa)',
    ],
    [{ matchExpressions: [{ key: 'x', operator: 'Near', values: ['y'] }] }, '<error>', '<invalid>'],
  ];
  for (const [selector, formatted, plain] of cases) {
    assert.equal(formatLabelSelector(selector as never), formatted, JSON.stringify(selector));
    assert.equal(labelSelectorString(selector as never), plain, JSON.stringify(selector));
  }
});

test('containers, access modes, lists, booleans, int-or-string', () => {
  assert.deepEqual(containerCells(undefined), ['', '']);
  assert.deepEqual(containerCells([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y' }]), ['a,b', 'x:1,y']);

  const modes: Array<[string[] | undefined, string]> = [
    [undefined, ''],
    [['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce'], 'RWO,ROX,RWOP'],
    [['ReadWriteMany', 'ReadWriteMany'], 'RWX'],
    [['Bogus'], ''],
  ];
  for (const [m, want] of modes) assert.equal(formatAccessModes(m), want, JSON.stringify(m));

  const lists: Array<[string[], string]> = [
    [[], '<unset>'],
    [['a'], 'a'],
    [['a', 'b', 'c'], 'a,b,c'],
    [['a', 'b', 'c', 'd', 'e'], 'a,b,c + 2 more...'],
  ];
  for (const [l, want] of lists) assert.equal(listWithMore(l), want, JSON.stringify(l));

  assert.deepEqual([formatOptionalBool(true), formatOptionalBool(false), formatOptionalBool(undefined)], ['True', 'False', '<unset>']);
  assert.deepEqual([intOrString(2), intOrString('50%')], ['2', '50%']);
});
