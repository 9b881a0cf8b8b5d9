// End to end: `kubectl delete namespace` against `k8ts apiserver` + `k8ts controller-manager`, with the fake
// kubelet running and confirming pods: configmaps, secrets, a Deployment with running pods and custom
// resources are all removed, and the namespace disappears (kubectl waits for it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import type { GroupVersionResource, Interface } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

/** Everything a namespace typically holds; the pods' short grace period keeps the wait for them short. */
function content(ns: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${ns}}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: ${ns}}
stringData: {password: x}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: web, image: nginx}]
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g1, namespace: ${ns}}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g2, namespace: ${ns}}
`;
}

describe('kubectl delete namespace through the k8ts namespace controller', { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;

  before(async () => {
    server = await startAPIServer({ backend: 'memory' });
    cm = await startControllerManager({ kubeconfigPath: server.kubeconfigPath, logDir: server.dataDir });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    kubelet = startFakeKubelet({ client, nodeNames: ['node-a'] });
    await kubelet.synced;
  });

  after(async () => {
    await kubelet?.stop();
    await cm?.stop();
    client?.close();
    await server?.stop();
  });

  const count = async (gvr: GroupVersionResource, ns: string): Promise<number> => (await client.resource(gvr, ns).list()).items.length;

  for (const version of versions) {
    test(`kubectl ${version}: delete ns removes configmaps, secrets, a Deployment with pods and custom resources`, async () => {
      const ns = `doomed-${version.replace('.', '')}`;
      const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 90_000 });
      const ok = async (args: string[], stdin?: string): Promise<string> => {
        const r = await run(args, stdin);
        assert.equal(r.code, 0, explain(r));
        return r.stdout;
      };
      await ok(['apply', '-f', '-'], crd);
      await ok(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=30s']);
      await ok(['create', 'namespace', ns]);
      await waitFor('the namespace in the discovery of custom resources', async () => ((await run(['apply', '-f', '-'], content(ns))).code === 0 ? true : undefined), 30_000);
      await waitFor('two running pods', async () => {
        const list = await client.resource({ group: '', version: 'v1', resource: 'pods' }, ns).list();
        return list.items.length === 2 && list.items.every((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running') ? true : undefined;
      }, 30_000, async () => cm.logTail(30));

      const out = await ok(['delete', 'namespace', ns]);
      assert.match(out, new RegExp(`namespace "${ns}" deleted`));
      // kubectl waited until the namespace was gone.
      const get = await run(['get', 'namespace', ns]);
      assert.notEqual(get.code, 0);
      assert.match(get.stderr, new RegExp(`namespaces "${ns}" not found`));
      for (const [gvr, what] of [
        [{ group: '', version: 'v1', resource: 'configmaps' }, 'configmaps'],
        [{ group: '', version: 'v1', resource: 'secrets' }, 'secrets'],
        [{ group: '', version: 'v1', resource: 'pods' }, 'pods'],
        [{ group: 'apps', version: 'v1', resource: 'deployments' }, 'deployments'],
        [{ group: 'apps', version: 'v1', resource: 'replicasets' }, 'replicasets'],
        [{ group: 'example.com', version: 'v1', resource: 'gadgets' }, 'gadgets'],
      ] as const) {
        assert.equal(await count(gvr, ns), 0, what);
      }
    });
  }
});
