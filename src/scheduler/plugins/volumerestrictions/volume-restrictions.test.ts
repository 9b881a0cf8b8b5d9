import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolumeClaim, Pod, Volume } from '../../../api/generated/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { fakeHandle } from '../../testing/plugin-harness.js';
import { staticVolumeListers } from '../volumebinding/listers.js';
import { ErrReasonDiskConflict, ErrReasonReadWriteOncePodConflict, VolumeRestrictionsPlugin } from './volume-restrictions.js';

function pod(name: string, volumes: Volume[], nodeName?: string): Pod {
  const p = makePod({ name, nodeName });
  if (p.spec) p.spec.volumes = volumes;
  return p;
}
const gce = (pdName: string, readOnly = false): Volume => ({ name: 'v', gcePersistentDisk: { pdName, readOnly } });
const claimVol = (claimName: string): Volume => ({ name: 'v', persistentVolumeClaim: { claimName } });
const rwop: PersistentVolumeClaim = { metadata: { name: 'solo', namespace: 'default' }, spec: { accessModes: ['ReadWriteOncePod'] } };
const rwo: PersistentVolumeClaim = { metadata: { name: 'shared', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'] } };

test('VolumeRestrictions filter', () => {
  const disk = new Status(Code.Unschedulable, [ErrReasonDiskConflict]);
  const cases: Array<{ name: string; existing: Pod[]; incoming: Pod; want: Status | null }> = [
    { name: 'no volumes', existing: [], incoming: pod('in', []), want: null },
    { name: 'same GCE PD read-write', existing: [pod('e', [gce('pd1')], 'n1')], incoming: pod('in', [gce('pd1')]), want: disk },
    { name: 'same GCE PD read-only on both sides', existing: [pod('e', [gce('pd1', true)], 'n1')], incoming: pod('in', [gce('pd1', true)]), want: null },
    { name: 'different GCE PD', existing: [pod('e', [gce('pd2')], 'n1')], incoming: pod('in', [gce('pd1')]), want: null },
    { name: 'same EBS volume', existing: [pod('e', [{ name: 'v', awsElasticBlockStore: { volumeID: 'vol-1' } }], 'n1')], incoming: pod('in', [{ name: 'v', awsElasticBlockStore: { volumeID: 'vol-1', readOnly: true } }]), want: disk },
    {
      name: 'same RBD image through an overlapping monitor',
      existing: [pod('e', [{ name: 'v', rbd: { monitors: ['a', 'b'], image: 'img' } }], 'n1')],
      incoming: pod('in', [{ name: 'v', rbd: { monitors: ['b'], image: 'img' } }]),
      want: disk,
    },
    { name: 'same iSCSI IQN', existing: [pod('e', [{ name: 'v', iscsi: { iqn: 'iqn.1', lun: 0, targetPortal: 'p' } }], 'n1')], incoming: pod('in', [{ name: 'v', iscsi: { iqn: 'iqn.1', lun: 1, targetPortal: 'p' } }]), want: disk },
    { name: 'a ReadWriteOncePod claim in use anywhere', existing: [pod('e', [claimVol('solo')], 'n2')], incoming: pod('in', [claimVol('solo')]), want: new Status(Code.Unschedulable, [ErrReasonReadWriteOncePodConflict]) },
    { name: 'a ReadWriteOnce claim in use is fine here', existing: [pod('e', [claimVol('shared')], 'n1')], incoming: pod('in', [claimVol('shared')]), want: null },
    { name: 'a missing claim', existing: [], incoming: pod('in', [claimVol('nope')]), want: new Status(Code.UnschedulableAndUnresolvable, ['persistentvolumeclaim "nope" not found']) },
  ];
  for (const tc of cases) {
    const { handle, nodeInfos } = fakeHandle([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })], tc.existing);
    const pl = new VolumeRestrictionsPlugin({ handle, listers: staticVolumeListers({ pvcs: [rwop, rwo] }) });
    const state = new CycleState();
    const pf = pl.preFilter(state, tc.incoming);
    const got = pf.status?.isSkip() ? null : (pf.status ?? pl.filter(state, tc.incoming, nodeInfos[0]));
    assert.deepEqual(got, tc.want, tc.name);
  }
});
