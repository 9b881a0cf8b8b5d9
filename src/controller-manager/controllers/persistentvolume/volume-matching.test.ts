import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { findMatchingVolume } from './volume-matching.js';

const pv = (name: string, size: string, extra: Partial<corev1.PersistentVolumeSpec> = {}, phase = 'Available', labels?: Record<string, string>): corev1.PersistentVolume => ({
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], ...extra },
  status: { phase },
});
const claim = (spec: Partial<corev1.PersistentVolumeClaimSpec> = {}): corev1.PersistentVolumeClaim => ({
  metadata: { name: 'c', namespace: 'ns', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const node = (name: string): corev1.Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const onNode = (n: string): corev1.VolumeNodeAffinity => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [n] }] }] } });

test('findMatchingVolume: pre-bound first, else the smallest Available volume that fits every rule', () => {
  const cases: Array<{ name: string; claim: corev1.PersistentVolumeClaim; volumes: corev1.PersistentVolume[]; delayBinding?: boolean; node?: corev1.Node; want: string | undefined }> = [
    { name: 'smallest that fits', claim: claim(), volumes: [pv('a', '10Gi'), pv('b', '2Gi'), pv('c', '500Mi')], want: 'b' },
    { name: 'exact size', claim: claim(), volumes: [pv('a', '2Gi'), pv('b', '1Gi')], want: 'b' },
    { name: 'access modes must be included', claim: claim({ accessModes: ['ReadWriteMany'] }), volumes: [pv('a', '1Gi'), pv('b', '5Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] })], want: 'b' },
    { name: 'class must equal', claim: claim({ storageClassName: 'fast' }), volumes: [pv('a', '1Gi'), pv('b', '1Gi', { storageClassName: 'fast' })], want: 'b' },
    { name: 'no class matches only classless volumes', claim: claim(), volumes: [pv('a', '1Gi', { storageClassName: 'fast' })], want: undefined },
    { name: 'volumeMode must equal (default Filesystem)', claim: claim({ volumeMode: 'Block' }), volumes: [pv('a', '1Gi'), pv('b', '3Gi', { volumeMode: 'Block' })], want: 'b' },
    { name: 'not Available is skipped', claim: claim(), volumes: [pv('a', '1Gi', {}, 'Released'), pv('b', '3Gi')], want: 'b' },
    { name: 'claimed by another is skipped', claim: claim(), volumes: [pv('a', '1Gi', { claimRef: { namespace: 'ns', name: 'other' } }), pv('b', '3Gi')], want: 'b' },
    { name: 'pre-bound to this claim wins over a better fit', claim: claim(), volumes: [pv('a', '1Gi'), pv('b', '9Gi', { claimRef: { namespace: 'ns', name: 'c' } }, 'Released')], want: 'b' },
    { name: 'pre-bound with another uid is not ours', claim: claim(), volumes: [pv('b', '9Gi', { claimRef: { namespace: 'ns', name: 'c', uid: 'old' } })], want: undefined },
    { name: 'selector', claim: claim({ selector: { matchLabels: { tier: 'gold' } } }), volumes: [pv('a', '1Gi'), pv('b', '3Gi', {}, 'Available', { tier: 'gold' })], want: 'b' },
    { name: 'too small', claim: claim({ resources: { requests: { storage: '5Gi' } } }), volumes: [pv('a', '1Gi')], want: undefined },
    { name: 'delayed binding without a node binds nothing', claim: claim(), volumes: [pv('a', '1Gi', { nodeAffinity: onNode('n1') })], delayBinding: true, want: undefined },
    { name: 'delayed binding picks a volume on the node', claim: claim(), volumes: [pv('a', '1Gi', { nodeAffinity: onNode('n1') }), pv('b', '4Gi', { nodeAffinity: onNode('n2') })], delayBinding: true, node: node('n2'), want: 'b' },
  ];
  for (const c of cases) {
    const got = findMatchingVolume(c.claim, c.volumes, { delayBinding: c.delayBinding ?? false, node: c.node });
    assert.equal(got?.metadata?.name, c.want, c.name);
  }
});
