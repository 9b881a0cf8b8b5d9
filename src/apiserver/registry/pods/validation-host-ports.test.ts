// Table tests of host port conflicts, hostNetwork ports and hostUsers: upstream's field paths, types and
// messages per mistake; valid host ports give nothing.
import { runPodSpecCases } from './validation-test-table.js';

runPodSpecCases([
  {
    name: 'valid: one host port per protocol and host IP, hostNetwork ports equal, init containers reuse a port',
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'a',
          image: 'nginx',
          ports: [
            { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
            { containerPort: 8080, hostPort: 8080, protocol: 'UDP' }
          ]
        },
        {
          name: 'b',
          image: 'nginx',
          ports: [ { containerPort: 9090, hostPort: 9090, protocol: 'TCP' } ]
        }
      ],
      initContainers: [
        {
          name: 'i',
          image: 'busybox',
          ports: [ { containerPort: 8080, hostPort: 8080, protocol: 'TCP' } ]
        }
      ]
    },
    want: [],
  },
  {
    name: 'the same protocol/hostIP/hostPort twice across containers',
    spec: {
      containers: [
        { name: 'a', image: 'nginx', ports: [ { containerPort: 80, hostPort: 8080, protocol: 'TCP' } ] },
        {
          name: 'b',
          image: 'nginx',
          ports: [
            { containerPort: 81, hostPort: 8080, protocol: 'TCP' },
            { containerPort: 82, hostPort: 9000, hostIP: '10.0.0.1', protocol: 'UDP' },
            { containerPort: 83, hostPort: 9000, hostIP: '10.0.0.1', protocol: 'UDP' }
          ]
        }
      ]
    },
    want: [
      'FieldValueDuplicate spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
      'FieldValueDuplicate spec.containers[1].ports[2].hostPort: Duplicate value: "UDP/10.0.0.1/9000"',
    ],
  },
  {
    name: 'an init container conflicting with itself is reported at index 0, as upstream',
    spec: {
      initContainers: [
        { name: 'i0', image: 'busybox' },
        {
          name: 'i1',
          image: 'busybox',
          ports: [
            { containerPort: 1, hostPort: 53, protocol: 'UDP' },
            { containerPort: 2, hostPort: 53, protocol: 'UDP' }
          ]
        }
      ]
    },
    want: [
      'FieldValueDuplicate spec.initContainers[0].ports[1].hostPort: Duplicate value: "UDP//53"',
    ],
  },
  {
    name: 'hostNetwork pod: hostPort must equal containerPort',
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'a',
          image: 'nginx',
          ports: [
            { containerPort: 80, hostPort: 8080, protocol: 'TCP' },
            { containerPort: 81, protocol: 'TCP' }
          ]
        }
      ]
    },
    want: [
      'FieldValueInvalid spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true',
      'FieldValueInvalid spec.containers[0].ports[1].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true',
    ],
  },
  {
    name: 'hostNetwork template: hostPort may be left 0, not set to another port',
    path: 'spec.template.spec',
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'a',
          image: 'nginx',
          ports: [
            { containerPort: 80, hostPort: 8080, protocol: 'TCP' },
            { containerPort: 81, protocol: 'TCP' }
          ]
        }
      ]
    },
    want: [
      'FieldValueInvalid spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true',
    ],
  },
  {
    name: 'hostUsers false excludes host namespaces',
    spec: { hostUsers: false, hostNetwork: true, hostPID: true, hostIPC: true },
    want: [
      'FieldValueForbidden spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false',
      'FieldValueForbidden spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false',
      'FieldValueForbidden spec.HostIPC: Forbidden: when `pod.Spec.HostUsers` is false',
    ],
  },
]);
