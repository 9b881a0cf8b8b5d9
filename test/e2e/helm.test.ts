// End to end: helm 3 and helm 4, unmodified, against `k8ts apiserver` + `k8ts controller-manager` (fake kubelet
// for the pods). A chart the test writes (no repositories, no network) with a Deployment, Service, ConfigMap,
// Secret, ServiceAccount, a CRD in crds/ and a custom resource of it, and a post-install hook Job: install with
// --wait, list/status/get, upgrade with changed values, history, rollback, template piped to kubectl,
// --dry-run=server, a failing install that reports our 422, and uninstall removing everything it made.
// helm 3 upgrades with a three-way strategic merge patch; helm 4 applies server-side.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { writeDemoChart } from '../harness/helm-chart.js';
import { describeHelmResult, helm, helmVersions } from '../harness/helm.js';
import { describeKubectlResult, kubectl } from '../harness/kubectl.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { isNotFound } from '../../src/apimachinery/errors.js';

const gvr = {
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  services: { group: '', version: 'v1', resource: 'services' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  widgets: { group: 'demo.k8ts.dev', version: 'v1', resource: 'widgets' },
};

describe('helm against k8ts', { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;
  let dir: string;
  const stopJobs = new AbortController();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-helm-e2e-'));
    await writeDemoChart(join(dir, 'demo'));
    server = await startAPIServer({ backend: 'memory' });
    cm = await startControllerManager({
      kubeconfigPath: server.kubeconfigPath,
      logDir: server.dataDir,
      extraArgs: ['--controllers=deployment-controller,replicaset-controller,job-controller,garbage-collector-controller'],
    });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    kubelet = startFakeKubelet({ client, nodeNames: ['node-a'] });
    await kubelet.synced;
    // Plays the container of each Job pod: once running, it exits 0 (bounded: every 200 ms until `after`).
    void (async () => {
      while (!stopJobs.signal.aborted) {
        try {
          for (const p of (await client.resource(gvr.pods, '').list({ labelSelector: 'batch.kubernetes.io/job-name' })).items) {
            const status = (p as { status?: { phase?: string } }).status;
            if (status?.phase !== 'Running') continue;
            const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
            const done = {
              ...p,
              status: {
                ...status, phase: 'Succeeded',
                conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: at }],
                containerStatuses: [{ name: 'smoke', image: 'busybox', imageID: '', ready: false, restartCount: 0, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } } }],
              },
            } as KubeObject;
            await client.resource(gvr.pods, p.metadata?.namespace ?? '').update(done, { subresource: 'status' }).catch(() => {});
          }
        } catch { /* server going away */ }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  });

  after(async () => {
    stopJobs.abort();
    await kubelet?.stop();
    await cm?.stop();
    client?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const version of helmVersions) {
    const major = version.split('.')[0];
    const ns = `helm${major}`;
    const run = (args: string[], timeoutMs = 120_000) => helm({ version, kubeconfig: server.kubeconfigPath, args: [...args, '--namespace', ns], timeoutMs });
    const ok = async (args: string[]) => {
      const r = await run(args);
      assert.equal(r.code, 0, `${describeHelmResult(r)}\ncontroller-manager:\n${await cm.logTail(20)}`);
      return r.stdout;
    };
    const get = async <T extends KubeObject>(which: keyof typeof gvr, name: string): Promise<T | undefined> => {
      try {
        return (await client.resource<T>(gvr[which], ns).get(name)) as T;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };
    const releaseSecrets = async () =>
      (await client.resource(gvr.secrets, ns).list({ labelSelector: 'owner=helm,name=demo' })).items.map((s) => [s.metadata?.name, s.metadata?.labels?.status, (s as { type?: string }).type]);

    test(`helm ${version}: install --wait runs the chart, its CRD, custom resource and post-install hook`, async () => {
      await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['create', 'namespace', ns] });
      const out = await ok(['install', 'demo', join(dir, 'demo'), '--wait', '--timeout', '90s']);
      assert.match(out, /NAME: demo/);
      assert.match(out, /STATUS: deployed/);
      assert.match(out, /REVISION: 1/);
      const d = await get<KubeObject & { spec?: { replicas?: number }; status?: { readyReplicas?: number } }>('deployments', 'demo-web');
      assert.deepEqual([d?.spec?.replicas, d?.status?.readyReplicas], [2, 2]);
      assert.equal(((await get('configmaps', 'demo-config')) as { data?: Record<string, string> } | undefined)?.data?.message, 'hello');
      assert.ok((await get<KubeObject & { spec?: { clusterIP?: string } }>('services', 'demo-web'))?.spec?.clusterIP);
      assert.ok(await get('serviceaccounts', 'demo-sa'));
      assert.equal(Buffer.from(((await get('secrets', 'demo-secret')) as { data?: Record<string, string> }).data?.password ?? '', 'base64').toString(), 's3cr3t-1');
      const widget = await get<KubeObject & { spec?: { color?: string; size?: number } }>('widgets', 'demo-widget');
      assert.deepEqual(widget?.spec, { color: 'blue', size: 1 }, 'the CRD from crds/ served the custom resource, with its default');
      assert.equal(await get('jobs', 'demo-smoke'), undefined, 'the hook Job ran and was deleted (hook-succeeded)');
      assert.deepEqual(await releaseSecrets(), [['sh.helm.release.v1.demo.v1', 'deployed', 'helm.sh/release.v1']]);
    });

    test(`helm ${version}: list, status, get values and manifest`, async () => {
      const list = JSON.parse(await ok(['list', '-o', 'json'])) as Array<{ name: string; namespace: string; revision: string; status: string; chart: string }>;
      assert.deepEqual(list.map((r) => [r.name, r.namespace, String(r.revision), r.status, r.chart]), [['demo', ns, '1', 'deployed', 'demo-0.1.0']]);
      assert.match(await ok(['status', 'demo']), /STATUS: deployed/);
      assert.deepEqual(JSON.parse(await ok(['get', 'values', 'demo', '--all', '-o', 'json'])), { replicas: 2, message: 'hello', image: 'nginx:1.25', color: 'blue' });
      const manifest = await ok(['get', 'manifest', 'demo']);
      for (const kind of ['Deployment', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Widget']) assert.match(manifest, new RegExp(`kind: ${kind}\\n`));
    });

    test(`helm ${version}: upgrade with changed values, history, rollback`, async () => {
      const up = await ok(['upgrade', 'demo', join(dir, 'demo'), '--set', 'replicas=3,message=bye,color=red', '--wait', '--timeout', '90s']);
      assert.match(up, /REVISION: 2/);
      const d = await get<KubeObject & { spec?: { replicas?: number }; status?: { readyReplicas?: number } }>('deployments', 'demo-web');
      assert.deepEqual([d?.spec?.replicas, d?.status?.readyReplicas], [3, 3]);
      assert.equal(((await get('configmaps', 'demo-config')) as { data?: Record<string, string> }).data?.message, 'bye');
      assert.equal(((await get('widgets', 'demo-widget')) as { spec?: { color?: string } }).spec?.color, 'red');
      const history = JSON.parse(await ok(['history', 'demo', '-o', 'json'])) as Array<{ revision: number; status: string; description: string }>;
      assert.deepEqual(history.map((h) => [h.revision, h.status, h.description]), [[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete']]);
      await ok(['rollback', 'demo', '1', '--wait', '--timeout', '90s']);
      assert.equal(((await get('configmaps', 'demo-config')) as { data?: Record<string, string> }).data?.message, 'hello');
      assert.equal(((await get('deployments', 'demo-web')) as { spec?: { replicas?: number } }).spec?.replicas, 2);
      assert.equal(((await get('widgets', 'demo-widget')) as { spec?: { color?: string } }).spec?.color, 'blue');
      assert.deepEqual((await releaseSecrets()).map((s) => s[0]).sort(), ['sh.helm.release.v1.demo.v1', 'sh.helm.release.v1.demo.v2', 'sh.helm.release.v1.demo.v3']);
    });

    test(`helm ${version}: template | kubectl apply --dry-run=server, install --dry-run=server`, async () => {
      const rendered = await ok(['template', 'other', join(dir, 'demo'), '--set', 'message=dry']);
      const applied = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['apply', '-n', ns, '--dry-run=server', '-f', '-'], stdin: rendered });
      assert.equal(applied.code, 0, describeKubectlResult(applied));
      assert.match(applied.stdout, /deployment.apps\/other-web created \(server dry run\)/);
      const dry = await ok(['install', 'other', join(dir, 'demo'), '--dry-run=server']);
      assert.match(dry, /STATUS: pending-install/);
      assert.equal(await get('configmaps', 'other-config'), undefined, 'a dry run stores nothing');
    });

    test(`helm ${version}: a chart the API refuses fails with our 422`, async () => {
      const bad = await mkdtemp(join(dir, 'bad-'));
      await mkdir(join(bad, 'templates'));
      await writeFile(join(bad, 'Chart.yaml'), 'apiVersion: v2\nname: bad\nversion: 0.1.0\n');
      await writeFile(join(bad, 'templates', 'deploy.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec:
  selector: {matchLabels: {app: broken}}
  template:
    metadata: {labels: {app: broken}}
    spec:
      containers: [{name: web}]
`);
      const r = await run(['install', 'broken', bad]);
      assert.notEqual(r.code, 0, describeHelmResult(r));
      assert.match(r.stderr, /spec\.template\.spec\.containers\[0\]\.image: Required value/, describeHelmResult(r));
      assert.equal(await get('deployments', 'broken'), undefined);
      // helm keeps the failed release on record, as on any cluster; uninstalling it clears it.
      const list = JSON.parse(await ok(['list', '--failed', '-o', 'json'])) as Array<{ name: string; status: string }>;
      assert.deepEqual(list.map((l) => [l.name, l.status]), [['broken', 'failed']]);
      await ok(['uninstall', 'broken']);
    });

    test(`helm ${version}: uninstall removes what the release made (the CRD stays, as helm keeps crds/)`, async () => {
      await ok(['uninstall', 'demo', '--wait', '--timeout', '60s']);
      for (const [which, name] of [['deployments', 'demo-web'], ['services', 'demo-web'], ['configmaps', 'demo-config'], ['secrets', 'demo-secret'], ['serviceaccounts', 'demo-sa'], ['widgets', 'demo-widget']] as const) {
        assert.equal(await get(which, name), undefined, `${which}/${name} deleted`);
      }
      assert.deepEqual(await releaseSecrets(), []);
      const crd = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['get', 'crd', 'widgets.demo.k8ts.dev', '-o', 'name'] });
      assert.equal(crd.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.demo.k8ts.dev');
      assert.match(await ok(['list', '-o', 'json']), /^\[\]\s*$/);
    });
  }
});

