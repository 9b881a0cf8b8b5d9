import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProfile } from '../config/defaults.js';
import type { KubeSchedulerProfile } from '../config/types.js';
import { newInTreeRegistry } from '../plugins/registry.js';
import { Snapshot } from '../cache/snapshot.js';
import { makeNode, makePod } from '../testing/builders.js';
import { CycleState } from './cycle-state.js';
import type { FilterPlugin, Plugin, PluginFactory, ScorePlugin } from './interface.js';
import { newNodeInfo } from './node-info.js';
import { Framework } from './runtime.js';
import { Code, Status } from './status.js';

/** The plugins these tests are written against (the registry grows; expansion is what is tested). */
const core = new Set([
  'SchedulingGates',
  'PrioritySort',
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'NodeResourcesBalancedAllocation',
  'ImageLocality',
  'DefaultBinder',
]);

function framework(p: KubeSchedulerProfile, extra: Array<[string, PluginFactory]> = []): Framework {
  const registry = new Map([...[...newInTreeRegistry()].filter(([name]) => core.has(name)), ...extra]);
  return new Framework({ profile: defaultProfile(p), registry, snapshot: () => new Snapshot() });
}

test('the default profile expands MultiPoint into upstream order per extension point (core plugins)', () => {
  assert.deepEqual(framework({}).listPlugins(), {
    preEnqueue: ['SchedulingGates'],
    queueSort: ['PrioritySort'],
    preFilter: ['NodeAffinity', 'NodePorts', 'NodeResourcesFit'],
    filter: ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit'],
    preScore: ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation', 'ImageLocality'],
    score: ['TaintToleration(3)', 'NodeAffinity(2)', 'NodeResourcesFit(1)', 'NodeResourcesBalancedAllocation(1)', 'ImageLocality(1)'],
    bind: ['DefaultBinder'],
  });
});

test('plugin sets: disable one, disable all with *, override a weight, add at one point', () => {
  const cases: Array<{ name: string; profile: KubeSchedulerProfile; point: 'filter' | 'score'; want: string[] }> = [
    { name: 'disable at one point only', profile: { plugins: { filter: { disabled: [{ name: 'TaintToleration' }] } } }, point: 'filter', want: ['NodeUnschedulable', 'NodeName', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit'] },
    { name: 'disable all scores', profile: { plugins: { score: { disabled: [{ name: '*' }] } } }, point: 'score', want: [] },
    {
      name: 'score weight override keeps the point order first',
      profile: { plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 5 }] } } },
      point: 'score',
      want: ['ImageLocality(5)', 'TaintToleration(3)', 'NodeAffinity(2)', 'NodeResourcesFit(1)', 'NodeResourcesBalancedAllocation(1)'],
    },
    {
      name: 'MultiPoint disabled removes it everywhere',
      profile: { plugins: { multiPoint: { disabled: [{ name: 'NodeResourcesFit' }] } } },
      point: 'score',
      want: ['TaintToleration(3)', 'NodeAffinity(2)', 'NodeResourcesBalancedAllocation(1)', 'ImageLocality(1)'],
    },
  ];
  for (const tc of cases) assert.deepEqual(framework(tc.profile).listPlugins()[tc.point] ?? [], tc.want, tc.name);
});

test('configuration errors', () => {
  assert.throws(() => framework({ plugins: { filter: { enabled: [{ name: 'NoSuchPlugin' }] } } }), /plugin "NoSuchPlugin" does not exist/);
  assert.throws(() => framework({ plugins: { queueSort: { disabled: [{ name: '*' }] } } }), /no queue sort plugin is enabled/);
  assert.throws(() => framework({ plugins: { bind: { disabled: [{ name: '*' }] } } }), /at least one bind plugin is needed/);
  assert.throws(() => framework({ plugins: { filter: { enabled: [{ name: 'PrioritySort' }] } } }), /does not extend filter plugin/);
});

test('Filter: the first rejection wins and is attributed; a non-rejection is an Error', () => {
  const reject: PluginFactory = () => ({ name: 'Reject', filter: () => new Status(Code.Unschedulable, ['nope']) }) as FilterPlugin;
  const broken: PluginFactory = () => ({ name: 'Broken', filter: () => new Status(Code.Wait, ['odd']) }) as FilterPlugin;
  const fwk = framework({ plugins: { multiPoint: { enabled: [{ name: 'Reject' }] }, filter: { disabled: [{ name: '*' }], enabled: [{ name: 'Reject' }] } } }, [['Reject', reject]]);
  const ni = newNodeInfo(makeNode({ name: 'n' }));
  assert.deepEqual(fwk.runFilterPlugins(new CycleState(), makePod(), ni), new Status(Code.Unschedulable, ['nope'], 'Reject'));
  const fwk2 = framework({ plugins: { filter: { disabled: [{ name: '*' }], enabled: [{ name: 'Broken' }] } } }, [['Broken', broken]]);
  assert.deepEqual(fwk2.runFilterPlugins(new CycleState(), makePod(), ni), new Status(Code.Error, ['running "Broken" filter plugin: odd'], 'Broken'));
});

test('Score: weights multiply normalized scores; out-of-range scores are an Error', () => {
  const fixed = (name: string, by: Record<string, number>): PluginFactory => () => ({ name, score: (_s, _p, ni) => by[ni.name()] ?? 0 }) as ScorePlugin & Plugin;
  const fwk = framework(
    { plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'A', weight: 2 }, { name: 'B' }] } } },
    [
      ['A', fixed('A', { n1: 10, n2: 50 })],
      ['B', fixed('B', { n1: 30, n2: 0 })],
    ],
  );
  const nodes = [newNodeInfo(makeNode({ name: 'n1' })), newNodeInfo(makeNode({ name: 'n2' }))];
  assert.deepEqual(fwk.runScorePlugins(new CycleState(), makePod(), nodes), { totals: [50, 100], status: null });
  const bad = framework({ plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'A' }] } } }, [['A', fixed('A', { n1: 101 })]]);
  assert.equal(bad.runScorePlugins(new CycleState(), makePod(), nodes).status?.message(), 'plugin "A" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
});
