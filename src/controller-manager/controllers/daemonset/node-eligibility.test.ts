// Daemon pod placement rules: selectors, affinity, taints against the automatic tolerations, pinning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { nodeShouldRunDaemonPod, pinToNode, targetNodeName } from './node-eligibility.js';

function node(name: string, labels: Record<string, string> = {}, taints: corev1.Taint[] = []): corev1.Node {
  return { metadata: { name, labels }, spec: { taints } };
}

const template = (spec: Partial<corev1.PodSpec> = {}): corev1.PodTemplateSpec => ({ spec: { containers: [{ name: 'c' }], ...spec } });

test('nodeShouldRunDaemonPod', () => {
  const affinity: corev1.Affinity = {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] }] } },
  };
  const cases: Array<{ name: string; node: corev1.Node; tpl: corev1.PodTemplateSpec; want: [boolean, boolean] }> = [
    { name: 'plain node', node: node('n'), tpl: template(), want: [true, true] },
    { name: 'nodeSelector miss', node: node('n', { disk: 'hdd' }), tpl: template({ nodeSelector: { disk: 'ssd' } }), want: [false, false] },
    { name: 'nodeSelector hit', node: node('n', { disk: 'ssd' }), tpl: template({ nodeSelector: { disk: 'ssd' } }), want: [true, true] },
    { name: 'affinity by label', node: node('n', { zone: 'b' }), tpl: template({ affinity }), want: [true, true] },
    { name: 'affinity by name', node: node('special'), tpl: template({ affinity }), want: [true, true] },
    { name: 'affinity miss', node: node('n', { zone: 'c' }), tpl: template({ affinity }), want: [false, false] },
    { name: 'NoSchedule taint', node: node('n', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), tpl: template(), want: [false, true] },
    { name: 'NoExecute taint', node: node('n', {}, [{ key: 'dedicated', effect: 'NoExecute' }]), tpl: template(), want: [false, false] },
    { name: 'tolerated taint', node: node('n', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), tpl: template({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] }), want: [true, true] },
    { name: 'PreferNoSchedule ignored', node: node('n', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), tpl: template(), want: [true, true] },
    { name: 'automatic: not-ready', node: node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), tpl: template(), want: [true, true] },
    { name: 'automatic: unschedulable', node: node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), tpl: template(), want: [true, true] },
    { name: 'automatic: memory-pressure', node: node('n', {}, [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }]), tpl: template(), want: [true, true] },
    { name: 'network-unavailable without hostNetwork', node: node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), tpl: template(), want: [false, true] },
    { name: 'network-unavailable with hostNetwork', node: node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), tpl: template({ hostNetwork: true }), want: [true, true] },
  ];
  for (const c of cases) {
    const got = nodeShouldRunDaemonPod(c.node, c.tpl);
    assert.deepEqual([got.shouldRun, got.shouldContinueRunning], c.want, c.name);
  }
});

test('pinToNode replaces the required terms with the node name and keeps preferences', () => {
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }];
  const pinned = pinToNode({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } }, 'node-1');
  assert.deepEqual(pinned.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] });
  assert.deepEqual(pinned.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution, preferred);
  assert.equal(targetNodeName({ spec: { containers: [], affinity: pinned } }), 'node-1');
  assert.equal(targetNodeName({ spec: { containers: [], nodeName: 'node-2', affinity: pinned } }), 'node-2');
});
