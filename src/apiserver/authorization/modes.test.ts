// The chain from --authorization-mode over a real registry and store: mode validation, the RBAC caches fed
// by watches (a new binding takes effect), ClusterRole aggregation filling admin/edit/view, and the Node mode.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poll } from '../../base/wait.js';
import { newTestServer } from '../endpoints/testing/harness.js';
import { defaultAPIServerOptions } from '../options.js';
import type { APIObject } from '../registry/strategy.js';
import type { SecurityContext } from '../security-context.js';
import type { Attributes } from './interface.js';
import { newAuthorizer, validateAuthorizationModes } from './modes.js';
import { reconcileBootstrapPolicy } from './rbac/bootstrap-roles.js';

test('validateAuthorizationModes', () => {
  validateAuthorizationModes(['Node', 'RBAC']);
  assert.throws(() => validateAuthorizationModes(['RBAC', 'ABAC']), { message: 'unknown authorization mode ABAC specified' });
  assert.throws(() => validateAuthorizationModes(['RBAC', 'RBAC']), { message: 'authorization-mode "RBAC" has mode specified more than once' });
});

const attrs = (user: string, groups: string[], verb: string, resource: string, namespace: string, name = ''): Attributes => ({
  user: { name: user, groups: [...groups, 'system:authenticated'] },
  verb,
  isResourceRequest: true,
  path: '',
  namespace,
  apiGroup: '',
  apiVersion: 'v1',
  resource,
  subresource: '',
  name,
});

test('Node,RBAC over storage: bootstrap policy, aggregation, live bindings', async () => {
  const server = await newTestServer({ namespaces: ['default', 'kube-system', 'dev'] });
  const stop = new AbortController();
  try {
    await reconcileBootstrapPolicy(server.registries);
    const ctx: SecurityContext = { options: { ...defaultAPIServerOptions('/tmp'), authorizationMode: ['Node', 'RBAC'] }, registries: server.registries, store: server.store, signal: stop.signal };
    const chain = await newAuthorizer(ctx);
    assert.equal(await newAuthorizer(ctx), chain, 'one chain per context');
    const { authorizer } = chain;

    // Aggregation writes view's rules into storage, and the index sees them.
    const crs = server.registries.get('rbac.authorization.k8s.io', 'clusterroles')!;
    await poll({ intervalMs: 10, timeoutMs: 10_000 }, async () => ((await crs.get({ namespace: '', name: 'view' })).rules as unknown[] | undefined)?.length === 10);
    const admin = await crs.get({ namespace: '', name: 'admin' });
    assert.ok((admin.rules as Array<{ resources?: string[] }>).some((r) => r.resources?.includes('rolebindings')), 'admin aggregates system:aggregate-to-admin');
    assert.ok((admin.rules as Array<{ resources?: string[] }>).some((r) => r.resources?.includes('pods/exec')), 'admin aggregates edit, which aggregates system:aggregate-to-edit');

    const list = attrs('amy', [], 'list', 'pods', 'dev');
    assert.equal((await authorizer.authorize(list)).decision, 'noOpinion');
    const rbs = server.registries.get('rbac.authorization.k8s.io', 'rolebindings')!;
    await rbs.create({
      namespace: 'dev',
      obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'amy-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'amy' }] } as APIObject,
    });
    await poll({ intervalMs: 10, timeoutMs: 10_000 }, async () => (await authorizer.authorize(list)).decision === 'allow');
    assert.equal((await authorizer.authorize(attrs('amy', [], 'create', 'pods', 'dev'))).decision, 'noOpinion');
    assert.equal((await authorizer.authorize(attrs('amy', [], 'list', 'pods', 'default'))).decision, 'noOpinion');
    // system:masters always; the discovery role for authenticated users.
    assert.equal((await authorizer.authorize(attrs('root', ['system:masters'], 'delete', 'nodes', ''))).decision, 'allow');
    const version: Attributes = { ...attrs('anyone', [], 'get', '', ''), isResourceRequest: false, path: '/version', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
    assert.equal((await authorizer.authorize(version)).decision, 'allow');
    assert.equal((await authorizer.authorize({ ...version, path: '/api' })).decision, 'noOpinion');

    // Node mode: a pod bound to n1 makes its secret readable by n1 only.
    await server.registries.get('', 'pods')!.create({
      namespace: 'dev',
      obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', envFrom: [{ secretRef: { name: 'creds' } }] }] } } as APIObject,
    });
    const read = (node: string): Attributes => ({ ...attrs(`system:node:${node}`, ['system:nodes'], 'get', 'secrets', 'dev', 'creds') });
    await poll({ intervalMs: 10, timeoutMs: 10_000 }, async () => (await authorizer.authorize(read('n1'))).decision === 'allow');
    assert.equal((await authorizer.authorize(read('n2'))).decision, 'noOpinion');
  } finally {
    stop.abort();
    server.close();
  }
});
