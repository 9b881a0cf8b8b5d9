import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../api/generated/core/v1.js';
import { newNotFound } from '../../../apimachinery/errors.js';
import type { Interface } from '../../../client/rest/interface.js';
import { makePod } from '../../testing/builders.js';
import { evictVictims } from './eviction.js';

/** A client recording calls as "<verb> <namespace>/<name> [<subresource>] <body>"; names in `missing` answer NotFound. */
function recordingClient(missing: Set<string>): { client: Interface; calls: string[] } {
  const calls: string[] = [];
  const client = {
    resource: (_gvr: unknown, ns = '') => ({
      patch: async (name: string, type: string, body: unknown, opts?: { subresource?: string }) => {
        calls.push(`patch(${type}) ${ns}/${name} ${opts?.subresource ?? ''} ${JSON.stringify(body)}`);
        if (missing.has(name)) throw newNotFound({ group: '', resource: 'pods' }, name);
        return {};
      },
      delete: async (name: string, opts?: unknown) => {
        calls.push(`delete ${ns}/${name} ${JSON.stringify(opts)}`);
        if (missing.has(name)) throw newNotFound({ group: '', resource: 'pods' }, name);
        return {};
      },
    }),
  } as unknown as Interface;
  return { client, calls };
}

test('evictVictims: condition, delete with the uid precondition, Preempted event; a vanished victim is done', async () => {
  const preemptor = makePod({ name: 'important', uid: 'uid-important' });
  const nominated = makePod({ name: 'lower-nominated', uid: 'uid-n' });
  const cases: Array<{ name: string; victims: Pod[]; clear: Pod[]; missing: string[]; wantCalls: string[]; wantEvents: string[] }> = [
    {
      name: 'one victim, one nomination to clear',
      victims: [makePod({ name: 'v1', uid: 'uid-v1' })],
      clear: [nominated],
      missing: [],
      wantCalls: [
        'patch(merge) default/lower-nominated status {"status":{"nominatedNodeName":null}}',
        'patch(strategic) default/v1 status {"status":{"conditions":[{"type":"DisruptionTarget","status":"True","reason":"PreemptionByScheduler","message":"default-scheduler: preempting to accommodate a higher priority pod","lastTransitionTime":"2026-11-22T09:00:00Z"}]}}',
        'delete default/v1 {"preconditions":{"uid":"uid-v1"}}',
      ],
      wantEvents: ['v1 Normal Preempted Preempting Preempted by pod uid-important on node n1'],
    },
    {
      name: 'a victim already gone: no delete, no event',
      victims: [makePod({ name: 'gone', uid: 'uid-gone' })],
      clear: [],
      missing: ['gone'],
      wantCalls: [
        'patch(strategic) default/gone status {"status":{"conditions":[{"type":"DisruptionTarget","status":"True","reason":"PreemptionByScheduler","message":"default-scheduler: preempting to accommodate a higher priority pod","lastTransitionTime":"2026-11-22T09:00:00Z"}]}}',
      ],
      wantEvents: [],
    },
  ];
  for (const tc of cases) {
    const { client, calls } = recordingClient(new Set(tc.missing));
    const events: string[] = [];
    await evictVictims({
      client,
      recorder: { eventf: (p, type, reason, action, note) => void events.push(`${p.metadata?.name} ${type} ${reason} ${action} ${note}`) },
      preemptor,
      nodeName: 'n1',
      now: Date.parse('2026-11-22T09:00:00Z'),
      victims: tc.victims,
      clearNomination: tc.clear,
    });
    assert.deepEqual({ calls, events }, { calls: tc.wantCalls, events: tc.wantEvents }, tc.name);
  }
});
