import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strategyFor } from './strategies.js';
import type { APIObject, StrategyContext } from './strategy.js';
import { mergeFieldErrors } from './validation.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };
const meta = { name: 'web', namespace: 'default' };
const labels = { app: 'web' };

const clone = <T>(v: T): T => structuredClone(v);

/** The whole error list of a create through the resource's full strategy (prepare, then validate). */
function createErrors(gr: [string, string], obj: APIObject): string[] {
  const s = strategyFor(...gr)!;
  const o = clone(obj);
  s.prepareForCreate?.(o, ctx);
  return s.validate!(o, ctx).map((e) => `${e.field}: ${e.detail}`);
}

/** The whole error list of an update from `old` (as stored after create) to `mutate(old)`. */
function updateErrors(gr: [string, string], old: APIObject, mutate: (o: any) => void): string[] {
  const s = strategyFor(...gr)!;
  const stored = clone(old);
  s.prepareForCreate?.(stored, ctx);
  const next = clone(stored);
  mutate(next);
  s.prepareForUpdate?.(next, stored, ctx);
  return s.validateUpdate!(next, stored, ctx).map((e) => `${e.field}: ${e.detail}`);
}

const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx', ...extra });
const pod = (spec: Record<string, unknown>): APIObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec });
const deployment = (spec: Record<string, unknown>): APIObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta,
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } }, ...spec },
});

test('mergeFieldErrors keeps the first of repeated errors', () => {
  const a = { type: 'FieldValueRequired' as const, field: 'spec.x', detail: 'Required value' };
  const b = { type: 'FieldValueInvalid' as const, field: 'spec.x', detail: 'Invalid value: 1: no' };
  assert.deepEqual(mergeFieldErrors([a], [a, b], [b]), [a, b]);
});

test('pods: the semantic checks users hit', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    {
      name: 'the task\'s example: a container without image',
      spec: { containers: [{ name: 'c' }] },
      want: ['spec.containers[0].image: Required value'],
    },
    {
      name: 'names unique across containers, init and ephemeral containers',
      spec: {
        containers: [container()],
        initContainers: [container()],
        ephemeralContainers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }],
      },
      want: [
        'spec.initContainers[0].name: Duplicate value: "c"',
        'spec.ephemeralContainers[0].name: Duplicate value: "c"',
        'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      ],
    },
    {
      name: 'volumes: DNS labels, unique; mounts must name one and have unique paths',
      spec: {
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'Bad_Name', emptyDir: {} }],
        containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'missing', mountPath: '/d' }, { name: 'data', mountPath: '/e', subPath: '../x' }] })],
      },
      want: [
        'spec.volumes[1].name: Duplicate value: "data"',
        `spec.volumes[2].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
        "spec.containers[0].volumeMounts[2].subPath: Invalid value: \"../x\": must not contain '..'",
      ],
    },
    {
      name: 'env names and valueFrom sources',
      spec: {
        containers: [
          container({
            env: [
              { name: 'A=B', value: 'x' },
              { name: 'FROM_BOTH', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'FROM_NOTHING', valueFrom: {} },
              { name: 'VALUE_AND_FROM', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          }),
        ],
      },
      want: [
        `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
        'spec.containers[0].env[1].valueFrom: Invalid value: "": may not have more than one field specified at a time',
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'spec.containers[0].env[3].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      ],
    },
    {
      name: 'resource requests may not exceed limits, quantities not negative',
      spec: { containers: [container({ resources: { requests: { cpu: '2', memory: '-1Mi' }, limits: { cpu: '500m' } } })] },
      want: [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
        'spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'
      ],
    },
    {
      name: 'probes: exactly one handler, liveness succeeds once; hooks need a handler',
      spec: {
        containers: [
          container({
            livenessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 }, successThreshold: 2 },
            readinessProbe: { periodSeconds: -1 },
            startupProbe: { tcpSocket: { port: 'HTTP_PORT' } },
            lifecycle: { preStop: {}, postStart: { httpGet: { port: 0 } } },
          }),
        ],
      },
      want: [
        'spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
        'spec.containers[0].readinessProbe: Required value: must specify a handler type',
        'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "HTTP_PORT": must contain at least one letter (a-z)',
        'spec.containers[0].lifecycle.postStart.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.containers[0].lifecycle.preStop: Required value: must specify a handler type',
      ],
    },
    {
      name: 'ports: range, protocol enum, duplicate names',
      spec: { containers: [container({ ports: [{ name: 'http', containerPort: 0 }, { name: 'http', containerPort: 70000, protocol: 'ICMP' }] })] },
      want: [
        'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[0].containerPort: Required value',
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
        'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    },
  ];
  for (const c of cases) assert.deepEqual(createErrors(['', 'pods'], pod(c.spec)), c.want, c.name);
});

