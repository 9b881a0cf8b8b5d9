import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNotFound } from '../../../apimachinery/errors.js';
import type { Interface } from '../../../client/rest/interface.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Code, Status } from '../../framework/status.js';
import { makePod } from '../../testing/builders.js';
import { fakeHandle } from '../../testing/plugin-harness.js';
import { DefaultBinderPlugin } from './default-binder.js';

function recordingClient(fail?: Error): { client: Interface; calls: unknown[] } {
  const calls: unknown[] = [];
  const client = {
    resource: (gvr: unknown, ns: string) => ({
      createSubresource: async (name: string, sub: string, body: unknown) => {
        calls.push({ gvr, ns, name, sub, body });
        if (fail) throw fail;
        return {};
      },
    }),
  } as unknown as Interface;
  return { client, calls };
}

test('DefaultBinder POSTs a Binding to pods/<name>/binding', async () => {
  const { client, calls } = recordingClient();
  const pl = new DefaultBinderPlugin({ ...fakeHandle([]).handle, clientSet: () => client });
  const pod = makePod({ name: 'web', uid: 'u1' });
  assert.equal(await pl.bind(new CycleState(), pod, 'node1'), null);
  assert.deepEqual(calls, [
    {
      gvr: { group: '', version: 'v1', resource: 'pods' },
      ns: 'default',
      name: 'web',
      sub: 'binding',
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { namespace: 'default', name: 'web', uid: 'u1' }, target: { kind: 'Node', name: 'node1' } },
    },
  ]);
});

test('DefaultBinder turns an API error into an Error status', async () => {
  const err = newNotFound({ group: '', resource: 'pods' }, 'web');
  const { client } = recordingClient(err);
  const pl = new DefaultBinderPlugin({ ...fakeHandle([]).handle, clientSet: () => client });
  assert.deepEqual(await pl.bind(new CycleState(), makePod({ name: 'web' }), 'node1'), new Status(Code.Error, ['pods "web" not found'], '', err));
});
