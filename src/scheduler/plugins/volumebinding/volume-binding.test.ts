import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/generated/core/v1.js';
import type { StorageClass } from '../../../api/generated/storage/v1.js';
import { FakeClock } from '../../../base/clock.js';
import type { Interface } from '../../../client/rest/interface.js';
import { CycleState, type StateData } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interface.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { fakeHandle } from '../../testing/plugin-harness.js';
import { ErrReasonBindConflict, ErrReasonNodeConflict, ErrReasonPVNotExist, ErrUnboundImmediate } from './binder.js';
import { staticVolumeListers } from './listers.js';
import { VolumeBindingPlugin } from './volume-binding.js';

const hostKey = 'kubernetes.io/hostname';
const node = (name: string): Node => makeNode({ name, labels: { [hostKey]: name } });
const nodes = [node('n1'), node('n2')];

function claim(name: string, o: { class?: string; volumeName?: string; size?: string; modes?: string[] } = {}): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { storageClassName: o.class ?? 'local', volumeName: o.volumeName, accessModes: o.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: o.size ?? '1Gi' } } },
  };
}
function volume(name: string, o: { node?: string; class?: string; size?: string; claimRef?: string } = {}): PersistentVolume {
  return {
    metadata: { name },
    spec: {
      storageClassName: o.class ?? 'local',
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: ['ReadWriteOnce'],
      local: { path: `/mnt/${name}` },
      claimRef: o.claimRef ? { namespace: 'default', name: o.claimRef } : undefined,
      nodeAffinity: o.node ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: hostKey, operator: 'In', values: [o.node] }] }] } } : undefined,
    },
    status: { phase: o.claimRef ? 'Bound' : 'Available' },
  };
}
const classes: StorageClass[] = [
  { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'immediate' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' },
  {
    metadata: { name: 'csi-zonal' },
    provisioner: 'csi.example.com',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: hostKey, values: ['n2'] }] }],
  },
];
function podWith(...claims: string[]): Pod {
  const p = makePod({ name: 'p' });
  if (p.spec) p.spec.volumes = claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } }));
  return p;
}

test('VolumeBinding filter', () => {
  const nodeConflict = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonNodeConflict]);
  const bindConflict = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonBindConflict]);
  const cases: Array<{ name: string; pvcs: PersistentVolumeClaim[]; pvs: PersistentVolume[]; pod: Pod; want: Record<string, Status | null> | Status }> = [
    { name: 'no claims: skipped', pvcs: [], pvs: [], pod: podWith(), want: { n1: null, n2: null } },
    {
      name: 'missing claim',
      pvcs: [],
      pvs: [],
      pod: podWith('data'),
      want: new Status(Code.UnschedulableAndUnresolvable, ['persistentvolumeclaim "data" not found']),
    },
    { name: 'unbound immediate claim', pvcs: [claim('data', { class: 'immediate' })], pvs: [], pod: podWith('data'), want: new Status(Code.UnschedulableAndUnresolvable, [ErrUnboundImmediate]) },
    { name: 'bound claim follows its PV node affinity', pvcs: [claim('data', { volumeName: 'pv1' })], pvs: [volume('pv1', { node: 'n2', claimRef: 'data' })], pod: podWith('data'), want: { n1: nodeConflict, n2: null } },
    {
      name: 'bound to a missing PV',
      pvcs: [claim('data', { volumeName: 'gone' })],
      pvs: [],
      pod: podWith('data'),
      want: { n1: new Status(Code.UnschedulableAndUnresolvable, [ErrReasonPVNotExist]), n2: new Status(Code.UnschedulableAndUnresolvable, [ErrReasonPVNotExist]) },
    },
    { name: 'WaitForFirstConsumer: nodes with a matching local PV', pvcs: [claim('data')], pvs: [volume('pv1', { node: 'n1' })], pod: podWith('data'), want: { n1: null, n2: bindConflict } },
    { name: 'a PV too small does not match', pvcs: [claim('data', { size: '2Gi' })], pvs: [volume('pv1', { node: 'n1' })], pod: podWith('data'), want: { n1: bindConflict, n2: bindConflict } },
    { name: 'a PV claimed by another claim does not match', pvcs: [claim('data')], pvs: [volume('pv1', { node: 'n1', claimRef: 'other' })], pod: podWith('data'), want: { n1: bindConflict, n2: bindConflict } },
    {
      name: 'two claims need two PVs on the node',
      pvcs: [claim('a'), claim('b')],
      pvs: [volume('pv1', { node: 'n1' }), volume('pv2', { node: 'n1' }), volume('pv3', { node: 'n2' })],
      pod: podWith('a', 'b'),
      want: { n1: null, n2: bindConflict },
    },
    { name: 'dynamic provisioning limited by allowedTopologies', pvcs: [claim('data', { class: 'csi-zonal' })], pvs: [], pod: podWith('data'), want: { n1: bindConflict, n2: null } },
  ];
  for (const tc of cases) {
    const { handle, nodeInfos } = fakeHandle(nodes);
    const pl = new VolumeBindingPlugin({ handle, listers: staticVolumeListers({ pvcs: tc.pvcs, pvs: tc.pvs, classes }) });
    const state = new CycleState();
    const pf = pl.preFilter(state, tc.pod);
    if (pf.status && !pf.status.isSkip()) {
      assert.deepEqual(pf.status, tc.want, tc.name);
      continue;
    }
    const got: Record<string, Status | null> = {};
    for (const ni of nodeInfos) got[ni.name()] = pf.status?.isSkip() ? null : pl.filter(state, tc.pod, ni);
    assert.deepEqual(got, tc.want, tc.name);
  }
});

