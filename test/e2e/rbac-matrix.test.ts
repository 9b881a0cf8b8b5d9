// End to end: `k8ts apiserver --authorization-mode=Node,RBAC` with --token-auth-file users and the real
// kubectl (1.27, 1.33): the RBAC matrix — no bindings → 403 with upstream's message; `view` via a
// RoleBinding lists but does not create; `kubectl auth can-i` (and --list) agree with what is enforced;
// --as/--as-group impersonation for an admin and not for others; escalation prevention on roles and bindings;
// a ValidatingAdmissionPolicy whose CEL `authorizer` asks RBAC about the requesting user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

describe('RBAC with real kubectl', () => {
  let server: APIServerProcess;
  const configs: Record<string, string> = {};

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-rbac-e2e-'));
    await writeFile(
      join(dir, 'tokens.csv'),
      ['admin-token,admin,1,"system:masters"', 'alice-token,alice,2', 'bob-token,bob,3,"devs"', 'mallory-token,mallory,4'].join('\n') + '\n',
    );
    server = await startAPIServer({ backend: 'memory', extraArgs: ['--authorization-mode=Node,RBAC', `--token-auth-file=${join(dir, 'tokens.csv')}`] });
    for (const user of ['admin', 'alice', 'bob', 'mallory']) {
      configs[user] = join(dir, `${user}.kubeconfig`);
      await writeKubeconfig({ path: configs[user], server: server.url, caPEM: server.caPEM, token: `${user}-token` });
    }
  });
  after(() => server?.stop());

  const run = (version: KubectlVersion, user: string, args: string[], stdin?: string) => kubectl({ version, kubeconfig: configs[user]!, args, stdin });
  const ok = async (version: KubectlVersion, user: string, args: string[], stdin?: string): Promise<string> => {
    const r = await run(version, user, args, stdin);
    assert.equal(r.code, 0, explain(r));
    return r.stdout;
  };
  const forbidden = async (version: KubectlVersion, user: string, args: string[], message: RegExp | string, stdin?: string): Promise<void> => {
    const r = await run(version, user, args, stdin);
    assert.notEqual(r.code, 0, explain(r));
    if (typeof message === 'string') assert.ok(r.stderr.includes(message), explain(r));
    else assert.match(r.stderr, message, explain(r));
  };
  /** `kubectl auth can-i` answers yes (exit 0) or no (exit 1). */
  const canI = async (version: KubectlVersion, user: string, args: string[]): Promise<boolean> => {
    const r = await run(version, user, ['auth', 'can-i', ...args]);
    assert.ok(r.code === 0 || r.code === 1, explain(r));
    assert.equal(r.stdout.trim(), r.code === 0 ? 'yes' : 'no', explain(r));
    return r.code === 0;
  };
  /** Bindings reach the authorizer through a watch: wait (bounded) until can-i flips. */
  const eventually = async (check: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 50; i++) if (await check()) return;
    assert.fail('condition not reached after 50 checks');
  };

  for (const version of versions) {
    const ns = `rbac-${version.replace('.', '-')}`;

    test(`kubectl ${version}: no bindings → 403 with upstream's message; can-i says no`, async () => {
      await ok(version, 'admin', ['create', 'namespace', ns]);
      await forbidden(version, 'alice', ['get', 'pods', '-n', ns], `Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "${ns}"`);
      await forbidden(version, 'alice', ['get', 'nodes'], 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
      await forbidden(version, 'alice', ['get', 'configmap', 'x', '-n', ns], `configmaps "x" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "${ns}"`);
      assert.equal(await canI(version, 'alice', ['list', 'pods', '-n', ns]), false);
      assert.equal(await canI(version, 'admin', ['delete', 'nodes']), true);
      // Discovery and whoami work for every authenticated user (system:discovery, system:basic-user).
      assert.match(await ok(version, 'alice', ['api-versions']), /rbac.authorization.k8s.io\/v1/);
    });

    test(`kubectl ${version}: view via a RoleBinding lists but does not create; can-i and --list agree`, async () => {
      await ok(version, 'admin', ['create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', ns]);
      await eventually(() => canI(version, 'alice', ['list', 'pods', '-n', ns]));
      assert.match((await run(version, 'alice', ['get', 'pods', '-n', ns])).stderr, /No resources found/);
      await ok(version, 'admin', ['create', 'configmap', 'settings', '--from-literal=a=b', '-n', ns]);
      assert.match(await ok(version, 'alice', ['get', 'configmap', 'settings', '-n', ns, '-o', 'name']), /configmap\/settings/);
      await forbidden(version, 'alice', ['create', 'configmap', 'mine', '-n', ns], `configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "${ns}"`);
      await forbidden(version, 'alice', ['get', 'secrets', '-n', ns], `secrets is forbidden: User "alice" cannot list resource "secrets"`);
      const answers: Array<[string[], boolean]> = [
        [['get', 'pods', '-n', ns], true],
        [['watch', 'deployments.apps', '-n', ns], true],
        [['create', 'configmaps', '-n', ns], false],
        [['get', 'secrets', '-n', ns], false],
        [['list', 'pods', '-n', 'default'], false],
        [['get', 'pods/log', '-n', ns], true],
        [['create', 'pods/exec', '-n', ns], false],
      ];
      for (const [args, expected] of answers) assert.equal(await canI(version, 'alice', args), expected, args.join(' '));
      const list = await ok(version, 'alice', ['auth', 'can-i', '--list', '-n', ns]);
      assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/m);
      assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]/m);
      assert.match(list, /^selfsubjectaccessreviews.authorization.k8s.io\s+\[\]\s+\[\]\s+\[create\]/m);
      assert.match(list, /\[\/api\/\*\]\s+\[\]\s+\[get\]/);
      assert.doesNotMatch(list, /^secrets\s/m);
    });

    test(`kubectl ${version}: --as/--as-group impersonation for an admin, refused for others`, async () => {
      assert.match((await run(version, 'admin', ['get', 'pods', '-n', ns, '--as=alice'])).stderr, /No resources found/);
      await forbidden(version, 'admin', ['create', 'configmap', 'imp', '-n', ns, '--as=alice'], `configmaps is forbidden: User "alice" cannot create resource "configmaps"`);
      await ok(version, 'admin', ['create', 'rolebinding', 'devs-edit', '--clusterrole=edit', '--group=devs', '-n', ns]);
      await eventually(() => canI(version, 'bob', ['create', 'deployments.apps', '-n', ns]));
      assert.equal(await canI(version, 'admin', ['create', 'deployments.apps', '-n', ns, '--as=carol', '--as-group=devs']), true);
      assert.equal(await canI(version, 'admin', ['create', 'deployments.apps', '-n', ns, '--as=carol']), false);
      // (kubectl's discovery hides the message — "Error from server (Forbidden): unknown", upstream too — so ask raw.)
      await forbidden(version, 'alice', ['get', '--raw', `/api/v1/namespaces/${ns}/pods`, '--as=admin'], 'users \"admin\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope');
    });

    test(`kubectl ${version}: escalation prevention on roles and bindings`, async () => {
      // mallory may manage roles and bindings in the namespace, and read pods — nothing else.
      await ok(version, 'admin', ['create', 'role', 'rbac-manager', '--verb=create,get,update,delete', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io', '-n', ns]);
      await ok(version, 'admin', ['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', ns]);
      await ok(version, 'admin', ['create', 'rolebinding', 'mallory-manager', '--role=rbac-manager', '--user=mallory', '-n', ns]);
      await ok(version, 'admin', ['create', 'rolebinding', 'mallory-pods', '--role=pod-reader', '--user=mallory', '-n', ns]);
      await eventually(() => canI(version, 'mallory', ['create', 'roles.rbac.authorization.k8s.io', '-n', ns]));
      await eventually(() => canI(version, 'mallory', ['list', 'pods', '-n', ns]));
      // Within her own permissions: allowed.
      await ok(version, 'mallory', ['create', 'role', 'pods-get', '--verb=get', '--resource=pods', '-n', ns]);
      await ok(version, 'mallory', ['create', 'rolebinding', 'alice-pods', '--role=pod-reader', '--user=alice', '-n', ns]);
      // Beyond them: 403 with upstream's wording.
      await forbidden(
        version,
        'mallory',
        ['create', 'role', 'secret-reader', '--verb=get', '--resource=secrets', '-n', ns],
        `roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "mallory" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`,
      );
      await forbidden(version, 'mallory', ['create', 'rolebinding', 'mallory-admin', '--clusterrole=admin', '--user=mallory', '-n', ns], /rolebindings.rbac.authorization.k8s.io "mallory-admin" is forbidden: user "mallory" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held/);
      // With `bind` on that ClusterRole, the binding is allowed although she does not hold its permissions.
      await ok(version, 'admin', ['create', 'role', 'admin-binder', '--verb=bind', '--resource=clusterroles.rbac.authorization.k8s.io', '--resource-name=admin', '-n', ns]);
      await ok(version, 'admin', ['create', 'rolebinding', 'mallory-binder', '--role=admin-binder', '--user=mallory', '-n', ns]);
      await eventually(() => canI(version, 'mallory', ['bind', 'clusterroles.rbac.authorization.k8s.io/admin', '-n', ns]));
      await ok(version, 'mallory', ['create', 'rolebinding', 'alice-admin', '--clusterrole=admin', '--user=alice', '-n', ns]);
    });
  }

  test('kubectl 1.33: a ValidatingAdmissionPolicy asks RBAC through the CEL authorizer for the requesting user', async () => {
    const version: KubectlVersion = '1.33';
    const ns = 'vap-authz';
    await ok(version, 'admin', ['create', 'namespace', ns]);
    await ok(version, 'admin', ['apply', '-f', '-'], `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: sensitive-config
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [configmaps]
  validations:
  - expression: "!has(object.metadata.labels) || !('sensitive' in object.metadata.labels) || authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('update').allowed()"
    messageExpression: "'only users who may update secrets create sensitive config maps (' + request.userInfo.username + ')'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: sensitive-config
spec:
  policyName: sensitive-config
  validationActions: [Deny]
`);
    await ok(version, 'admin', ['create', 'role', 'cm-writer', '--verb=create', '--resource=configmaps', '-n', ns]);
    await ok(version, 'admin', ['create', 'rolebinding', 'cm-writers', '--role=cm-writer', '--user=alice', '--user=bob', '-n', ns]);
    await ok(version, 'admin', ['create', 'role', 'secret-updater', '--verb=update', '--resource=secrets', '-n', ns]);
    await ok(version, 'admin', ['create', 'rolebinding', 'secret-updaters', '--role=secret-updater', '--user=bob', '-n', ns]);
    await eventually(() => canI(version, 'bob', ['update', 'secrets', '-n', ns]));
    await eventually(() => canI(version, 'alice', ['create', 'configmaps', '-n', ns]));
    const cm = (name: string, sensitive: boolean) => ['create', 'configmap', name, '-n', ns, '--from-literal=k=v', ...(sensitive ? ['--dry-run=client', '-o', 'yaml'] : [])];
    // Unlabelled: the policy does not ask.
    await ok(version, 'alice', cm('plain', false));
    // Labelled: only bob, who may update secrets.
    const labelled = async (user: string, name: string) => {
      const yaml = (await ok(version, 'admin', cm(name, true))).replace('metadata:\n', 'metadata:\n  labels:\n    sensitive: "true"\n');
      return run(version, user, ['create', '-f', '-'], yaml);
    };
    const refused = await labelled('alice', 'alices');
    assert.notEqual(refused.code, 0, explain(refused));
    assert.match(refused.stderr, /ValidatingAdmissionPolicy 'sensitive-config' with binding 'sensitive-config' denied request: only users who may update secrets create sensitive config maps \(alice\)/, explain(refused));
    const accepted = await labelled('bob', 'bobs');
    assert.equal(accepted.code, 0, explain(accepted));
  });
});
