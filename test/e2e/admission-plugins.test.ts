// End to end: the built-in admission plugins as kubectl (1.27 and 1.33) shows them against `bin/k8ts
// apiserver` — PodSecurity enforce (Forbidden) and warn (`Warning:` lines), NamespaceLifecycle keeping
// `default`, Priority's system classes, LimitRanger defaults, ResourceQuota's `exceeded quota`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: app
    image: nginx
`;

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: nginx
`;

describe('built-in admission plugins with kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, stdin, timeoutMs: 60_000 });
      const ok = async (args: string[], stdin?: string) => {
        const r = await run(args, stdin);
        assert.equal(r.code, 0, explain(r));
        return r;
      };

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
      });
      after(async () => {
        await server?.stop();
      });

      test('PodSecurity: enforce refuses, warn warns', async () => {
        await ok(['create', 'namespace', 'secure']);
        await ok(['label', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=baseline', 'pod-security.kubernetes.io/warn=restricted']);
        const warned = await ok(['-n', 'secure', 'create', '-f', '-'], pod('plain'));
        assert.match(
          warned.stderr,
          /Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "app" must set securityContext\.allowPrivilegeEscalation=false\), unrestricted capabilities/,
          explain(warned),
        );
        const refused = await run(['-n', 'secure', 'create', '-f', '-'], pod('hosty', '  hostNetwork: true\n'));
        assert.notEqual(refused.code, 0, explain(refused));
        assert.match(refused.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "hosty" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)/, explain(refused));
        // The warn level's warning comes with the refusal, as upstream.
        assert.match(refused.stderr, /Warning: would violate PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\), allowPrivilegeEscalation/, explain(refused));
        const labelled = await ok(['label', '--overwrite', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=restricted']);
        assert.match(labelled.stderr, /Warning: existing pods in namespace "secure" violate the new PodSecurity enforce level "restricted:latest"/, explain(labelled));
      });

      test('NamespaceLifecycle: default cannot be deleted', async () => {
        const r = await run(['delete', 'namespace', 'default']);
        assert.notEqual(r.code, 0, explain(r));
        assert.match(r.stderr, /Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/, explain(r));
      });

      test('Priority, DefaultTolerationSeconds and LimitRanger fill in the pod', async () => {
        await ok(['create', 'namespace', 'limited']);
        await ok(
          ['-n', 'limited', 'create', '-f', '-'],
          `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
`,
        );
        await ok(['-n', 'limited', 'create', '-f', '-'], pod('critical', '  priorityClassName: system-cluster-critical\n'));
        const got = await ok(['-n', 'limited', 'get', 'pod', 'critical', '-o', 'jsonpath={.spec.priority} {.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.limits.memory} {.spec.tolerations[*].tolerationSeconds}']);
        assert.equal(got.stdout, '2000000000 100m 256Mi 300 300', explain(got));
        const missing = await run(['-n', 'limited', 'create', '-f', '-'], pod('lost', '  priorityClassName: nope\n'));
        assert.match(missing.stderr, /pods "lost" is forbidden: no PriorityClass with name nope was found/, explain(missing));
      });

      test("ValidatingAdmissionPolicy: upstream's replicas example", async () => {
        await ok(['create', 'namespace', 'vap-test']);
        await ok(['label', 'namespace', 'vap-test', 'environment=test']);
        await ok(
          ['apply', '-f', '-'],
          `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: demo-policy.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: demo-binding-test.example.com
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`,
        );
        const r = await run(['-n', 'vap-test', 'create', '-f', '-'], deployment('nginx', 6));
        assert.notEqual(r.code, 0, explain(r));
        // kubectl renders the 422 from its details, exactly as upstream's documentation shows it.
        assert.match(
          r.stderr,
          /The deployments "nginx" is invalid: : ValidatingAdmissionPolicy 'demo-policy\.example\.com' with binding 'demo-binding-test\.example\.com' denied request: failed expression: object\.spec\.replicas <= 5/,
          explain(r),
        );
        await ok(['-n', 'vap-test', 'create', 'deployment', 'nginx', '--image=nginx', '--replicas=3']);
      });

      test('ResourceQuota: the third configmap exceeds the quota', async () => {
        await ok(['create', 'namespace', 'quota']);
        await ok(['-n', 'quota', 'create', 'quota', 'small', '--hard=configmaps=2']);
        await ok(['-n', 'quota', 'create', 'configmap', 'one']);
        await ok(['-n', 'quota', 'create', 'configmap', 'two']);
        const r = await run(['-n', 'quota', 'create', 'configmap', 'three']);
        assert.notEqual(r.code, 0, explain(r));
        assert.match(r.stderr, /configmaps "three" is forbidden: exceeded quota: small, requested: configmaps=1, used: configmaps=2, limited: configmaps=2/, explain(r));
      });
    });
  }
});
