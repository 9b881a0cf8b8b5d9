// Table tests of the PodSpec checks for security contexts, DNS config and tolerations: each bad spec gives
// upstream's field path and message; good specs give nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../../apimachinery/field-error.js';
import { validatePodSpec } from './validation.js';

const base = () => ({ containers: [{ name: 'c', image: 'nginx' }] as Array<Record<string, unknown>> });
const show = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
  {
    name: 'a valid spec with all of them set',
    spec: {
      ...base(),
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['10.96.0.10', 'fd00::a'], searches: ['.', 'svc.cluster.local.', 'example.com'], options: [{ name: 'ndots', value: '2' }] },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { operator: 'Exists' }, { key: 'gpu', value: 'true', effect: 'NoSchedule' }],
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000], seccompProfile: { type: 'RuntimeDefault' } },
    },
    want: [],
  },
  { name: 'dnsPolicy None without dnsConfig', spec: { ...base(), dnsPolicy: 'None' }, want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'] },
  {
    name: 'dnsPolicy None without nameservers',
    spec: { ...base(), dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } },
    want: ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'],
  },
  {
    name: 'too many nameservers, a bad one, a bad search, an unnamed option',
    spec: { ...base(), dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns.local'], searches: ['Bad_Domain'], options: [{ value: '1' }] } },
    want: [
      'spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","dns.local"]: must not have more than 3 nameservers',
      'spec.dnsConfig.nameservers[3]: Invalid value: "dns.local": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "spec.dnsConfig.searches[0]: Invalid value: \"Bad_Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      'spec.dnsConfig.options[0]: Required value: Option.Name must not be empty',
    ],
  },
  {
    name: 'tolerations: empty key needs Exists, seconds need NoExecute, Exists takes no value, unknown operator and effect',
    spec: {
      ...base(),
      tolerations: [
        { operator: 'Equal', value: 'x' },
        { key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 10 },
        { key: 'b', operator: 'Exists', value: 'v' },
        { key: 'c', operator: 'Gt', value: '1' },
        { key: 'd', effect: 'Sometimes' },
      ],
    },
    want: [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      'spec.tolerations[2].operator: Invalid value: {"key":"b","operator":"Exists","value":"v"}: value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[3].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"',
      'spec.tolerations[4].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  },
  {
    name: 'pod security context: IDs out of range, shareProcessNamespace with hostPID, Localhost seccomp without a profile',
    spec: { ...base(), hostPID: true, securityContext: { runAsUser: -1, fsGroup: 2147483648, supplementalGroups: [1, -5], shareProcessNamespace: true, seccompProfile: { type: 'Localhost' } } },
    want: [
      'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.supplementalGroups[1]: Invalid value: -5: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
      'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
    ],
  },
  {
    name: 'container security context: privilege escalation off with privileged and CAP_SYS_ADMIN, a profile on RuntimeDefault, Unmasked with host users',
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: true,
            capabilities: { add: ['CAP_SYS_ADMIN'] },
            appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' },
            procMount: 'Unmasked',
          },
        },
      ],
    },
    want: [
      'spec.containers[0].securityContext.procMount: Forbidden: `hostUsers` must be false to use `Unmasked`',
      'spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: {"type":"RuntimeDefault","localhostProfile":"x"}: can only be set when AppArmor type is Localhost',
      'spec.containers[0].securityContext: Invalid value: {"allowPrivilegeEscalation":false,"privileged":true,"capabilities":{"add":["CAP_SYS_ADMIN"]},"appArmorProfile":{"type":"RuntimeDefault","localhostProfile":"x"},"procMount":"Unmasked"}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
      'spec.containers[0].securityContext: Invalid value: {"allowPrivilegeEscalation":false,"privileged":true,"capabilities":{"add":["CAP_SYS_ADMIN"]},"appArmorProfile":{"type":"RuntimeDefault","localhostProfile":"x"},"procMount":"Unmasked"}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    ],
  },
];

for (const tc of cases) {
  test(`pod spec: ${tc.name}`, () => assert.deepEqual(show(validatePodSpec(tc.spec, 'spec')), tc.want));
}
