import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONObject } from './fields.js';
import { defaultPod, defaultPodSpec } from './pod.js';

/** What `kubectl get pod -o yaml` shows of containers that set nothing the defaulter fills. */
const defaultedContainer = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
/** The PodSpec fields every pod and pod template gains. */
const defaultedSpec = {
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
  terminationGracePeriodSeconds: 30,
};

test('Pod defaults as a real cluster shows them', () => {
  const cases: Array<{ name: string; spec: JSONObject; want: JSONObject }> = [
    {
      // The body of `kubectl run nginx --image=nginx` (admission adds the service account volume,
      // tolerations and priority on top of this).
      name: 'kubectl run',
      spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
      want: {
        containers: [{ name: 'nginx', image: 'nginx', resources: {}, imagePullPolicy: 'Always', ...defaultedContainer }],
        ...defaultedSpec, enableServiceLinks: true,
      },
    },
    {
      name: 'explicit choices stay, Go zero values of plain fields do not',
      spec: {
        containers: [{
          name: 'app', image: 'app:v1', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError',
          readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 0, periodSeconds: 5 },
        }],
        restartPolicy: 'OnFailure', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, enableServiceLinks: false,
        securityContext: { runAsNonRoot: true }, schedulerName: '',
      },
      want: {
        containers: [{
          name: 'app', image: 'app:v1', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError',
          terminationMessagePath: '/dev/termination-log',
          readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        }],
        restartPolicy: 'OnFailure', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, enableServiceLinks: false,
        securityContext: { runAsNonRoot: true }, schedulerName: 'default-scheduler',
      },
    },
    {
      name: 'probes, hooks, ports and env',
      spec: {
        containers: [{
          name: 'web', image: 'nginx:1.27',
          ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'A', value: 'b' }],
          livenessProbe: { httpGet: { port: 80 } },
          startupProbe: { grpc: { port: 9090 } },
          lifecycle: { preStop: { httpGet: { port: 80, path: '/drain' } }, postStart: { exec: { command: ['true'] } } },
        }],
      },
      want: {
        containers: [{
          name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ...defaultedContainer,
          ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }, { name: 'A', value: 'b' }],
          livenessProbe: {
            httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
          },
          startupProbe: { grpc: { port: 9090, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          lifecycle: { preStop: { httpGet: { port: 80, path: '/drain', scheme: 'HTTP' } }, postStart: { exec: { command: ['true'] } } },
        }],
        ...defaultedSpec, enableServiceLinks: true,
      },
    },
    {
      name: 'requests from limits, init containers too, ephemeral ones not',
      spec: {
        initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: '100m' } } }],
        containers: [{ name: 'app', image: 'app:v1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }],
        ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', resources: { limits: { cpu: '1' } } }],
      },
      want: {
        initContainers: [{
          name: 'init', image: 'busybox', imagePullPolicy: 'Always', ...defaultedContainer,
          resources: { limits: { cpu: '100m' }, requests: { cpu: '100m' } },
        }],
        containers: [{
          name: 'app', image: 'app:v1', imagePullPolicy: 'IfNotPresent', ...defaultedContainer,
          resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
        }],
        ephemeralContainers: [{
          name: 'debug', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', ...defaultedContainer, resources: { limits: { cpu: '1' } },
        }],
        ...defaultedSpec, enableServiceLinks: true,
      },
    },
    {
      name: 'host network: host ports follow container ports',
      spec: { hostNetwork: true, containers: [{ name: 'agent', image: 'agent:v1', ports: [{ containerPort: 9100 }, { containerPort: 9101, hostPort: 19101 }] }] },
      want: {
        hostNetwork: true,
        containers: [{
          name: 'agent', image: 'agent:v1', imagePullPolicy: 'IfNotPresent', ...defaultedContainer,
          ports: [{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }, { containerPort: 9101, hostPort: 19101, protocol: 'TCP' }],
        }],
        ...defaultedSpec, enableServiceLinks: true,
      },
    },
  ];
  for (const c of cases) {
    const pod: JSONObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: c.spec };
    defaultPod(pod);
    assert.deepEqual(pod.spec, c.want, c.name);
  }
});

test('pod templates get the PodSpec defaults but not the Pod-only ones', () => {
  const spec: JSONObject = {
    hostNetwork: true,
    containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }],
  };
  defaultPodSpec(spec);
  assert.deepEqual(spec, {
    hostNetwork: true,
    containers: [{
      name: 'app', image: 'app', imagePullPolicy: 'Always', ...defaultedContainer,
      ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '1' } },
    }],
    ...defaultedSpec,
  });
});

test('volume defaults', () => {
  const cases: Array<{ name: string; volume: JSONObject; want: JSONObject }> = [
    { name: 'no source is an emptyDir', volume: { name: 'scratch' }, want: { name: 'scratch', emptyDir: {} } },
    { name: 'null sources count as none', volume: { name: 'scratch', secret: null }, want: { name: 'scratch', secret: null, emptyDir: {} } },
    { name: 'secret', volume: { name: 's', secret: { secretName: 'creds' } }, want: { name: 's', secret: { secretName: 'creds', defaultMode: 420 } } },
    {
      name: 'explicit mode stays', volume: { name: 'c', configMap: { name: 'cfg', defaultMode: 256 } },
      want: { name: 'c', configMap: { name: 'cfg', defaultMode: 256 } },
    },
    { name: 'hostPath', volume: { name: 'h', hostPath: { path: '/var/log' } }, want: { name: 'h', hostPath: { path: '/var/log', type: '' } } },
    {
      name: 'downwardAPI',
      volume: { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      want: { name: 'd', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
    },
    {
      // The shape of the service account admission's kube-api-access volume once defaulted.
      name: 'projected',
      volume: {
        name: 'kube-api-access',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      want: {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    },
    {
      name: 'ephemeral claim template',
      volume: { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
      want: { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' } } } },
    },
    {
      name: 'image volume', volume: { name: 'i', image: { reference: 'quay.io/models/llm:latest' } },
      want: { name: 'i', image: { reference: 'quay.io/models/llm:latest', pullPolicy: 'Always' } },
    },
    {
      name: 'legacy in-tree sources',
      volume: { name: 'r', rbd: { monitors: ['10.0.0.1:6789'], image: 'disk' } },
      want: { name: 'r', rbd: { monitors: ['10.0.0.1:6789'], image: 'disk', pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' } },
    },
    {
      name: 'azureDisk',
      volume: { name: 'a', azureDisk: { diskName: 'd', diskURI: 'uri' } },
      want: { name: 'a', azureDisk: { diskName: 'd', diskURI: 'uri', cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' } },
    },
  ];
  for (const c of cases) {
    const spec: JSONObject = { containers: [], volumes: [c.volume] };
    defaultPodSpec(spec);
    assert.deepEqual((spec.volumes as JSONObject[])[0], c.want, c.name);
  }
});
