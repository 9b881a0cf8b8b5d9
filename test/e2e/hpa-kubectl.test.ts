// End to end: the horizontal pod autoscaler as users drive it, with real kubectl 1.27 and 1.33 against
// `k8ts apiserver` + `k8ts controller-manager` (fake kubelet for the pods). Three extension apiservers on
// 127.0.0.1 stand in for metrics-server (metrics.k8s.io) and a metrics adapter (custom.metrics.k8s.io,
// external.metrics.k8s.io), registered through APIServices: `kubectl autoscale` → the HPA scales a Deployment
// on cpu utilization, `kubectl get hpa` / `describe hpa` show it as upstream prints it; an autoscaling/v2 HPA
// with Pods, External and Object metrics scales on the largest proposal, reading the upstream URLs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startControllerManager, type ControllerManagerProcess } from '../harness/controller-manager-process.js';
import { apiServiceManifests, generateFrontProxyPKI, startExtensionAPIServer, type ExtensionAPIServer, type ExtensionRequest } from '../harness/extension-apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { describeKubectlResult, kubectl, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';
import { loadRESTConfig } from '../../src/client/kubeconfig/loader.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { parse as parseSelector } from '../../src/apimachinery/labels/selector.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];
const adapterNamespace = 'custom-metrics';
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const podsGVR = { group: '', version: 'v1', resource: 'pods' };

type PodLite = { name: string; labels: Record<string, string> };

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

