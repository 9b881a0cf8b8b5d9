import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import type { Attributes, Authorizer } from '../../authorization/interface.js';
import { testAttributes } from '../test-attributes.js';
import { newOwnerReferencesPermissionEnforcement } from './owner-references-permission-enforcement.js';

/** Allows exactly the listed "user verb resource/subresource" triples. */
const allowing = (grants: string[]): Authorizer => ({
  authorize: async (a: Attributes) => ({ decision: grants.includes(`${a.user.name} ${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}`) ? 'allow' : 'noOpinion', reason: '' }),
});

test('owner references need delete on the object; blockOwnerDeletion needs update on the owner finalizers', async () => {
  const server = await newTestServer();
  try {
    const plugin = newOwnerReferencesPermissionEnforcement({
      registries: server.registries,
      authorizer: allowing(['alice delete pods', 'alice update replicasets/finalizers', 'bob delete pods']),
    });
    const ref = (blockOwnerDeletion?: boolean) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion });
    const pod = (refs: unknown[]) => ({ metadata: { name: 'p', ownerReferences: refs }, spec: { containers: [] } }) as never;
    const write = (user: string, next: unknown[], old?: unknown[]) =>
      plugin.validate!(testAttributes({ operation: old ? 'UPDATE' : 'CREATE', kind: 'Pod', resource: 'pods', namespace: 'ns', name: 'p', object: pod(next), oldObject: old ? pod(old) : undefined, user: { name: user, groups: [] } }));
    const cases = [
      { user: 'carol', next: [], old: [], err: undefined },
      { user: 'alice', next: [ref(true)], old: undefined, err: undefined },
      { user: 'bob', next: [ref(false)], old: undefined, err: undefined },
      { user: 'bob', next: [ref(true)], old: undefined, err: `pods "p" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>` },
      { user: 'carol', next: [ref()], old: [], err: `pods "p" is forbidden: cannot set an ownerRef on a resource you can't delete: , <nil>` },
      { user: 'carol', next: [ref(true)], old: [ref(true)], err: undefined },
    ];
    for (const c of cases) {
      if (c.err) await assert.rejects(write(c.user, c.next, c.old), { code: 403, message: c.err });
      else await write(c.user, c.next, c.old);
    }
  } finally {
    server.close();
  }
});
