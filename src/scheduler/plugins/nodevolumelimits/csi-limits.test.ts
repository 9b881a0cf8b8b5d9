import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/generated/core/v1.js';
import type { CSINode } from '../../../api/generated/storage/v1.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { runFilter } from '../../testing/plugin-harness.js';
import { staticVolumeListers } from '../volumebinding/listers.js';
import { CSILimitsPlugin, ErrReasonMaxVolumeCountExceeded } from './csi-limits.js';

const driver = 'ebs.csi.example.com';
const pvc = (name: string): PersistentVolumeClaim => ({ metadata: { name, namespace: 'default' }, spec: { volumeName: `pv-${name}` } });
const pv = (name: string, d = driver): PersistentVolume => ({ metadata: { name: `pv-${name}` }, spec: { csi: { driver: d, volumeHandle: `h-${name}` } } });
const csiNode = (count?: number): CSINode => ({ metadata: { name: 'n1' }, spec: { drivers: [{ name: driver, nodeID: 'n1', allocatable: count === undefined ? undefined : { count } }] } });

function pod(name: string, claims: string[], nodeName?: string): Pod {
  const p = makePod({ name, nodeName });
  if (p.spec) p.spec.volumes = claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } }));
  return p;
}

test('NodeVolumeLimits (CSI) filter', () => {
  const exceeded = new Status(Code.Unschedulable, [ErrReasonMaxVolumeCountExceeded]);
  const names = ['a', 'b', 'c', 'other'];
  const cases: Array<{ name: string; limit?: number; existing: Pod[]; incoming: Pod; want: Status | null }> = [
    { name: 'within the limit', limit: 2, existing: [pod('e', ['a'], 'n1')], incoming: pod('in', ['b']), want: null },
    { name: 'over the limit', limit: 2, existing: [pod('e', ['a', 'b'], 'n1')], incoming: pod('in', ['c']), want: exceeded },
    { name: 'a volume already attached does not count twice', limit: 2, existing: [pod('e', ['a', 'b'], 'n1')], incoming: pod('in', ['a']), want: null },
    { name: 'another driver is not limited', limit: 1, existing: [pod('e', ['a'], 'n1')], incoming: pod('in', ['other']), want: null },
    { name: 'no allocatable count: no limit', existing: [pod('e', ['a', 'b'], 'n1')], incoming: pod('in', ['c']), want: null },
    { name: 'a missing claim', limit: 2, existing: [], incoming: pod('in', ['gone']), want: new Status(Code.UnschedulableAndUnresolvable, ['persistentvolumeclaim "gone" not found']) },
  ];
  for (const tc of cases) {
    const listers = staticVolumeListers({ pvcs: names.map(pvc), pvs: [...['a', 'b', 'c'].map((n) => pv(n)), pv('other', 'other.csi')], csiNodes: [csiNode(tc.limit)] });
    const got = runFilter(new CSILimitsPlugin(listers), tc.incoming, newNodeInfo(makeNode({ name: 'n1' }), ...tc.existing));
    assert.deepEqual(got, tc.want, tc.name);
  }
});
