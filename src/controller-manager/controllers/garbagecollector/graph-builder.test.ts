import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newLogger } from '../../../base/logger.js';
import type { KubeObject } from '../../../client/rest/interface.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { AbsentOwnerCache, GraphBuilder, type GraphEvent } from './graph-builder.js';

const cm = { apiVersion: 'v1', kind: 'ConfigMap' };
const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

type Ref = NonNullable<NonNullable<KubeObject['metadata']>['ownerReferences']>[number];

function obj(uid: string, opts: { ns?: string; owners?: Ref[]; deleting?: boolean; finalizers?: string[] } = {}): KubeObject {
  return {
    metadata: {
      name: `n-${uid}`,
      uid,
      namespace: opts.ns ?? 'default',
      ownerReferences: opts.owners,
      deletionTimestamp: opts.deleting ? '2026-01-01T00:00:00Z' : undefined,
      finalizers: opts.finalizers,
    },
  };
}

const ref = (uid: string, extra: Partial<Ref> = {}): Ref => ({ ...rs, name: `n-${uid}`, uid, ...extra });

function setup() {
  const queued = { del: [] as string[], orphan: [] as string[] };
  const recorder = new RecordingRecorder();
  const graph = new GraphBuilder({
    attemptToDelete: (uid) => queued.del.push(uid),
    attemptToOrphan: (uid) => queued.orphan.push(uid),
    recorder,
    logger: newLogger({ write: () => {} }),
  });
  return { graph, queued, recorder };
}

interface Case {
  name: string;
  events: GraphEvent[];
  /** uids queued for attemptToDelete / attemptToOrphan after the last event only. */
  wantDelete: string[];
  wantOrphan?: string[];
  wantEvents?: string[];
  check?(graph: GraphBuilder): void;
}

