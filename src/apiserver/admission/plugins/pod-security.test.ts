import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import { registryReader } from '../object-reader.js';
import { staticReader, type StaticObject } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { evaluatePod } from './pod-security-checks.js';
import { newPodSecurity } from './pod-security.js';

const plain: corev1.PodSpec = { containers: [{ name: 'nginx', image: 'nginx' }] };
const hardened: corev1.PodSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'nginx', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

test('checks: baseline and restricted messages in upstream order and wording', () => {
  const cases: Array<{ level: 'baseline' | 'restricted'; spec: corev1.PodSpec; want: string | undefined }> = [
    { level: 'baseline', spec: plain, want: undefined },
    { level: 'restricted', spec: hardened, want: undefined },
    {
      level: 'restricted',
      spec: plain,
      want: 'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    },
    {
      level: 'baseline',
      spec: {
        hostNetwork: true,
        hostPID: true,
        volumes: [{ name: 'host-etc', hostPath: { path: '/etc' } }],
        containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } }],
      },
      want: 'non-default capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add), host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "host-etc"), hostPort (container "a" uses hostPort 80), privileged (container "a" must not set securityContext.privileged=true)',
    },
    {
      level: 'restricted',
      spec: { ...hardened, volumes: [{ name: 'host-etc', hostPath: { path: '/etc' } }], containers: [{ ...hardened.containers[0], securityContext: { ...hardened.containers[0].securityContext, privileged: true, runAsUser: 0 } }] },
      want: 'privileged (container "nginx" must not set securityContext.privileged=true), restricted volume types (volume "host-etc" uses restricted volume type "hostPath"), runAsUser=0 (container "nginx" must not set runAsUser=0)',
    },
    {
      level: 'restricted',
      spec: { securityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] } } }, { name: 'b', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: false } }] },
      want: 'unrestricted capabilities (container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add), runAsNonRoot != true (pod and container "b" must not set securityContext.runAsNonRoot=false), seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    },
  ];
  for (const c of cases) assert.equal(evaluatePod(c.level, {}, c.spec)?.message, c.want, `${c.level} ${JSON.stringify(c.spec)}`);
});

const ns = (name: string, labels: Record<string, string>): StaticObject => ({ resource: 'namespaces', obj: { metadata: { name, labels } } });
const reader = staticReader([
  ns('locked', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
  ns('warned', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.30' }),
  ns('open', {}),
  { resource: 'pods', obj: { metadata: { name: 'old-1', namespace: 'open' }, spec: plain } },
  { resource: 'pods', obj: { metadata: { name: 'old-2', namespace: 'open' }, spec: plain } },
]);

test('pods: enforce refuses with 403, warn answers with a warning, privileged namespaces admit', async () => {
  const plugin = newPodSecurity({ reader });
  const cases = [
    { namespace: 'locked', spec: plain, err: /^pods "p" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "nginx"/, warnings: 0 },
    { namespace: 'locked', spec: hardened, err: undefined, warnings: 0 },
    { namespace: 'warned', spec: plain, err: undefined, warnings: 1 },
    { namespace: 'warned', spec: { ...plain, hostNetwork: true }, err: /violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)$/, warnings: 1 },
    { namespace: 'open', spec: { ...plain, hostNetwork: true }, err: undefined, warnings: 0 },
  ];
  for (const c of cases) {
    const warnings: string[] = [];
    const run = plugin.validate!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: c.namespace, object: { metadata: { name: 'p' }, spec: c.spec } as never }, warnings));
    if (c.err) await assert.rejects(run, (e: { code: number; message: string }) => e.code === 403 && c.err.test(e.message));
    else await run;
    assert.equal(warnings.length, c.warnings, `${c.namespace}: ${warnings}`);
    if (c.warnings) assert.match(warnings[0], /^would violate PodSecurity "restricted:v1.30": (host namespaces \(hostNetwork=true\), )?allowPrivilegeEscalation != false/);
  }
});

test('workloads only warn; namespaces: invalid labels refused, stricter enforce warns about existing pods; exemptions', async () => {
  const plugin = newPodSecurity({ reader, config: { exemptions: { usernames: ['system:serviceaccount:kube-system:replicaset-controller'] } } });
  const warnings: string[] = [];
  const deployment = { metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: plain } } };
  await plugin.validate!(testAttributes({ group: 'apps', kind: 'Deployment', resource: 'deployments', namespace: 'locked', object: deployment as never }, warnings));
  assert.equal(warnings.length, 0, 'warn defaults to privileged');
  await plugin.validate!(testAttributes({ group: 'apps', kind: 'Deployment', resource: 'deployments', namespace: 'warned', object: deployment as never }, warnings));
  assert.match(warnings[0], /^would violate PodSecurity "restricted:v1.30": /);

  await assert.rejects(
    plugin.validate!(testAttributes({ kind: 'Namespace', resource: 'namespaces', object: { metadata: { name: 'x', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } } })),
    { code: 422, message: 'Namespace "x" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted' },
  );
  const nsWarnings: string[] = [];
  await plugin.validate!(
    testAttributes(
      { operation: 'UPDATE', kind: 'Namespace', resource: 'namespaces', object: { metadata: { name: 'open', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }, oldObject: { metadata: { name: 'open' } } },
      nsWarnings,
    ),
  );
  assert.deepEqual(nsWarnings, [
    'existing pods in namespace "open" violate the new PodSecurity enforce level "restricted:latest"',
    'old-1 (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
  ]);

  const exemptUser = { name: 'system:serviceaccount:kube-system:replicaset-controller', groups: [] };
  await plugin.validate!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'locked', object: { metadata: { name: 'p' }, spec: plain } as never, user: exemptUser }));
});

test('through the REST core: the refusal carries the warn level warning, as upstream', async () => {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: [], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newPodSecurity({ reader: registryReader(server.registries) })]);
    const ns = await server.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mixed', labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' } } },
    });
    assert.equal(ns.status, 201, ns.text);
    const res = await server.request('POST', '/api/v1/namespaces/mixed/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { ...plain, hostNetwork: true } } });
    assert.equal(res.status, 403, res.text);
    assert.match(res.headers.Warning, /^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostNetwork=true\), allowPrivilegeEscalation != false/);
  } finally {
    server.close();
  }
});
