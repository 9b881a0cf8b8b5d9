// Table tests of sidecar (init container restartPolicy) rules, resizePolicy, gates, names, host aliases,
// overhead, preemptionPolicy and image whitespace: upstream's field paths, types and messages; a valid spec gives
// nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePodSpecUpdate } from './validation.js';
import { runPodSpecCases, showCauses } from './validation-test-table.js';

runPodSpecCases([
  {
    name: 'valid: a sidecar with probes and hooks, resize policies, gates, names, host aliases, overhead, preemptionPolicy',
    spec: {
      restartPolicy: 'Always',
      initContainers: [
        {
          name: 'proxy',
          image: 'envoy',
          restartPolicy: 'Always',
          readinessProbe: { tcpSocket: { port: 15000 } },
          lifecycle: {
            preStop: { exec: { command: [ 'sleep', '5' ] } }
          }
        },
        { name: 'init', image: 'busybox' }
      ],
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resizePolicy: [
            { resourceName: 'cpu', restartPolicy: 'NotRequired' },
            { resourceName: 'memory', restartPolicy: 'RestartContainer' }
          ]
        }
      ],
      readinessGates: [ { conditionType: 'example.com/feature-1' } ],
      schedulingGates: [ { name: 'example.com/quota' } ],
      hostname: 'web-0',
      subdomain: 'web',
      serviceAccountName: 'builder',
      nodeName: 'node-1.example',
      priorityClassName: 'high-priority',
      runtimeClassName: 'gvisor',
      hostAliases: [ { ip: '10.1.2.3', hostnames: [ 'foo.local', 'bar' ] } ],
      overhead: { cpu: '250m', memory: '120Mi' },
      preemptionPolicy: 'Never'
    },
    want: [],
  },
  {
    name: 'restartPolicy only Always and only on init containers; regular init containers have no probes or hooks',
    spec: {
      containers: [ { name: 'c', image: 'nginx', restartPolicy: 'Always' } ],
      initContainers: [
        {
          name: 'i',
          image: 'busybox',
          restartPolicy: 'OnFailure',
          livenessProbe: { exec: { command: [ 'true' ] } },
          lifecycle: {
            postStart: { exec: { command: [ 'true' ] } }
          }
        },
        {
          name: 's',
          image: 'envoy',
          restartPolicy: 'Always',
          startupProbe: { tcpSocket: { port: 1 }, successThreshold: 2 }
        }
      ],
      ephemeralContainers: [ { name: 'e', image: 'busybox', restartPolicy: 'Always' } ]
    },
    want: [
      'FieldValueForbidden spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'FieldValueNotSupported spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'FieldValueForbidden spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
      'FieldValueForbidden spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      'FieldValueInvalid spec.initContainers[1].startupProbe.successThreshold: Invalid value: 2: must be 1',
      'FieldValueForbidden spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
    ],
  },
  {
    name: 'resizePolicy: resources, policies, repeats, Never pods',
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resizePolicy: [
            { resourceName: 'cpu', restartPolicy: 'RestartContainer' },
            { resourceName: 'cpu', restartPolicy: 'NotRequired' },
            { resourceName: 'storage', restartPolicy: 'Sometimes' },
            { resourceName: '', restartPolicy: '' }
          ]
        }
      ]
    },
    want: [
      "FieldValueInvalid spec.containers[0].resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is 'Never'",
      'FieldValueDuplicate spec.containers[0].resizePolicy[1]: Duplicate value: "cpu"',
      'FieldValueNotSupported spec.containers[0].resizePolicy: Unsupported value: "storage": supported values: "cpu", "memory"',
      'FieldValueNotSupported spec.containers[0].resizePolicy: Unsupported value: "Sometimes": supported values: "NotRequired", "RestartContainer"',
      "FieldValueInvalid spec.containers[0].resizePolicy: Invalid value: \"Sometimes\": must be 'NotRequired' when `restartPolicy` is 'Never'",
      'FieldValueRequired spec.containers[0].resizePolicy: Required value',
      'FieldValueRequired spec.containers[0].resizePolicy: Required value',
      "FieldValueInvalid spec.containers[0].resizePolicy: Invalid value: \"\": must be 'NotRequired' when `restartPolicy` is 'Never'",
    ],
  },
  {
    name: 'readiness gate condition types and scheduling gate names are qualified names, gates unique',
    spec: {
      readinessGates: [ { conditionType: 'bad type' } ],
      schedulingGates: [ { name: 'a/b/c' }, { name: 'gate' }, { name: 'gate' } ]
    },
    want: [
      "FieldValueInvalid spec.readinessGates[0].conditionType: Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "FieldValueInvalid spec.schedulingGates[0]: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      'FieldValueDuplicate spec.schedulingGates[2]: Duplicate value: "gate"',
    ],
  },
  {
    name: 'names of referred objects, hostname and subdomain, host aliases, overhead, preemptionPolicy',
    spec: {
      hostname: 'Web_0',
      subdomain: 'a.b',
      serviceAccountName: 'Builder',
      nodeName: 'node_1',
      priorityClassName: '-high',
      runtimeClassName: '',
      hostAliases: [ { ip: 'foo', hostnames: [ 'Bad_Host' ] } ],
      overhead: { cpu: '-1' },
      preemptionPolicy: 'Sometimes'
    },
    want: [
      "FieldValueInvalid spec.serviceAccountName: Invalid value: \"Builder\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "FieldValueInvalid spec.nodeName: Invalid value: \"node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "FieldValueInvalid spec.priorityClassName: Invalid value: \"-high\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "FieldValueInvalid spec.hostname: Invalid value: \"Web_0\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'FieldValueInvalid spec.subdomain: Invalid value: "a.b": must not contain dots',
      'FieldValueInvalid spec.hostAliases[0].ip: Invalid value: "foo": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "FieldValueInvalid spec.hostAliases[0].hostnames[0]: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "FieldValueInvalid spec.runtimeClassName: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      'FieldValueNotSupported spec.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
      'FieldValueInvalid spec.overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ],
  },
  {
    name: "a Pod's images may not have surrounding whitespace",
    spec: {
      containers: [ { name: 'a', image: 'nginx ' }, { name: 'b', image: ' ' } ],
      initContainers: [ { name: 'i', image: ' busybox' } ]
    },
    want: [
      'FieldValueInvalid spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace',
      'FieldValueInvalid spec.containers[1].image: Invalid value: " ": must not have leading or trailing whitespace',
      'FieldValueInvalid spec.initContainers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
    ],
  },
  {
    name: 'a template may keep spaces around an image, not a blank one',
    path: 'spec.template.spec',
    spec: { containers: [ { name: 'a', image: 'nginx ' }, { name: 'b', image: ' ' } ] },
    want: [
      'FieldValueRequired spec.template.spec.containers[1].image: Required value',
    ],
  },
]);

test('scheduling gates may only be removed on update', () => {
  const old = { containers: [{ name: 'c', image: 'nginx' }], schedulingGates: [{ name: 'a' }, { name: 'b' }] };
  assert.deepEqual(showCauses(validatePodSpecUpdate({ ...old, schedulingGates: [{ name: 'b' }] }, old)), []);
  assert.deepEqual(showCauses(validatePodSpecUpdate({ ...old, schedulingGates: [{ name: 'a' }, { name: 'c' }] }, old)), [
    "FieldValueForbidden spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'c'",
  ]);
});