const cases: Case[] = [
  {
    name: 'a dependent whose owner was never seen makes a virtual owner, queued for a live check',
    events: [{ type: 'add', obj: obj('pod', { owners: [ref('rs1')] }), gvk: cm }],
    wantDelete: ['rs1'],
    check: (g) => {
      assert.equal(g.node('rs1')?.virtual, true);
      assert.deepEqual(g.node('rs1')?.identity, { ...rs, name: 'n-rs1', uid: 'rs1', namespace: 'default' });
      assert.equal(g.node('rs1')?.dependents.size, 1);
    },
  },
  {
    name: 'an observed owner is no longer virtual and its dependents are not queued',
    events: [
      { type: 'add', obj: obj('pod', { owners: [ref('rs1')] }), gvk: cm },
      { type: 'add', obj: obj('rs1'), gvk: rs },
    ],
    wantDelete: [],
    check: (g) => assert.equal(g.node('rs1')?.virtual, false),
  },
  {
    name: 'deleting an owner queues its dependents and records it as absent',
    events: [
      { type: 'add', obj: obj('rs1'), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [ref('rs1')] }), gvk: cm },
      { type: 'add', obj: obj('p2', { owners: [ref('rs1')] }), gvk: cm },
      { type: 'delete', obj: obj('rs1'), gvk: rs },
    ],
    wantDelete: ['p1', 'p2'],
    check: (g) => {
      assert.equal(g.node('rs1'), undefined);
      assert.equal(g.absentOwnerCache.has({ ...rs, name: 'n-rs1', uid: 'rs1', namespace: 'default' }), true);
    },
  },
  {
    name: 'deletion starting with the orphan finalizer queues the owner for orphaning',
    events: [
      { type: 'add', obj: obj('rs1'), gvk: rs },
      { type: 'update', oldObj: obj('rs1'), obj: obj('rs1', { deleting: true, finalizers: ['orphan'] }), gvk: rs },
    ],
    wantDelete: [],
    wantOrphan: ['rs1'],
  },
  {
    name: 'deletion starting with foregroundDeletion queues the dependents, then the owner',
    events: [
      { type: 'add', obj: obj('rs1'), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [ref('rs1', { blockOwnerDeletion: true })] }), gvk: cm },
      { type: 'update', oldObj: obj('rs1'), obj: obj('rs1', { deleting: true, finalizers: ['foregroundDeletion'] }), gvk: rs },
    ],
    wantDelete: ['p1', 'rs1'],
    check: (g) => {
      assert.equal(g.node('rs1')?.deletingDependents, true);
      assert.deepEqual(g.node('rs1')?.blockingDependents().map((n) => n.identity.uid), ['p1']);
    },
  },
  {
    name: 'an update that keeps the finalizer does not start the transition again',
    events: [
      { type: 'add', obj: obj('rs1', { deleting: true, finalizers: ['foregroundDeletion'] }), gvk: rs },
      { type: 'update', oldObj: obj('rs1', { deleting: true, finalizers: ['foregroundDeletion'] }), obj: obj('rs1', { deleting: true, finalizers: ['foregroundDeletion'] }), gvk: rs },
    ],
    wantDelete: [],
  },
  {
    name: 'a blocking reference removed lets the foreground-deleting owner be looked at again',
    events: [
      { type: 'add', obj: obj('rs1'), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [ref('rs1', { blockOwnerDeletion: true })] }), gvk: cm },
      { type: 'update', oldObj: obj('p1', { owners: [ref('rs1', { blockOwnerDeletion: true })] }), obj: obj('p1', { owners: [] }), gvk: cm },
    ],
    wantDelete: ['rs1'],
    check: (g) => assert.equal(g.node('rs1')?.dependents.size, 0),
  },
  {
    name: 'a dependent deleted while its owner deletes in the foreground queues the owner',
    events: [
      { type: 'add', obj: obj('rs1', { deleting: true, finalizers: ['foregroundDeletion'] }), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [ref('rs1', { blockOwnerDeletion: true })] }), gvk: cm },
      { type: 'delete', obj: obj('p1', { owners: [ref('rs1', { blockOwnerDeletion: true })] }), gvk: cm },
    ],
    wantDelete: ['rs1'],
  },
  {
    name: 'a namespaced owner observed in another namespace than its dependent: event, dependent queued',
    events: [
      { type: 'add', obj: obj('rs1', { ns: 'other' }), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [ref('rs1')] }), gvk: cm },
    ],
    wantDelete: ['p1'],
    wantEvents: ['Warning OwnerRefInvalidNamespace ownerRef [apps/v1/ReplicaSet, namespace: default, name: n-rs1, uid: rs1] does not exist in namespace "default"'],
  },
  {
    name: 'a virtual owner later observed in another namespace: event, dependent queued',
    events: [
      { type: 'add', obj: obj('p1', { owners: [ref('rs1')] }), gvk: cm },
      { type: 'add', obj: obj('rs1', { ns: 'other' }), gvk: rs },
    ],
    wantDelete: ['p1'],
    wantEvents: ['Warning OwnerRefInvalidNamespace ownerRef [apps/v1/ReplicaSet, namespace: default, name: n-rs1, uid: rs1] does not exist in namespace "default"'],
  },
  {
    name: 'a virtual delete for other coordinates of an observed node keeps the node',
    events: [
      { type: 'add', obj: obj('rs1'), gvk: rs },
      { type: 'add', obj: obj('p1', { owners: [{ apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet', name: 'n-rs1', uid: 'rs1' }] }), gvk: cm },
      { type: 'delete', virtual: true, obj: obj('rs1'), gvk: { apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet' } },
    ],
    wantDelete: ['p1'],
    check: (g) => assert.ok(g.node('rs1')),
  },
];

for (const c of cases) {
  test(`graph builder: ${c.name}`, () => {
    const { graph, queued, recorder } = setup();
    for (const [i, e] of c.events.entries()) {
      if (i === c.events.length - 1) {
        queued.del.length = 0;
        queued.orphan.length = 0;
      }
      graph.process(e);
    }
    assert.deepEqual(queued.del, c.wantDelete);
    assert.deepEqual(queued.orphan, c.wantOrphan ?? []);
    assert.deepEqual(recorder.events, c.wantEvents ?? []);
    c.check?.(graph);
  });
}

test('absent owner cache: bounded, least recently added first out', () => {
  const cache = new AbsentOwnerCache(2);
  const r = (uid: string) => ({ ...cm, name: uid, uid, namespace: 'default' });
  cache.add(r('a'));
  cache.add(r('b'));
  cache.add(r('a'));
  cache.add(r('c'));
  assert.deepEqual(['a', 'b', 'c'].map((u) => cache.has(r(u))), [true, false, true]);
});
