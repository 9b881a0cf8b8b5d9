import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateBuiltinSchema } from './schema-validation.js';

type Case = { name: string; obj: Record<string, unknown>; want: string[] };

const meta = { name: 'x', namespace: 'default' };
const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
const selector = { matchLabels: { app: 'web' } };

/** Renders errors as upstream's message parts, type first, so the whole list is compared (in schema field order). */
const render = (obj: Record<string, unknown>): string[] => validateBuiltinSchema(obj).map((e) => `${e.type} ${e.field}: ${e.detail}`);

test('valid objects of the kinds users write most have no schema errors', () => {
  const cases: Case[] = [
    { name: 'Pod', obj: { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec }, want: [] },
    { name: 'PodTemplate', obj: { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta, template }, want: [] },
    { name: 'Deployment', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { selector, template, strategy: { type: 'Recreate' } } }, want: [] },
    { name: 'ReplicaSet', obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta, spec: { selector, template } }, want: [] },
    { name: 'StatefulSet', obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { selector, template, podManagementPolicy: 'Parallel' } }, want: [] },
    { name: 'DaemonSet', obj: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta, spec: { selector, template } }, want: [] },
    { name: 'Job', obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { template } }, want: [] },
    { name: 'CronJob', obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } }, want: [] },
    { name: 'Service', obj: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] } }, want: [] },
    { name: 'ConfigMap', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' } }, want: [] },
    { name: 'Secret', obj: { apiVersion: 'v1', kind: 'Secret', metadata: meta, data: { a: 'Yg==' } }, want: [] },
    { name: 'Namespace', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, want: [] },
    { name: 'ServiceAccount', obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }, want: [] },
    {
      name: 'Ingress',
      obj: {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta,
        spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
      },
      want: [],
    },
    { name: 'NetworkPolicy', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: {}, policyTypes: ['Ingress'] } }, want: [] },
    { name: 'PVC', obj: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, want: [] },
    { name: 'PV', obj: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: { path: '/tmp' }, persistentVolumeReclaimPolicy: 'Retain' } }, want: [] },
    { name: 'StorageClass', obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'example.com/p' }, want: [] },
    { name: 'ClusterRole', obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ verbs: ['get'], resources: ['pods'], apiGroups: [''] }] }, want: [] },
    {
      name: 'RoleBinding',
      obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] },
      want: [],
    },
    { name: 'HPA', obj: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } }, want: [] },
    { name: 'PDB', obj: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec: { minAvailable: 1, selector } }, want: [] },
    { name: 'PriorityClass', obj: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 10 }, want: [] },
    { name: 'Lease', obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta, spec: { holderIdentity: 'a' } }, want: [] },
    { name: 'Node', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, want: [] },
    { name: 'custom resource (no schema table)', obj: { apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: 1 } }, want: [] },
  ];
  for (const c of cases) assert.deepEqual(render(c.obj), c.want, c.name);
});

