// Table tests of sysctls and os-specific fields: upstream's field paths, types and messages per mistake; valid
// Linux and Windows pods give nothing.
import { runPodSpecCases } from './validation-test-table.js';

runPodSpecCases([
  {
    name: 'valid: namespaced sysctls (dotted and slashed) without host namespaces, a Linux pod, a Windows pod with its options',
    spec: {
      securityContext: {
        sysctls: [
          { name: 'net.ipv4.ip_local_port_range', value: '1024 65535' },
          { name: 'kernel/shm_rmid_forced', value: '1' },
          { name: 'net.ipv4.conf.eth0/1.forwarding', value: '1' }
        ]
      },
      os: { name: 'linux' }
    },
    want: [],
  },
  {
    name: 'valid Windows pod',
    spec: {
      os: { name: 'windows' },
      securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } },
      containers: [
        {
          name: 'c',
          image: 'mcr.microsoft.com/windows/nanoserver',
          securityContext: { windowsOptions: { hostProcess: false } }
        }
      ]
    },
    want: [],
  },
  {
    name: 'sysctl names: required, syntax, repeats',
    spec: {
      securityContext: {
        sysctls: [ { name: '' }, { name: 'Net.Bad' }, { name: 'vm.swappiness' }, { name: 'vm.swappiness' } ]
      }
    },
    want: [
      'FieldValueRequired spec.securityContext.sysctls[0].name: Required value',
      'FieldValueInvalid spec.securityContext.sysctls[1].name: Invalid value: "Net.Bad": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
      'FieldValueDuplicate spec.securityContext.sysctls[3].name: Duplicate value: "vm.swappiness"',
    ],
  },
  {
    name: 'namespaced sysctls of a namespace shared with the host',
    spec: {
      hostNetwork: true,
      hostIPC: true,
      securityContext: {
        sysctls: [
          { name: 'net.core.somaxconn' },
          { name: 'kernel.msgmax' },
          { name: 'fs/mqueue/msg_max' },
          { name: 'kernel.pid_max' }
        ]
      }
    },
    want: [
      "FieldValueInvalid spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
      "FieldValueInvalid spec.securityContext.sysctls[1].name: Invalid value: \"kernel.msgmax\": may not be specified when 'hostIPC' is true",
      "FieldValueInvalid spec.securityContext.sysctls[2].name: Invalid value: \"fs/mqueue/msg_max\": may not be specified when 'hostIPC' is true",
    ],
  },
  {
    name: 'os.name required and linux or windows',
    spec: { os: { name: '' } },
    want: [
      'FieldValueRequired spec.os.name: Required value: cannot be empty',
    ],
  },
  {
    name: 'an unknown OS',
    spec: { os: { name: 'darwin' } },
    want: [
      'FieldValueNotSupported spec.os: Unsupported value: "darwin": supported values: "linux", "windows"',
    ],
  },
  {
    name: 'Windows options in a Linux pod',
    spec: {
      os: { name: 'linux' },
      securityContext: { windowsOptions: { runAsUserName: 'u' } },
      initContainers: [
        { name: 'i', image: 'busybox', securityContext: { windowsOptions: { runAsUserName: 'u' } } }
      ]
    },
    want: [
      'FieldValueForbidden spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
      'FieldValueForbidden spec.initContainers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
    ],
  },
  {
    name: 'Linux-only fields in a Windows pod',
    spec: {
      os: { name: 'windows' },
      hostPID: true,
      shareProcessNamespace: false,
      securityContext: {
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [ { name: 'net.core.somaxconn', value: '1' } ]
      },
      containers: [
        {
          name: 'c',
          image: 'nginx',
          securityContext: { privileged: false, capabilities: { add: [ 'NET_ADMIN' ] }, runAsGroup: 1 }
        }
      ]
    },
    want: [
      'FieldValueForbidden spec.hostPID: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.securityContext.seccompProfile: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.securityContext.sysctls: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.shareProcessNamespace: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.containers[0].securityContext.capabilities: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod',
      'FieldValueForbidden spec.containers[0].securityContext.runAsGroup: Forbidden: cannot be set for a windows pod',
    ],
  },
]);
