// aggregatedRules: matching roles by any selector, in name order, each distinct rule once, itself excluded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatedRules } from './aggregation.js';
import type { PolicyRule, RoleObject } from './types.js';

const r = (verb: string, resource: string): PolicyRule => ({ verbs: [verb], apiGroups: [''], resources: [resource] });
const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], aggregationRule?: RoleObject['aggregationRule']): RoleObject => ({
  metadata: { name, labels },
  rules,
  aggregationRule,
});

test('aggregatedRules', () => {
  const monitoring = role('monitoring', {}, [], { clusterRoleSelectors: [{ matchLabels: { 'agg/monitoring': 'true' } }, { matchExpressions: [{ key: 'extra', operator: 'Exists' }] }] });
  const all = [
    monitoring,
    role('z-pods', { 'agg/monitoring': 'true' }, [r('get', 'pods'), r('list', 'pods')]),
    role('a-nodes', { 'agg/monitoring': 'true' }, [r('get', 'nodes'), r('get', 'pods')]),
    role('m-extra', { extra: 'anything' }, [r('watch', 'events')]),
    role('unrelated', { 'agg/monitoring': 'false' }, [r('delete', 'secrets')]),
  ];
  assert.deepEqual(aggregatedRules(monitoring, all), [r('get', 'nodes'), r('get', 'pods'), r('watch', 'events'), r('list', 'pods')]);
  assert.equal(aggregatedRules(all[1]!, all), undefined, 'no aggregationRule: not aggregated');
  assert.deepEqual(aggregatedRules(role('empty', {}, [r('get', 'x')], { clusterRoleSelectors: [] }), all), [], 'no selectors: no rules');
  // A role matching its own selector does not aggregate itself.
  const selfish = role('selfish', { 'agg/monitoring': 'true' }, [r('get', 'self')], { clusterRoleSelectors: [{ matchLabels: { 'agg/monitoring': 'true' } }] });
  assert.ok(!aggregatedRules(selfish, [...all, selfish])!.some((x) => x.resources?.[0] === 'self'));
});