test('required fields and enums are reported with upstream paths and messages', () => {
  const cases: Case[] = [
    {
      name: 'Deployment: missing selector and template, bad strategy type',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { strategy: { type: 'Foo' } } },
      want: [
        'FieldValueRequired spec.selector: Required value',
        'FieldValueNotSupported spec.strategy.type: Unsupported value: "Foo": supported values: "Recreate", "RollingUpdate"',
        'FieldValueRequired spec.template.spec.containers: Required value',
      ],
    },
    {
      name: 'Deployment without spec: the zero spec is validated',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta },
      want: ['FieldValueRequired spec.selector: Required value', 'FieldValueRequired spec.template.spec.containers: Required value'],
    },
    {
      name: 'PodTemplate and ReplicaSet templates are value structs too',
      obj: { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta },
      want: ['FieldValueRequired template.spec.containers: Required value'],
    },
    {
      name: 'ReplicaSet without template',
      obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta, spec: { selector } },
      want: ['FieldValueRequired spec.template.spec.containers: Required value'],
    },
    {
      name: 'Pod: container name, port protocol, restart and DNS policy in upstream order',
      obj: {
        apiVersion: 'v1', kind: 'Pod', metadata: meta,
        spec: { containers: [{ image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }], restartPolicy: 'Sometimes', dnsPolicy: 'Google' },
      },
      want: [
        'FieldValueRequired spec.containers[0].name: Required value',
        'FieldValueNotSupported spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'FieldValueNotSupported spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
        'FieldValueNotSupported spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    },
    {
      name: 'Pod: env, volume mount and key-to-path required fields',
      obj: {
        apiVersion: 'v1', kind: 'Pod', metadata: meta,
        spec: {
          containers: [{ name: 'c', image: 'x', env: [{ value: 'v' }], volumeMounts: [{ name: 'v' }] }],
          volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'k' }] } }],
        },
      },
      want: [
        'FieldValueRequired spec.containers[0].env[0].name: Required value',
        'FieldValueRequired spec.containers[0].volumeMounts[0].mountPath: Required value',
        'FieldValueRequired spec.volumes[0].configMap.items[0].path: Required value',
      ],
    },
    {
      name: 'Pod: toleration and taint-like effects use upstream order; selector operator is Invalid',
      obj: {
        apiVersion: 'v1', kind: 'Pod', metadata: meta,
        spec: {
          containers: [{ name: 'c', image: 'x' }],
          tolerations: [{ key: 'k', operator: 'Maybe', effect: 'Never' }],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Near' }] }] } } },
        },
      },
      want: [
        'FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'FieldValueNotSupported spec.tolerations[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'FieldValueNotSupported spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      ],
    },
    {
      name: 'Pod: an empty node selector needs a term',
      obj: {
        apiVersion: 'v1', kind: 'Pod', metadata: meta,
        spec: { containers: [{ name: 'c', image: 'x' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
      },
      want: ['FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    },
    {
      name: 'StatefulSet and DaemonSet update strategies list RollingUpdate first',
      obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { selector, template, updateStrategy: { type: 'Never' }, podManagementPolicy: 'Random' } },
      want: [
        'FieldValueNotSupported spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
        'FieldValueNotSupported spec.updateStrategy.type: Unsupported value: "Never": supported values: "RollingUpdate", "OnDelete"',
      ],
    },
    {
      name: 'Job: completion mode and template',
      obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { completionMode: 'Sometimes' } },
      want: [
        'FieldValueNotSupported spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
        'FieldValueRequired spec.template.spec.containers: Required value',
      ],
    },
    {
      name: 'CronJob: schedule, concurrency policy and the job template',
      obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta, spec: { concurrencyPolicy: 'Sometimes' } },
      want: [
        'FieldValueNotSupported spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
        'FieldValueRequired spec.jobTemplate.spec.template.spec.containers: Required value',
        'FieldValueRequired spec.schedule: Required value',
      ],
    },
    {
      name: 'Service: type, session affinity, traffic policy, port protocol',
      obj: {
        apiVersion: 'v1', kind: 'Service', metadata: meta,
        spec: { type: 'Public', sessionAffinity: 'Sticky', externalTrafficPolicy: 'Everywhere', ports: [{ port: 80, protocol: 'ICMP' }] },
      },
      want: [
        'FieldValueNotSupported spec.externalTrafficPolicy: Unsupported value: "Everywhere": supported values: "Cluster", "Local"',
        'FieldValueNotSupported spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        'FieldValueNotSupported spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
        'FieldValueNotSupported spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    },
    {
      name: 'Ingress: path type and backend service name',
      obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { port: { number: 80 } } } }] } }] } },
      want: [
        'FieldValueRequired spec.rules[0].http.paths[0].backend.service.name: Required value',
        'FieldValueRequired spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
      ],
    },
    {
      name: 'NetworkPolicy: policy types and ipBlock cidr',
      obj: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: {}, policyTypes: ['Sideways'], ingress: [{ from: [{ ipBlock: {} }] }] } },
      want: [
        'FieldValueRequired spec.ingress[0].from[0].ipBlock.cidr: Required value',
        'FieldValueNotSupported spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Egress", "Ingress"',
      ],
    },
    {
      name: 'PV reclaim policy',
      obj: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { persistentVolumeReclaimPolicy: 'Keep', nfs: { path: '/' } } },
      want: [
        'FieldValueRequired spec.nfs.server: Required value',
        'FieldValueNotSupported spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
      ],
    },
    { name: 'StorageClass provisioner', obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' } }, want: ['FieldValueRequired provisioner: Required value'] },
    {
      name: 'ClusterRole rule without verbs',
      obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ resources: ['pods'], apiGroups: [''] }] },
      want: ['FieldValueRequired rules[0].verbs: Required value: verbs must contain at least one value'],
    },
    {
      name: 'RoleBinding: roleRef name required, kinds left to the RBAC checks',
      obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta, roleRef: {}, subjects: [{}] },
      want: ['FieldValueRequired roleRef.name: Required value', 'FieldValueRequired subjects[0].name: Required value'],
    },
    {
      name: 'HPA without spec: the zero scale target is validated, maxReplicas left to the range check',
      obj: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta },
      want: ['FieldValueRequired spec.scaleTargetRef.kind: Required value', 'FieldValueRequired spec.scaleTargetRef.name: Required value'],
    },
    {
      name: 'Node taint effect',
      obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k' }, { key: 'k', effect: 'Evict' }] } },
      want: [
        'FieldValueRequired spec.taints[0].effect: Required value',
        'FieldValueNotSupported spec.taints[1].effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    },
    {
      name: 'status and metadata are not walked',
      obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [{}] }, spec: podSpec, status: { phase: 'Dancing', conditions: [{}] } },
      want: [],
    },
  ];
  for (const c of cases) assert.deepEqual(render(c.obj), c.want, c.name);
});
