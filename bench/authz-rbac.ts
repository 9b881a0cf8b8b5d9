// Authorization cost: RBAC decisions with the bootstrap policy plus 1,000 bindings (allowed, denied, service
// account, group), and an allowed in-process GET's cost under Node,RBAC vs AlwaysAllow. Prints JSON.
// Run: node --import tsx bench/authz-rbac.ts [--seconds=1]
import { parseRequestInfo } from '../src/apiserver/request-info.js';
import { newTestServer } from '../src/apiserver/endpoints/testing/harness.js';
import { attributesFor } from '../src/apiserver/filters/authorization-attributes.js';
import type { Attributes, Authorizer } from '../src/apiserver/authorization/interface.js';
import { newAuthorizer } from '../src/apiserver/authorization/modes.js';
import { RBACAuthorizer } from '../src/apiserver/authorization/rbac/authorizer.js';
import { bootstrapPolicy } from '../src/apiserver/authorization/rbac/bootstrap-policy.js';
import { PolicyIndex } from '../src/apiserver/authorization/rbac/policy-index.js';
import type { BindingObject } from '../src/apiserver/authorization/rbac/types.js';
import { reconcileBootstrapPolicy } from '../src/apiserver/authorization/rbac/bootstrap-roles.js';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import type { APIObject } from '../src/apiserver/registry/strategy.js';
import type { UserInfo } from '../src/apiserver/authentication/interface.js';
import { median, round } from './stats.js';

const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 1);
const bindingCount = 1000;

/** Runs `op` in batches for about `seconds`; reports ops/s and the median ns per op over batches. */
async function measure(op: () => unknown | Promise<unknown>, batch: number): Promise<{ opsPerSecond: number; medianNs: number; iterations: number }> {
  for (let i = 0; i < batch; i++) await op();
  const perOp: number[] = [];
  let iterations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < budget && iterations < 5_000_000) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await op();
    perOp.push(Number(process.hrtime.bigint() - t0) / batch);
    iterations += batch;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { opsPerSecond: round(iterations / elapsed, 0), medianNs: round(median(perOp), 0), iterations };
}

function policyIndexWithBindings(): PolicyIndex {
  const policy = bootstrapPolicy();
  const index = new PolicyIndex();
  const h = index.handlers();
  h.clusterRoles.onReplace([...policy.clusterRoles, { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['pods', 'configmaps', 'deployments'] }] }]);
  h.roles.onReplace(policy.roles);
  const crbs: BindingObject[] = [...policy.clusterRoleBindings];
  const rbs: BindingObject[] = [...policy.roleBindings];
  // 1,000 bindings: 900 RoleBindings over 100 namespaces (users and service accounts), 100 ClusterRoleBindings to groups.
  for (let i = 0; i < bindingCount; i++) {
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    if (i < 900) {
      const subjects = i % 2 ? [{ kind: 'User', name: `user-${i}` }] : [{ kind: 'ServiceAccount', name: `sa-${i}` }];
      rbs.push({ metadata: { name: `b-${i}`, namespace: `ns-${i % 100}` }, roleRef, subjects });
    } else {
      crbs.push({ metadata: { name: `crb-${i}` }, roleRef, subjects: [{ kind: 'Group', name: `group-${i}` }] });
    }
  }
  h.clusterRoleBindings.onReplace(crbs);
  h.roleBindings.onReplace(rbs);
  return index;
}

const res = (user: UserInfo, verb: string, resource: string, namespace: string, name = ''): Attributes => ({
  user,
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

async function decisions(): Promise<Record<string, unknown>> {
  const index = policyIndexWithBindings();
  const rbac = new RBACAuthorizer(index);
  const groups = ['system:authenticated'];
  const cases: Record<string, Attributes> = {
    allowedUserRoleBinding: res({ name: 'user-501', groups }, 'get', 'pods', 'ns-1', 'p'),
    deniedUserOtherNamespace: res({ name: 'user-501', groups }, 'get', 'pods', 'ns-2', 'p'),
    deniedUnknownUser: res({ name: 'nobody', groups }, 'list', 'pods', 'ns-1'),
    allowedServiceAccount: res({ name: 'system:serviceaccount:ns-2:sa-102', groups: [...groups, 'system:serviceaccounts', 'system:serviceaccounts:ns-2'] }, 'list', 'configmaps', 'ns-2'),
    allowedGroupClusterRoleBinding: res({ name: 'x', groups: [...groups, 'group-950'] }, 'watch', 'pods', 'ns-7'),
    allowedDiscoveryNonResource: { ...res({ name: 'nobody', groups }, 'get', '', ''), isResourceRequest: false, path: '/apis/apps' },
  };
  const out: Record<string, unknown> = {};
  for (const [name, attrs] of Object.entries(cases)) out[name] = { decision: rbac.authorizeSync(attrs).decision, ...(await measure(() => rbac.authorizeSync(attrs), 1000)) };
  return { bindings: index.bindingCount, ...out };
}

/** An allowed GET through the in-process handler, authorized by `authz` first (authentication left out). */
async function requestOverhead(): Promise<Record<string, unknown>> {
  const server = await newTestServer({ namespaces: ['default', 'kube-system', 'ns-1'] });
  const stop = new AbortController();
  try {
    await reconcileBootstrapPolicy(server.registries);
    await server.registries.get('', 'configmaps')!.create({ namespace: 'ns-1', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } } as APIObject });
    const rbs = server.registries.get('rbac.authorization.k8s.io', 'rolebindings')!;
    for (let i = 0; i < bindingCount; i++) {
      await rbs.create({
        namespace: 'ns-1',
        obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `b-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: `user-${i}` }] } as APIObject,
      });
    }
    const options = defaultAPIServerOptions('/tmp');
    const ctx = (modes: string[]) => ({ options: { ...options, authorizationMode: modes }, registries: server.registries, store: server.store, signal: stop.signal });
    const allowAll = (await newAuthorizer(ctx(['AlwaysAllow']))).authorizer;
    const rbac = (await newAuthorizer(ctx(['Node', 'RBAC']))).authorizer;
    const user: UserInfo = { name: 'user-777', groups: ['system:authenticated'] };
    const url = '/api/v1/namespaces/ns-1/configmaps/c';
    // Wait until the RBAC caches have the 1,000 bindings (the watch is asynchronous).
    const probe = attributesFor(user, parseRequestInfo('GET', url, new URLSearchParams()));
    while ((await rbac.authorize(probe)).decision !== 'allow') await new Promise((r) => setImmediate(r));
    const get = (authz: Authorizer) => async () => {
      const decision = await authz.authorize(attributesFor(user, parseRequestInfo('GET', url, new URLSearchParams())));
      if (decision.decision !== 'allow') throw new Error('not allowed');
      const reply = await server.request('GET', url);
      if (reply.status !== 200) throw new Error(`GET answered ${reply.status}`);
    };
    const alwaysAllow = await measure(get(allowAll), 200);
    const nodeRBAC = await measure(get(rbac), 200);
    return {
      request: `GET ${url} in-process, authorization step + handler`,
      alwaysAllow,
      nodeRBAC,
      overheadNsPerRequest: round(nodeRBAC.medianNs - alwaysAllow.medianNs, 0),
      overheadPercent: round(((nodeRBAC.medianNs - alwaysAllow.medianNs) / alwaysAllow.medianNs) * 100, 1),
    };
  } finally {
    stop.abort();
    server.close();
  }
}

const report = { benchmark: 'authz-rbac', secondsPerCase: seconds, decisions: await decisions(), requestOverhead: await requestOverhead() };
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
