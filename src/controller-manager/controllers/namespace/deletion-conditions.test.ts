import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionTypes, updateConditions, type DeletionFindings, type NamespaceCondition } from './deletion-conditions.js';

const none = (): DeletionFindings => ({ contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() });

const cases: Array<{ name: string; findings: DeletionFindings; want: Record<string, [string, string, string]> }> = [
  {
    name: 'nothing wrong: every condition False with its OK reason',
    findings: none(),
    want: {
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      NamespaceContentRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
      NamespaceFinalizersRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
    },
  },
  {
    name: 'remaining content and finalizers, sorted; content errors counted and sorted',
    findings: {
      contentErrors: ['z failed', 'a failed'],
      remainingByResource: new Map([
        ['widgets.example.com', 2],
        ['pods.', 1],
        ['configmaps.', 0],
      ]),
      remainingByFinalizer: new Map([
        ['example.com/b', 1],
        ['example.com/a', 2],
      ]),
    },
    want: {
      NamespaceDeletionContentFailure: ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a failed, z failed'],
      NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances, widgets.example.com has 2 resource instances'],
      NamespaceFinalizersRemaining: ['True', 'SomeFinalizerRemain', 'Some finalizers are remaining: example.com/a in 2 resource instances, example.com/b in 1 resource instances'],
    },
  },
  {
    name: 'discovery and group version failures',
    findings: { ...none(), discoveryFailure: 'Discovery failed for some groups, 1 failing: x', groupVersionFailure: 'bad gv' },
    want: {
      NamespaceDeletionDiscoveryFailure: ['True', 'DiscoveryFailed', 'Discovery failed for some groups, 1 failing: x'],
      NamespaceDeletionGroupVersionParsingFailure: ['True', 'GroupVersionParsingFailed', 'bad gv'],
    },
  },
];

for (const c of cases) {
  test(`namespace conditions: ${c.name}`, () => {
    const out = updateConditions([], c.findings, '2026-01-01T00:00:00Z')!;
    assert.deepEqual(out.map((x) => x.type), [...conditionTypes]);
    for (const [type, [status, reason, message]] of Object.entries(c.want)) {
      const got = out.find((x) => x.type === type)!;
      assert.deepEqual([got.status, got.reason, got.message], [status, reason, message], type);
    }
  });
}

test('namespace conditions: unchanged → undefined; lastTransitionTime moves only when the status flips', () => {
  const first = updateConditions([], none(), 't1')!;
  assert.equal(updateConditions(first, none(), 't2'), undefined);
  const remaining = { ...none(), remainingByResource: new Map([['pods.', 1]]) };
  const second = updateConditions(first, remaining, 't3')!;
  const byType = (cs: NamespaceCondition[], t: string) => cs.find((c) => c.type === t)!;
  assert.equal(byType(second, 'NamespaceContentRemaining').lastTransitionTime, 't3');
  assert.equal(byType(second, 'NamespaceDeletionDiscoveryFailure').lastTransitionTime, 't1');
  const third = updateConditions(second, { ...none(), remainingByResource: new Map([['pods.', 2]]) }, 't4')!;
  // Same status, new message: the transition time stays.
  assert.equal(byType(third, 'NamespaceContentRemaining').lastTransitionTime, 't3');
  assert.match(byType(third, 'NamespaceContentRemaining').message!, /pods\. has 2/);
});