test('VolumeBinding: the smallest fitting PV is chosen and Reserve hides it from the next pod', () => {
  const { handle } = fakeHandle(nodes);
  const pvs = [volume('big', { node: 'n1', size: '10Gi' }), volume('small', { node: 'n1', size: '2Gi' })];
  const pl = new VolumeBindingPlugin({ handle, listers: staticVolumeListers({ pvcs: [claim('a', { size: '1Gi' }), claim('b', { size: '1Gi' })], pvs, classes }) });
  const n1 = newNodeInfo(nodes[0]);
  const chosen = (claimName: string): string[] => {
    const state = new CycleState();
    pl.preFilter(state, podWith(claimName));
    assert.equal(pl.filter(state, podWith(claimName), n1), null);
    pl.reserve(state, podWith(claimName), 'n1');
    const s = state.read<StateData & { podVolumesByNode: Map<string, { staticBindings: Array<{ pv: PersistentVolume }> }> }>('VolumeBinding');
    return (s?.podVolumesByNode.get('n1')?.staticBindings ?? []).map((b) => b.pv.metadata?.name ?? '');
  };
  assert.deepEqual(chosen('a'), ['small']);
  assert.deepEqual(chosen('b'), ['big']);
});

/** A client recording "<verb> <resource> <namespace>/<name> [<subresource>] <body>"; every write answers resourceVersion 7. */
function recordingClient(): { client: Interface; calls: string[] } {
  const calls: string[] = [];
  const client = {
    resource: (gvr: { resource: string }, ns = '') => ({
      patch: async (name: string, _type: string, body: unknown, opts?: { subresource?: string }) => {
        calls.push(`patch ${gvr.resource} ${ns}/${name} ${opts?.subresource ?? '-'} ${JSON.stringify(body)}`);
        return { metadata: { resourceVersion: '7' } };
      },
    }),
  } as unknown as Interface;
  return { client, calls };
}

function handleWith(client: Interface, clock: FakeClock): Handle {
  return { ...fakeHandle(nodes).handle, clientSet: () => client, clock: () => clock };
}

const bindCompleted = { 'pv.kubernetes.io/bind-completed': 'yes' };