test('pod templates: the template checked as a pod', () => {
  const obj: APIObject = {
    apiVersion: 'v1', kind: 'PodTemplate', metadata: meta,
    template: { metadata: { labels: { 'a/b/c': 'x' } }, spec: { containers: [{ name: 'c' }, container()] } },
  };
  assert.deepEqual(createErrors(['', 'podtemplates'], obj), [
    `template.metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    'template.spec.containers[0].image: Required value',
    'template.spec.containers[1].name: Duplicate value: "c"',
  ]);
});

test('apps and batch workloads: spec checks on create', () => {
  const cases: Array<{ name: string; gr: [string, string]; obj: APIObject; want: string[] }> = [
    {
      name: 'deployment: template restart policy must be Always; rolling update bounds',
      gr: ['apps', 'deployments'],
      obj: deployment({
        replicas: -1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } },
        template: { metadata: { labels }, spec: { containers: [container()], restartPolicy: 'Never', activeDeadlineSeconds: 5 } },
      }),
      want: [
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      ],
    },
    {
      name: 'deployment: Recreate with rollingUpdate, percent syntax, progress deadline',
      gr: ['apps', 'deployments'],
      obj: deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }, minReadySeconds: 700, progressDeadlineSeconds: 600 }),
      want: [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
        'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
      ],
    },
    {
      name: 'deployment: selector must match the template labels',
      gr: ['apps', 'deployments'],
      obj: deployment({ selector: { matchLabels: { app: 'other' } } }),
      want: ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'deployment: selector syntax, template label and annotation keys',
      gr: ['apps', 'deployments'],
      obj: deployment({
        selector: { matchLabels: labels, matchExpressions: [{ key: 'tier', operator: 'Near', values: ['a'] }] },
        template: { metadata: { labels: { ...labels, 'bad key!': 'x' }, annotations: { '/x': 'y' } }, spec: { containers: [container()], nodeSelector: { disk: 'fast ssd' } } },
      }),
      want: [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        `spec.template.metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        'spec.template.metadata.annotations: Invalid value: "/x": prefix part must be non-empty',
        `spec.template.spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    },
    {
      name: 'daemonset: exactly one of maxSurge and maxUnavailable',
      gr: ['apps', 'daemonsets'],
      obj: { ...deployment({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%', maxSurge: 1 } } }), kind: 'DaemonSet' },
      want: [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
      ],
    },
    {
      name: 'job: counts not negative, restart policy OnFailure or Never',
      gr: ['batch', 'jobs'],
      obj: {
        apiVersion: 'batch/v1', kind: 'Job', metadata: { ...meta, uid: 'u1' },
        spec: { parallelism: -1, completions: -2, backoffLimit: -3, template: { spec: { containers: [container()], restartPolicy: 'Always' } } },
      },
      want: [
        'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
        'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
        'spec.completions: Invalid value: -2: must be greater than or equal to 0',
        'spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0',
      ],
    },
    {
      name: 'cronjob: schedule syntax and time zone',
      gr: ['batch', 'cronjobs'],
      obj: {
        apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta,
        spec: { schedule: '61 * * * *', timeZone: 'Mars/Olympus', jobTemplate: { spec: { template: { spec: { containers: [container()], restartPolicy: 'OnFailure' } } } } },
      },
      want: [
        'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      ],
    },
    {
      name: 'cronjob: name length and a job selector',
      gr: ['batch', 'cronjobs'],
      obj: {
        apiVersion: 'batch/v1', kind: 'CronJob', metadata: { ...meta, name: 'n'.repeat(53) },
        spec: { schedule: '@daily', jobTemplate: { spec: { selector: { matchLabels: labels }, template: { spec: { containers: [container()], restartPolicy: 'Never' } } } } },
      },
      want: [
        `metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`,
        'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: `selector` will be auto-generated',
      ],
    },
    {
      name: 'cronjob: TZ in the schedule',
      gr: ['batch', 'cronjobs'],
      obj: {
        apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta,
        spec: { schedule: 'TZ=UTC 0 * * * *', jobTemplate: { spec: { template: { spec: { containers: [container()], restartPolicy: 'OnFailure' } } } } },
      },
      want: ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    },
  ];
  for (const c of cases) assert.deepEqual(createErrors(c.gr, c.obj), c.want, c.name);
});

test('other kinds: RBAC, StorageClass, PriorityClass, NetworkPolicy', () => {
  const rbac = 'rbac.authorization.k8s.io';
  const cases: Array<{ name: string; gr: [string, string]; obj: APIObject; want: string[] }> = [
    {
      name: 'role rules: resources or non-resource URLs',
      gr: [rbac, 'roles'],
      obj: { apiVersion: `${rbac}/v1`, kind: 'Role', metadata: meta, rules: [{ verbs: ['get'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
      want: [
        'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
        'rules[0].resources: Required value: resource rules must supply at least one resource',
        'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
      ],
    },
    {
      name: 'role binding: roleRef group and kind, subjects',
      gr: [rbac, 'rolebindings'],
      obj: {
        apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta,
        roleRef: { apiGroup: 'example.com', kind: 'Policy', name: 'r' },
        subjects: [
          { kind: 'Robot', name: 'r2' },
          { kind: 'User', name: 'u', apiGroup: 'x' },
          { kind: 'ServiceAccount', name: 'sa', apiGroup: 'v1' },
          { kind: 'Group', name: '', apiGroup: 'rbac.authorization.k8s.io' },
        ],
      },
      want: [
        'subjects[3].name: Required value',
        'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
        'roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"',
        'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        'subjects[1].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
        'subjects[2].apiGroup: Unsupported value: "v1": supported values: ""',
        'subjects[3].name: Invalid value: "": group name cannot be empty',
      ],
    },
    {
      name: 'cluster role binding: ClusterRole only, service accounts need a namespace',
      gr: [rbac, 'clusterrolebindings'],
      obj: {
        apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'b' },
        roleRef: { apiGroup: rbac, kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
      },
      want: ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value'],
    },
    {
      name: 'persistent volume: access modes, capacity, one source',
      gr: ['', 'persistentvolumes'],
      obj: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { accessModes: ['ReadMostly'], hostPath: { path: '/a' }, nfs: { server: 's', path: '/' } } },
      want: [
        'spec.accessModes: Unsupported value: "ReadMostly": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.capacity: Required value',
        'spec.nfs: Forbidden: may not specify more than 1 volume type',
      ],
    },
    {
      name: 'persistent volume without a source',
      gr: ['', 'persistentvolumes'],
      obj: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } },
      want: ['spec: Required value: must specify a volume type'],
    },
    {
      name: 'storage class',
      gr: ['storage.k8s.io', 'storageclasses'],
      obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'a/b/c', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' },
      want: [
        `provisioner: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      ],
    },
    {
      name: 'priority class: system prefix and user maximum',
      gr: ['scheduling.k8s.io', 'priorityclasses'],
      obj: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-mine' }, value: 5 },
      want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"],
    },
    {
      name: 'priority class: above one billion',
      gr: ['scheduling.k8s.io', 'priorityclasses'],
      obj: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'huge' }, value: 1_000_000_001 },
      want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    },
    {
      name: 'network policy: ports and peers',
      gr: ['networking.k8s.io', 'networkpolicies'],
      obj: {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta,
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 70000 }, { port: 'http', endPort: 90 }], from: [{}, { podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      },
      want: [
        'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.ingress[0].ports[1].endPort: Forbidden: may not be specified when `port` is non-numeric',
        'spec.ingress[0].from[0]: Required value: must specify a peer',
        'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
        'spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    },
  ];
  for (const c of cases) assert.deepEqual(createErrors(c.gr, c.obj), c.want, c.name);
});

