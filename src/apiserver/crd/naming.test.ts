import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { CRDNames } from './crd-types.js';
import { acceptNames } from './naming.js';

const taken: CRDNames[] = [{ plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] }];
const builtin: ResourceInfo = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  listKind: 'WidgetList',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  verbs: [],
  shortNames: ['wd'],
  categories: [],
  subresources: [],
  definition: '',
};

test('acceptNames: conflicts with other CRDs and built-ins of the group, in upstream order', () => {
  const cases: Array<[string, CRDNames, string]> = [
    ['free names', { plural: 'backups', kind: 'Backup' }, 'accepted'],
    ['plural taken', { plural: 'crontabs', kind: 'Other' }, 'PluralConflict "crontabs" is already in use'],
    ['plural equals a singular', { plural: 'crontab', kind: 'Other' }, 'PluralConflict "crontab" is already in use'],
    ['singular defaults to the lower-case kind', { plural: 'others', kind: 'Widget' }, 'SingularConflict "widget" is already in use'],
    ['short name taken', { plural: 'others', kind: 'Other', shortNames: ['ot', 'ct'] }, 'ShortNamesConflict "ct" is already in use'],
    ['kind taken', { plural: 'others', singular: 'other', kind: 'CronTab' }, 'KindConflict "CronTab" is already in use'],
    ['list kind taken', { plural: 'others', singular: 'other', kind: 'Other', listKind: 'WidgetList' }, 'ListKindConflict "WidgetList" is already in use'],
  ];
  for (const [name, names, want] of cases) {
    const v = acceptNames(names, { crds: taken, builtins: [builtin] });
    assert.equal(v.accepted ? 'accepted' : `${v.reason} ${v.message}`, want, name);
  }
});