test('VolumeBinding PreBind: writes the scheduler\'s half of each binding and waits for the PV controller or provisioner to finish it', async () => {
  const settle = async (clock: FakeClock, times: number): Promise<void> => {
    for (let i = 0; i < times; i++) {
      await new Promise((r) => setImmediate(r));
      clock.step(1000);
    }
  };
  type Seen = { pv?(pv: PersistentVolume): PersistentVolume; pvc?(pvc: PersistentVolumeClaim): PersistentVolumeClaim };
  const cases: Array<{ name: string; pvcs: PersistentVolumeClaim[]; pvs: PersistentVolume[]; afterPolls?: number; seen?: Seen; timeout?: number; wantCalls: string[]; want: Status | null }> = [
    {
      name: 'static binding completed by the PV controller',
      pvcs: [claim('data')],
      pvs: [volume('pv1', { node: 'n1' })],
      afterPolls: 2,
      seen: {
        pv: (pv) => ({ ...pv, metadata: { ...pv.metadata, resourceVersion: '7' }, spec: { ...pv.spec, claimRef: { namespace: 'default', name: 'data', uid: 'uid-data' } } }),
        pvc: (pvc) => ({ ...pvc, metadata: { ...pvc.metadata, resourceVersion: '8', annotations: bindCompleted }, spec: { ...pvc.spec, volumeName: 'pv1' } }),
      },
      wantCalls: [
        'patch persistentvolumes /pv1 - {"metadata":{"annotations":{"pv.kubernetes.io/bound-by-controller":"yes"}},"spec":{"claimRef":{"kind":"PersistentVolumeClaim","apiVersion":"v1","namespace":"default","name":"data","uid":"uid-data"}}}',
      ],
      want: null,
    },
    {
      name: 'static binding whose claimRef another writer reset',
      pvcs: [claim('data')],
      pvs: [volume('pv1', { node: 'n1' })],
      afterPolls: 1,
      seen: { pv: (pv) => ({ ...pv, metadata: { ...pv.metadata, resourceVersion: '9' }, spec: { ...pv.spec, claimRef: undefined } }) },
      wantCalls: [
        'patch persistentvolumes /pv1 - {"metadata":{"annotations":{"pv.kubernetes.io/bound-by-controller":"yes"}},"spec":{"claimRef":{"kind":"PersistentVolumeClaim","apiVersion":"v1","namespace":"default","name":"data","uid":"uid-data"}}}',
      ],
      want: new Status(Code.Error, ['binding volumes: ClaimRef got reset for pv "pv1"']),
    },
    {
      name: 'provisioned after two polls',
      pvcs: [claim('fast', { class: 'csi-zonal' })],
      pvs: [],
      afterPolls: 2,
      seen: {
        pvc: (pvc) => ({
          ...pvc,
          metadata: { ...pvc.metadata, resourceVersion: '9', annotations: { ...bindCompleted, 'volume.kubernetes.io/selected-node': 'n2' } },
          spec: { ...pvc.spec, volumeName: 'provisioned' },
        }),
      },
      wantCalls: ['patch persistentvolumeclaims default/fast - {"metadata":{"annotations":{"volume.kubernetes.io/selected-node":"n2"}}}'],
      want: null,
    },
    {
      name: 'the provisioner gave the claim back',
      pvcs: [claim('fast', { class: 'csi-zonal' })],
      pvs: [],
      afterPolls: 1,
      seen: { pvc: (pvc) => ({ ...pvc, metadata: { ...pvc.metadata, resourceVersion: '9', annotations: {} } }) },
      wantCalls: ['patch persistentvolumeclaims default/fast - {"metadata":{"annotations":{"volume.kubernetes.io/selected-node":"n2"}}}'],
      want: new Status(Code.Error, ['binding volumes: provisioning failed for PVC "fast"']),
    },
    {
      name: 'never provisioned: bindTimeoutSeconds',
      pvcs: [claim('slow', { class: 'csi-zonal' })],
      pvs: [],
      timeout: 3,
      wantCalls: ['patch persistentvolumeclaims default/slow - {"metadata":{"annotations":{"volume.kubernetes.io/selected-node":"n2"}}}'],
      want: new Status(Code.Error, ['binding volumes: timed out waiting for the condition']),
    },
  ];
  for (const tc of cases) {
    const clock = new FakeClock();
    const { client, calls } = recordingClient();
    const base = staticVolumeListers({ pvcs: tc.pvcs, pvs: tc.pvs, classes });
    // What the informers show changes after `afterPolls` clock steps: the other controllers' work arriving.
    const start = clock.now();
    const changed = (): boolean => tc.afterPolls !== undefined && clock.now() - start >= tc.afterPolls * 1000;
    const listers = {
      ...base,
      pv: (name: string): PersistentVolume | undefined => {
        const pv = base.pv(name);
        return pv && changed() && tc.seen?.pv ? tc.seen.pv(pv) : pv;
      },
      pvc: (ns: string, name: string): PersistentVolumeClaim | undefined => {
        const pvc = base.pvc(ns, name);
        return pvc && changed() && tc.seen?.pvc ? tc.seen.pvc(pvc) : pvc;
      },
    };
    const pl = new VolumeBindingPlugin({ handle: handleWith(client, clock), listers, args: { bindTimeoutSeconds: tc.timeout ?? 600 } });
    const pod = podWith(tc.pvcs[0].metadata?.name ?? '');
    const state = new CycleState();
    pl.preFilter(state, pod);
    const target = tc.pvs.length > 0 ? nodes[0] : nodes[1];
    assert.equal(pl.filter(state, pod, newNodeInfo(target)), null, tc.name);
    pl.reserve(state, pod, target.metadata?.name ?? '');
    const done = pl.preBind(state, pod, target.metadata?.name ?? '', new AbortController().signal);
    await settle(clock, 5);
    const got = await done;
    const status = got ? new Status(got.code, got.reasons) : null;
    assert.deepEqual({ calls, status }, { calls: tc.wantCalls, status: tc.want }, tc.name);
  }
});
