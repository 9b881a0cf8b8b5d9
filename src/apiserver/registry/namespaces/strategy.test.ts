import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../strategies.js';
import type { APIObject, StrategyContext } from '../strategy.js';
import { newNamespaceStrategy } from './strategy.js';

const ctx: StrategyContext = { namespace: '', dryRun: false };
const fixedNow = () => new Date('2026-11-22T06:00:00.123Z');

test('create: Active, kubernetes finalizer, name label', () => {
  const s = newNamespaceStrategy();
  const cases = [
    { spec: undefined, want: ['kubernetes'] },
    { spec: { finalizers: ['example.com/x'] }, want: ['example.com/x', 'kubernetes'] },
    { spec: { finalizers: ['kubernetes'] }, want: ['kubernetes'] },
  ];
  for (const c of cases) {
    const obj: APIObject = { metadata: { name: 'team-a' }, spec: c.spec, status: { phase: 'Terminating' } };
    s.prepareForCreate!(obj, ctx);
    assert.deepEqual((obj.spec as { finalizers: string[] }).finalizers, c.want);
    assert.deepEqual(obj.status, { phase: 'Active' });
    assert.equal(obj.metadata?.labels?.['kubernetes.io/metadata.name'], 'team-a');
  }
});

test('delete is two-phase: Terminating first, 409 while spec.finalizers remain, removal after finalize', () => {
  const s = newNamespaceStrategy({ now: fixedNow });
  const ns: APIObject = { metadata: { name: 'x', uid: 'u' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  const first = s.beginDelete!(ns, ctx);
  assert.equal(first.action, 'update');
  const terminating = first.action === 'update' ? first.obj : ns;
  assert.equal(terminating.metadata?.deletionTimestamp, '2026-11-22T06:00:00Z');
  assert.deepEqual(terminating.status, { phase: 'Terminating' });
  assert.throws(() => s.beginDelete!(terminating, ctx), (err: any) => err.code === 409 && /ensuring all content is removed/.test(err.message));
  // finalize may change only spec.finalizers.
  const finalized = structuredClone(terminating);
  (finalized.spec as { finalizers: string[] }).finalizers = [];
  finalized.metadata!.labels = { sneaky: 'yes' };
  s.subresourceUpdates!.finalize(finalized, terminating, ctx);
  assert.deepEqual(finalized.spec, { finalizers: [] });
  assert.equal(finalized.metadata?.labels, undefined);
  assert.equal(s.shouldDeleteDuringUpdate!(finalized, terminating), true);
  assert.equal(s.shouldDeleteDuringUpdate!(terminating, terminating), false);
  // Without spec finalizers nor metadata finalizers, delete is immediate.
  assert.deepEqual(s.beginDelete!({ metadata: { name: 'y' }, spec: {} }, ctx), { action: 'delete' });
});

test('through the REST core: terminating namespaces refuse content and vanish after finalize', async () => {
  const server = await newTestServer({ strategyFor: (g, r) => strategyFor(g, r), namespaces: [] });
  const created = await server.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.spec, { finalizers: ['kubernetes'] });
  assert.equal(created.json.status.phase, 'Active');

  const del = await server.request('DELETE', '/api/v1/namespaces/x');
  assert.equal(del.status, 200, del.text);
  assert.equal(del.json.status.phase, 'Terminating');
  assert.ok(del.json.metadata.deletionTimestamp);
  const again = await server.request('DELETE', '/api/v1/namespaces/x');
  assert.equal(again.status, 409, again.text);

  const cm = await server.request('POST', '/api/v1/namespaces/x/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
  assert.equal(cm.status, 403, cm.text);
  assert.equal(cm.json.message, 'configmaps "c" is forbidden: unable to create new content in namespace x because it is being terminated');

  const body = structuredClone(del.json);
  body.spec.finalizers = [];
  const fin = await server.request('PUT', '/api/v1/namespaces/x/finalize', { body });
  assert.equal(fin.status, 200, fin.text);
  const gone = await server.request('GET', '/api/v1/namespaces/x');
  assert.equal(gone.status, 404, gone.text);
});
