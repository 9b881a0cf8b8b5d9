import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/generated/core/v1.js';
import type { StorageClass } from '../../../api/generated/storage/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { staticVolumeListers } from '../volumebinding/listers.js';
import { ErrReasonConflict, VolumeZonePlugin } from './volume-zone.js';

const pvc = (name: string, volumeName?: string, storageClassName?: string): PersistentVolumeClaim => ({ metadata: { name, namespace: 'default' }, spec: { volumeName, storageClassName } });
const pv = (name: string, labels: Record<string, string>): PersistentVolume => ({ metadata: { name, labels }, spec: {} });
const classes: StorageClass[] = [
  { metadata: { name: 'wffc' }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'now' }, provisioner: 'x', volumeBindingMode: 'Immediate' },
];
const listers = staticVolumeListers({
  pvcs: [pvc('in-a', 'pv-a'), pvc('in-ab', 'pv-ab'), pvc('beta', 'pv-beta'), pvc('late', undefined, 'wffc'), pvc('stuck', undefined, 'now'), pvc('nothing')],
  pvs: [pv('pv-a', { 'topology.kubernetes.io/zone': 'a' }), pv('pv-ab', { 'topology.kubernetes.io/zone': 'a__b' }), pv('pv-beta', { 'failure-domain.beta.kubernetes.io/zone': 'b' })],
  classes,
});

function podWith(claim: string): Pod {
  const p = makePod({ name: 'p' });
  if (p.spec) p.spec.volumes = [{ name: 'v', persistentVolumeClaim: { claimName: claim } }];
  return p;
}

test('VolumeZone filter', () => {
  const conflict = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonConflict]);
  const zoneA = makeNode({ name: 'za', labels: { 'topology.kubernetes.io/zone': 'a' } });
  const zoneB = makeNode({ name: 'zb', labels: { 'topology.kubernetes.io/zone': 'b' } });
  const plain = makeNode({ name: 'plain' });
  const cases: Array<{ name: string; claim: string; want: Record<string, Status | null> | Status }> = [
    { name: 'PV in zone a', claim: 'in-a', want: { za: null, zb: conflict, plain: null } },
    { name: 'PV in zones a and b', claim: 'in-ab', want: { za: null, zb: null, plain: null } },
    { name: 'a beta PV label matches the GA node label', claim: 'beta', want: { za: conflict, zb: null, plain: null } },
    { name: 'unbound WaitForFirstConsumer: skipped', claim: 'late', want: { za: null, zb: null, plain: null } },
    { name: 'unbound Immediate', claim: 'stuck', want: new Status(Code.UnschedulableAndUnresolvable, ['PersistentVolume had no name']) },
    { name: 'no PV and no class', claim: 'nothing', want: new Status(Code.UnschedulableAndUnresolvable, ['PersistentVolumeClaim had no pv name and storageClass name']) },
    { name: 'missing claim', claim: 'gone', want: new Status(Code.UnschedulableAndUnresolvable, ['persistentvolumeclaim "gone" not found']) },
  ];
  for (const tc of cases) {
    const pl = new VolumeZonePlugin(listers);
    const state = new CycleState();
    const pod = podWith(tc.claim);
    const pf = pl.preFilter(state, pod);
    if (pf.status && !pf.status.isSkip()) {
      assert.deepEqual(pf.status, tc.want, tc.name);
      continue;
    }
    const got: Record<string, Status | null> = {};
    for (const n of [zoneA, zoneB, plain]) got[n.metadata?.name ?? ''] = pf.status?.isSkip() ? null : pl.filter(state, pod, newNodeInfo(n));
    assert.deepEqual(got, tc.want, tc.name);
  }
});