describe('HPA end to end with real kubectl and metrics APIs behind APIServices', { concurrency: 1 }, () => {
  let server: APIServerProcess;
  let cm: ControllerManagerProcess;
  let client: Interface;
  let kubelet: FakeKubelet;
  const adapters: ExtensionAPIServer[] = [];
  /** The cluster's pods as last listed: the metrics servers answer for these (their handlers are synchronous). */
  let pods: PodLite[] = [];
  const stopRefresh = new AbortController();

  /** What each metrics server reports; the tests change it. */
  const cpuMilliPerPod = new Map<string, number>();
  let queueDepth = 30;

  const podsMatching = (req: ExtensionRequest): PodLite[] => {
    const selector = parseSelector(req.query.get('labelSelector') ?? '');
    return pods.filter((p) => selector.matches(p.labels));
  };
  const list = (kind: string, apiVersion: string, items: unknown[]) => ({ status: 200, body: { kind, apiVersion, metadata: {}, items } });

  before(async () => {
    const pki = await generateFrontProxyPKI();
    server = await startAPIServer({ backend: 'memory', extraArgs: [`--proxy-client-cert-file=${pki.clientCertFile}`, `--proxy-client-key-file=${pki.clientKeyFile}`] });
    client = newClient(loadRESTConfig({ kubeconfig: server.kubeconfigPath }));
    const common = { frontProxyCA: pki.caPEM, allowedNames: [pki.clientCN] };
    // metrics-server: PodMetrics with the cpu the test sets per Deployment (by the pod's app label).
    adapters.push(await startExtensionAPIServer({
      ...common, group: 'metrics.k8s.io', version: 'v1beta1', dnsNames: [`metrics-server.${adapterNamespace}.svc`],
      resources: [{ name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }],
      handle: (req) => {
        if (!req.path.endsWith('/pods')) return undefined;
        const items = podsMatching(req).filter((p) => cpuMilliPerPod.has(p.labels.app ?? '')).map((p) => ({
          metadata: { name: p.name, namespace: 'default', labels: p.labels },
          timestamp: now(), window: '1s',
          containers: [{ name: 'nginx', usage: { cpu: `${cpuMilliPerPod.get(p.labels.app ?? '')}m`, memory: '10Mi' } }],
        }));
        return list('PodMetricsList', 'metrics.k8s.io/v1beta1', items);
      },
    }));
    // A custom metrics adapter: rps per pod (Pods metric), hits of an Ingress (Object metric).
    adapters.push(await startExtensionAPIServer({
      ...common, group: 'custom.metrics.k8s.io', version: 'v1beta2', dnsNames: [`custom-metrics.${adapterNamespace}.svc`],
      resources: [{ name: 'pods/rps', singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] }],
      handle: (req) => {
        if (req.path.endsWith('/pods/*/rps')) {
          const items = podsMatching(req).map((p) => ({ describedObject: { kind: 'Pod', namespace: 'default', name: p.name, apiVersion: '/v1' }, metric: { name: 'rps' }, timestamp: now(), value: '100m' }));
          return list('MetricValueList', 'custom.metrics.k8s.io/v1beta2', items);
        }
        if (req.path.endsWith('/ingresses.networking.k8s.io/main/hits')) {
          return list('MetricValueList', 'custom.metrics.k8s.io/v1beta2', [{ describedObject: { kind: 'Ingress', namespace: 'default', name: 'main', apiVersion: 'networking.k8s.io/v1' }, metric: { name: 'hits' }, timestamp: now(), value: '10' }]);
        }
        return undefined;
      },
    }));
    // An external metrics adapter: the depth of a queue outside the cluster.
    adapters.push(await startExtensionAPIServer({
      ...common, group: 'external.metrics.k8s.io', version: 'v1beta1', dnsNames: [`external-metrics.${adapterNamespace}.svc`],
      resources: [{ name: 'queue_depth', singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] }],
      handle: (req) => {
        if (!req.path.endsWith('/queue_depth') || req.query.get('labelSelector') !== 'queue=jobs') return undefined;
        return list('ExternalMetricValueList', 'external.metrics.k8s.io/v1beta1', [{ metricName: 'queue_depth', metricLabels: { queue: 'jobs' }, timestamp: now(), value: String(queueDepth) }]);
      },
    }));
    const manifests = [
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${adapterNamespace}\n`,
      apiServiceManifests({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: adapterNamespace, service: 'metrics-server', port: adapters[0]!.port, caBundle: adapters[0]!.caBundle }),
      apiServiceManifests({ group: 'custom.metrics.k8s.io', version: 'v1beta2', namespace: adapterNamespace, service: 'custom-metrics', port: adapters[1]!.port, caBundle: adapters[1]!.caBundle }),
      apiServiceManifests({ group: 'external.metrics.k8s.io', version: 'v1beta1', namespace: adapterNamespace, service: 'external-metrics', port: adapters[2]!.port, caBundle: adapters[2]!.caBundle }),
    ].join('---\n');
    const applied = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['apply', '-f', '-'], stdin: manifests });
    assert.equal(applied.code, 0, describeKubectlResult(applied));
    await waitFor('the metrics APIServices Available', async () => {
      const r = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['get', 'apiservices', '-o', 'jsonpath={range .items[?(@.spec.service)]}{.metadata.name}={.status.conditions[0].status} {end}'] });
      return (r.stdout.match(/=True/g) ?? []).length === 3 ? true : undefined;
    }, 30_000);
    cm = await startControllerManager({
      kubeconfigPath: server.kubeconfigPath,
      logDir: server.dataDir,
      extraArgs: ['--controllers=deployment-controller,replicaset-controller,horizontal-pod-autoscaler-controller', '--horizontal-pod-autoscaler-sync-period=1s'],
    });
    kubelet = startFakeKubelet({ client, nodeNames: ['node-a'] });
    await kubelet.synced;
    // Keep the pod snapshot fresh while the tests run (one list every 200 ms, until `after`).
    void (async () => {
      while (!stopRefresh.signal.aborted) {
        try {
          const l = await client.resource(podsGVR, 'default').list();
          pods = l.items.map((p: KubeObject) => ({ name: p.metadata?.name ?? '', labels: (p.metadata?.labels ?? {}) as Record<string, string> }));
        } catch { /* the server is going away */ }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  });

  after(async () => {
    stopRefresh.abort();
    await kubelet?.stop();
    await cm?.stop();
    for (const a of adapters) await a.stop();
    client?.close();
    await server?.stop();
  });

  const replicasOf = async (name: string) => ((await client.resource(deployments, 'default').get(name)).spec as { replicas?: number }).replicas;

  for (const version of versions) {
    const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });
    const ok = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      assert.equal(r.code, 0, describeKubectlResult(r));
      return r.stdout;
    };
    const suffix = version.replace('.', '');
    const diagnose = async () => `controller-manager log:\n${await cm.logTail(30)}`;
    // The recorder posts events after the scale and the status write, so `describe` waits for the event line.
    const describeOnceEventShows = (name: string, event: RegExp) =>
      waitFor(`describe hpa ${name} to list ${event}`, async () => {
        const out = await ok(['describe', 'hpa', name]);
        return event.test(out) ? out : undefined;
      }, 30_000, diagnose);

    test(`kubectl ${version}: autoscale → scales on cpu utilization; get hpa and describe hpa show it`, async () => {
      const web = `web-${suffix}`;
      await ok(['create', 'deployment', web, '--image=nginx', '--replicas=2']);
      await ok(['set', 'resources', `deployment/${web}`, '--requests=cpu=100m']);
      const created = await ok(['autoscale', `deployment/${web}`, '--min=1', '--max=5', '--cpu-percent=50']);
      assert.match(created, new RegExp(`horizontalpodautoscaler.autoscaling/${web} autoscaled`));
      // 150m of a 100m request is 150% of the 50% target: ratio 3 → the HPA climbs to its maximum of 5.
      cpuMilliPerPod.set(web, 150);
      await waitFor(`${web} scaled to 5`, async () => ((await replicasOf(web)) === 5 ? true : undefined), 45_000, diagnose);
      const table = await waitFor('get hpa to report the utilization', async () => {
        const out = await ok(['get', 'hpa', web]);
        return /cpu: 150%\/50%/.test(out) && / 5 +\S+\s*$/.test(out.trim()) ? out : undefined;
      }, 30_000, diagnose);
      const [header, row] = table.trim().split('\n');
      assert.match(header!, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/);
      assert.match(row!, new RegExp(`^${web}\\s+Deployment/${web}\\s+cpu: 150%/50%\\s+1\\s+5\\s+5\\s+\\S+$`));
      const described = await describeOnceEventShows(web, /SuccessfulRescale/);
      assert.match(described, /Reference:\s+Deployment\/web-/);
      assert.match(described, /ScalingActive\s+True\s+ValidMetricFound\s+the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)/);
      assert.match(described, /ScalingLimited\s+True\s+TooManyReplicas/);
      assert.match(described, /SuccessfulRescale\s+.*New size: \d; reason: cpu resource utilization \(percentage of request\) above target/);
    });

    test(`kubectl ${version}: an autoscaling/v2 HPA with Pods, External and Object metrics scales on the largest proposal`, async () => {
      const worker = `worker-${suffix}`;
      const hpa = `queue-${suffix}`;
      await ok(['create', 'deployment', worker, '--image=nginx', '--replicas=2']);
      const seenBefore = adapters.map((a) => a.requests.length);
      await ok(['apply', '-f', '-'], `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${worker}}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Pods
    pods:
      metric: {name: rps}
      target: {type: AverageValue, averageValue: 100m}
  - type: External
    external:
      metric:
        name: queue_depth
        selector: {matchLabels: {queue: jobs}}
      target: {type: AverageValue, averageValue: "5"}
  - type: Object
    object:
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}
      metric: {name: hits}
      target: {type: Value, value: "10"}
`);
      // rps and hits sit at their targets; 30 queued jobs at 5 per replica wants 6 (reached in two steps).
      await waitFor(`${worker} scaled to 6`, async () => ((await replicasOf(worker)) === 6 ? true : undefined), 45_000, diagnose);
      const paths = adapters.flatMap((a, i) => a.requests.slice(seenBefore[i]).map((r) => `${r.path}?${r.query.toString()}`));
      assert.ok(paths.includes(`/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/rps?labelSelector=app%3D${worker}`), paths.join('\n'));
      assert.ok(paths.includes('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/ingresses.networking.k8s.io/main/hits?'), paths.join('\n'));
      assert.ok(paths.includes('/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth?labelSelector=queue%3Djobs'), paths.join('\n'));
      const out = await waitFor('get hpa with all three metrics', async () => {
        const o = await ok(['get', 'hpa', hpa]);
        return /100m\/100m, 5\/5 \(avg\) \+ 1 more\.\.\.\s+1\s+10\s+6\s/.test(o) ? o : undefined;
      }, 30_000, diagnose);
      assert.match(out, new RegExp(`Deployment/${worker}`));
      const described = await describeOnceEventShows(hpa, /reason: external metric/);
      assert.match(described, /"rps" on pods:\s+100m \/ 100m/);
      assert.match(described, /"queue_depth" \(target average value\):\s+5 \/ 5/);
      assert.match(described, /"hits" on Ingress\/main \(target value\):\s+10 \/ 10/);
      assert.match(described, /New size: \d; reason: external metric queue_depth\(&LabelSelector\{MatchLabels:map\[string\]string\{queue: jobs,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) above target/);
    });
  }
});
