// End to end: `kubectl edit` (1.27 and 1.33) against `bin/k8ts apiserver`, with EDITOR set to a script that
// rewrites the temp file kubectl hands it — kubectl then sends the difference as a strategic merge patch for
// built-in kinds and a JSON merge patch for custom resources; a rejected edit leaves the object unchanged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.edit.example.com' },
  spec: {
    group: 'edit.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
      },
    ],
  },
};

describe('kubectl edit through $EDITOR', () => {
  let server: APIServerProcess;
  let dir: string;
  before(async () => {
    server = await startAPIServer({ backend: 'memory' });
    dir = await mkdtemp(join(tmpdir(), 'k8ts-edit-'));
    const r = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['apply', '-f', '-'], stdin: JSON.stringify(crd) });
    assert.equal(r.code, 0, explain(r));
    const established = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['wait', '--for=condition=Established', 'crd/widgets.edit.example.com', '--timeout=20s'] });
    assert.equal(established.code, 0, explain(established));
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * An EDITOR that runs one sed expression on the file kubectl opens, after appending what it was shown to
   * `<name>.seen` (kubectl reopens the editor with the server's complaint as comments after a failed edit).
   */
  async function editor(name: string, sedExpression: string): Promise<string> {
    const path = join(dir, `${name}.sh`);
    await writeFile(path, `#!/bin/sh\ncat "$1" >> '${join(dir, `${name}.seen`)}'\nexec sed -i -e '${sedExpression}' "$1"\n`);
    await chmod(path, 0o755);
    return path;
  }

  for (const version of versions) {
    const ns = `edit-${version.replace('.', '-')}`;
    const run = async (args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, ...opts });

    test(`kubectl ${version}: editing a Deployment changes exactly the edited fields`, async () => {
      assert.equal((await run(['create', 'namespace', ns])).code, 0);
      const created = await run(['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.25', '--replicas=2']);
      assert.equal(created.code, 0, explain(created));
      const before = JSON.parse((await run(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])).stdout);

      const edited = await run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: await editor(`replicas-${version}`, 's/^  replicas: 2$/  replicas: 5/') } });
      assert.equal(edited.code, 0, explain(edited));
      assert.match(edited.stdout, /deployment.apps\/web edited/);
      const after = JSON.parse((await run(['get', 'deployment', 'web', '-n', ns, '-o', 'json', '--show-managed-fields'])).stdout);
      assert.equal(after.spec.replicas, 5);
      assert.equal(after.spec.template.spec.containers[0].image, 'nginx:1.25', 'untouched fields stay');
      assert.equal(after.metadata.uid, before.metadata.uid);
      assert.equal(after.metadata.generation, before.metadata.generation + 1);
      const managers = (after.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}/${m.operation}`);
      assert.ok(managers.includes('kubectl-edit/Update'), `kubectl edit is recorded as a field manager: ${managers.join(', ')}`);

      // An edit that leaves the file unchanged is "Edit cancelled, no changes made."
      const noop = await run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: await editor(`noop-${version}`, 's/^$//') } });
      assert.equal(noop.code, 0, explain(noop));
      assert.match(noop.stdout + noop.stderr, /Edit cancelled, no changes made/);
    });

    test(`kubectl ${version}: an invalid edit is rejected with the server's message and changes nothing`, async () => {
      const edited = await run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: await editor(`invalid-${version}`, 's/^  replicas: 5$/  replicas: -3/') } });
      assert.notEqual(edited.code, 0, explain(edited));
      assert.match(edited.stderr, /deployments.apps "web" is invalid/);
      assert.match(edited.stderr, /Edit cancelled, no valid changes were saved/);
      // The second time round the editor shows the server's field error as a comment above the object.
      const seen = await readFile(join(dir, `invalid-${version}.seen`), 'utf8');
      assert.match(seen, /# deployments.apps "web" was not valid:\n# \* spec.replicas: Invalid value: -3: must be greater than or equal to 0/);
      const after = JSON.parse((await run(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])).stdout);
      assert.equal(after.spec.replicas, 5);
    });

    test(`kubectl ${version}: editing a custom resource sends a merge patch`, async () => {
      const widget = { apiVersion: 'edit.example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns }, spec: { size: 1, color: 'red' } };
      const created = await run(['create', '-f', '-'], { stdin: JSON.stringify(widget) });
      assert.equal(created.code, 0, explain(created));
      const edited = await run(['edit', 'widget', 'w', '-n', ns], { env: { EDITOR: await editor(`cr-${version}`, 's/^  color: red$/  color: blue/') } });
      assert.equal(edited.code, 0, explain(edited));
      assert.match(edited.stdout, /widget.edit.example.com\/w edited/);
      const after = JSON.parse((await run(['get', 'widget', 'w', '-n', ns, '-o', 'json'])).stdout);
      assert.deepEqual(after.spec, { size: 1, color: 'blue' });
    });
  }
});
