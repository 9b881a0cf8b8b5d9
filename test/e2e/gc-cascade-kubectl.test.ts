// End to end: `kubectl delete --cascade=background|foreground|orphan` against `k8ts apiserver` +
// `k8ts controller-manager` (deployment, replicaset and garbage collector controllers), with the fake kubelet
// confirming pod deletions. Each Deployment → ReplicaSet → Pods chain ends as the cascade mode says.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as appsv1 from '../../src/api/generated/apps/v1.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';

type ReplicaSet = appsv1.ReplicaSet & KubeObject;
type Pod = corev1.Pod & KubeObject;

const versions: KubectlVersion[] = ['1.27', '1.33'];
const replicasets = { group: 'apps', version: 'v1', resource: 'replicasets' };
const pods = { group: '', version: 'v1', resource: 'pods' };

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

describe('kubectl delete --cascade through the k8ts garbage collector', { concurrency: 1 }, () => {
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

  const chain = async (app: string): Promise<{ rs: ReplicaSet[]; pods: Pod[] }> => ({
    rs: (await client.resource<ReplicaSet>(replicasets, 'default').list({ labelSelector: `app=${app}` })).items,
    pods: (await client.resource<Pod>(pods, 'default').list({ labelSelector: `app=${app}` })).items,
  });
  const diagnose = (app: string) => async () => `controller-manager log:\n${await cm.logTail(30)}\nchain: ${JSON.stringify(await chain(app), null, 1).slice(0, 3000)}`;

  for (const version of versions) {
    const ok = async (args: string[]): Promise<string> => {
      const r = await kubectl({ version, kubeconfig: server.kubeconfigPath, args, timeoutMs: 60_000 });
      assert.equal(r.code, 0, explain(r));
      return r.stdout;
    };
    const deployed = async (app: string): Promise<void> => {
      await ok(['create', 'deployment', app, '--image=nginx', '--replicas=2']);
      await waitFor(`${app}: one ReplicaSet and two pods`, async () => {
        const c = await chain(app);
        return c.rs.length === 1 && c.pods.length === 2 ? true : undefined;
      }, 30_000, diagnose(app));
    };

    for (const cascade of ['background', 'foreground'] as const) {
      test(`kubectl ${version}: --cascade=${cascade} removes the Deployment, its ReplicaSet and its pods`, async () => {
        const app = `${cascade}-${version.replace('.', '')}`;
        await deployed(app);
        const out = await ok(['delete', 'deployment', app, `--cascade=${cascade}`]);
        assert.match(out, new RegExp(`deployment.apps "${app}" deleted`));
        if (cascade === 'foreground') {
          // kubectl waited for the Deployment itself, which foreground deletion removes last.
          const c = await chain(app);
          assert.equal(c.rs.length, 0, JSON.stringify(c.rs.map((r) => r.metadata?.name)));
        }
        await waitFor(`${app}: no ReplicaSet and no pods`, async () => {
          const c = await chain(app);
          return c.rs.length === 0 && c.pods.length === 0 ? true : undefined;
        }, 30_000, diagnose(app));
      });
    }

    test(`kubectl ${version}: --cascade=orphan keeps the ReplicaSet and pods, without owner references`, async () => {
      const app = `orphan-${version.replace('.', '')}`;
      await deployed(app);
      await ok(['delete', 'deployment', app, '--cascade=orphan']);
      const c = await waitFor(`${app}: ReplicaSet orphaned`, async () => {
        const cur = await chain(app);
        return cur.rs.length === 1 && !cur.rs[0]!.metadata?.ownerReferences?.length ? cur : undefined;
      }, 30_000, diagnose(app));
      assert.equal(c.pods.length, 2);
      // The pods still belong to the (now orphaned) ReplicaSet.
      for (const p of c.pods) assert.equal(p.metadata?.ownerReferences?.[0]?.uid, c.rs[0]!.metadata?.uid);
      // Deleting the ReplicaSet in the background then takes the pods with it.
      await ok(['delete', 'replicaset', c.rs[0]!.metadata!.name!]);
      await waitFor(`${app}: pods collected`, async () => ((await chain(app)).pods.length === 0 ? true : undefined), 30_000, diagnose(app));
    });
  }
});