test('immutable fields on update', () => {
  const rbac = 'rbac.authorization.k8s.io';
  const pvc: APIObject = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta,
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
  };
  const cases: Array<{ name: string; gr: [string, string]; old: APIObject; mutate: (o: any) => void; want: string[] }> = [
    { name: 'deployment selector', gr: ['apps', 'deployments'], old: deployment({}), mutate: (o) => (o.spec.selector = { matchLabels: { app: 'web', tier: 'x' } }), want: [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
    ] },
    { name: 'deployment image may change', gr: ['apps', 'deployments'], old: deployment({}), mutate: (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'), want: [] },
    {
      name: 'storage class parameters and provisioner',
      gr: ['storage.k8s.io', 'storageclasses'],
      old: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'example.com/p', parameters: { a: '1' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
      mutate: (o) => {
        o.parameters = { a: '2' };
        o.provisioner = 'example.com/q';
      },
      want: ['parameters: Forbidden: updates to parameters are forbidden.', 'provisioner: Forbidden: updates to provisioner are forbidden.'],
    },
    {
      name: 'role binding roleRef',
      gr: [rbac, 'rolebindings'],
      old: { apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta, roleRef: { apiGroup: rbac, kind: 'Role', name: 'a' } },
      mutate: (o) => (o.roleRef.name = 'b'),
      want: ['roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"b"}: cannot change roleRef'],
    },
    {
      name: 'priority class value',
      gr: ['scheduling.k8s.io', 'priorityclasses'],
      old: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 1 },
      mutate: (o) => (o.value = 2),
      want: ['value: Forbidden: may not be changed in an update.'],
    },
    {
      name: 'configmap data once immutable',
      gr: ['', 'configmaps'],
      old: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: '1' }, immutable: true },
      mutate: (o) => (o.data.a = '2'),
      want: ['data: Forbidden: field is immutable when `immutable` is set'],
    },
    {
      name: 'pvc: only storage requests may change',
      gr: ['', 'persistentvolumeclaims'],
      old: pvc,
      mutate: (o) => (o.spec.accessModes = ['ReadWriteMany']),
      want: ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'],
    },
    {
      name: 'service clusterIP',
      gr: ['', 'services'],
      old: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { type: 'ClusterIP', clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.10'], ports: [{ port: 80, protocol: 'TCP' }] } },
      mutate: (o) => {
        o.spec.clusterIP = '10.0.0.11';
        o.spec.clusterIPs = ['10.0.0.11'];
      },
      want: ['spec.clusterIPs[0]: Invalid value: ["10.0.0.11"]: may not change once set'],
    },
  ];
  for (const c of cases) assert.deepEqual(updateErrors(c.gr, c.old, c.mutate), c.want, c.name);
});
