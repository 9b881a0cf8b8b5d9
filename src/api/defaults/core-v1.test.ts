import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPodTemplate,
  defaultReplicationController, defaultSecret, defaultService,
} from './core-v1.js';
import type { Defaulter, JSONObject } from './fields.js';
import { defaultPersistentVolumeClaim } from './volumes.js';

function kubectlBody(name: string): JSONObject {
  return JSON.parse(readFileSync(new URL(`../testdata/protobuf/${name}.kubectl.json`, import.meta.url), 'utf8')) as JSONObject;
}

test('Service defaults as a real cluster shows them', () => {
  const cases: Array<{ name: string; obj: JSONObject; wantSpec: JSONObject; wantStatus?: JSONObject }> = [
    {
      name: 'kubectl create service clusterip web --tcp=80:8080 --tcp=443',
      obj: kubectlBody('service'),
      wantSpec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }, { name: '443', protocol: 'TCP', port: 443, targetPort: 443 }],
        selector: { app: 'web' }, type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
      },
      wantStatus: { loadBalancer: {} },
    },
    {
      name: 'a manifest without type or target ports',
      obj: { spec: { selector: { app: 'db' }, ports: [{ port: 5432 }, { port: 8080, targetPort: 'http' }, { port: 9090, targetPort: 0 }, { port: 9091, targetPort: '' }] } },
      wantSpec: {
        selector: { app: 'db' }, type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
        ports: [
          { port: 5432, protocol: 'TCP', targetPort: 5432 }, { port: 8080, protocol: 'TCP', targetPort: 'http' },
          { port: 9090, protocol: 'TCP', targetPort: 9090 }, { port: 9091, protocol: 'TCP', targetPort: 9091 },
        ],
      },
    },
    {
      name: 'NodePort',
      obj: { spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'UDP' }] } },
      wantSpec: {
        type: 'NodePort', ports: [{ port: 80, protocol: 'UDP', targetPort: 80 }], sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster',
      },
    },
    {
      name: 'LoadBalancer with a status',
      obj: {
        spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 443 }] },
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }, { ip: '192.0.2.11', ipMode: 'Proxy' }] } },
      },
      wantSpec: {
        type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
        sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true,
      },
      wantStatus: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }, { ip: '192.0.2.11', ipMode: 'Proxy' }] } },
    },
    {
      name: 'ExternalName gets no traffic policies',
      obj: { spec: { type: 'ExternalName', externalName: 'db.example.com' } },
      wantSpec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' },
    },
    {
      name: 'ClusterIP with external IPs is externally accessible',
      obj: { spec: { externalIPs: ['198.51.100.7'], ports: [{ port: 80 }], internalTrafficPolicy: 'Local' } },
      wantSpec: {
        externalIPs: ['198.51.100.7'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], internalTrafficPolicy: 'Local',
        type: 'ClusterIP', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster',
      },
    },
    {
      name: 'ClientIP affinity gets a three-hour timeout',
      obj: { spec: { sessionAffinity: 'ClientIP' } },
      wantSpec: {
        sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, type: 'ClusterIP', internalTrafficPolicy: 'Cluster',
      },
    },
    {
      name: 'an explicit timeout stays; None drops the config',
      obj: { spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, type: 'ClusterIP' } },
      wantSpec: {
        sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, type: 'ClusterIP', internalTrafficPolicy: 'Cluster',
      },
    },
    {
      name: 'None drops the config',
      obj: { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } } },
      wantSpec: { sessionAffinity: 'None', type: 'ClusterIP', internalTrafficPolicy: 'Cluster' },
    },
  ];
  for (const c of cases) {
    defaultService(c.obj);
    assert.deepEqual(c.obj.spec, c.wantSpec, c.name);
    assert.deepEqual(c.obj.status, c.wantStatus, c.name);
  }
});

test('other core/v1 kinds', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; obj: JSONObject; want: JSONObject }> = [
    {
      name: 'kubectl create namespace demo',
      defaulter: defaultNamespace,
      obj: kubectlBody('namespace'),
      want: {
        kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'demo', creationTimestamp: null, labels: { 'kubernetes.io/metadata.name': 'demo' } },
        spec: {}, status: { phase: 'Active' },
      },
    },
    {
      name: 'the name label cannot be changed, and generateName alone sets none',
      defaulter: defaultNamespace,
      obj: { metadata: { generateName: 'tmp-' }, status: { phase: 'Terminating' } },
      want: { metadata: { generateName: 'tmp-' }, status: { phase: 'Terminating' } },
    },
    {
      name: 'namespace label overwritten',
      defaulter: defaultNamespace,
      obj: { metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'b', team: 'x' } } },
      want: { metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'a', team: 'x' } }, status: { phase: 'Active' } },
    },
    {
      name: 'kubectl create secret generic creds',
      defaulter: defaultSecret,
      obj: kubectlBody('secret'),
      want: { ...kubectlBody('secret'), type: 'Opaque' },
    },
    {
      name: 'TLS secrets keep their type',
      defaulter: defaultSecret,
      obj: { type: 'kubernetes.io/tls', data: {} },
      want: { type: 'kubernetes.io/tls', data: {} },
    },
    {
      name: 'PersistentVolume with a hostPath',
      defaulter: defaultPersistentVolume,
      obj: { spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data' } } },
      want: {
        spec: {
          capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data', type: '' },
          persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
    },
    {
      name: 'PersistentVolumeClaim',
      defaulter: defaultPersistentVolumeClaim,
      obj: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      want: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
    },
    {
      name: 'block claims stay block',
      defaulter: defaultPersistentVolumeClaim,
      obj: { spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } },
      want: { spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } },
    },
    {
      name: 'Node allocatable from capacity',
      defaulter: defaultNode,
      obj: { status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } },
      want: { status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } },
    },
    {
      name: 'Node with its own allocatable',
      defaulter: defaultNode,
      obj: { status: { capacity: { cpu: '4' }, allocatable: { cpu: '3800m' } } },
      want: { status: { capacity: { cpu: '4' }, allocatable: { cpu: '3800m' } } },
    },
    {
      name: 'Endpoints ports',
      defaulter: defaultEndpoints,
      obj: { subsets: [{ addresses: [{ ip: '10.0.0.5' }], ports: [{ port: 6443, name: 'https' }, { port: 53, protocol: 'UDP' }] }] },
      want: { subsets: [{ addresses: [{ ip: '10.0.0.5' }], ports: [{ port: 6443, name: 'https', protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }] },
    },
    {
      name: 'LimitRange for containers',
      defaulter: defaultLimitRange,
      obj: {
        spec: {
          limits: [
            { type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' }, default: { memory: '512Mi' } },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      },
      want: {
        spec: {
          limits: [
            {
              type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
              default: { memory: '512Mi', cpu: '2' }, defaultRequest: { memory: '512Mi', cpu: '2', 'ephemeral-storage': '1Gi' },
            },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      },
    },
    {
      name: 'LimitRange with nothing to derive',
      defaulter: defaultLimitRange,
      obj: { spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }] } },
      want: { spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }] } },
    },
    {
      name: 'ReplicationController: selector and labels from the template',
      defaulter: defaultReplicationController,
      obj: { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'old' } }, spec: { containers: [{ name: 'c', image: 'c:1' }] } } } },
      want: {
        metadata: { name: 'rc', labels: { app: 'old' } },
        spec: {
          selector: { app: 'old' }, replicas: 1,
          template: {
            metadata: { labels: { app: 'old' } },
            spec: {
              containers: [{ name: 'c', image: 'c:1', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
              dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
            },
          },
        },
      },
    },
    {
      name: 'ReplicationController with its own selector and labels',
      defaulter: defaultReplicationController,
      obj: { metadata: { labels: { tier: 'x' } }, spec: { replicas: 0, selector: { app: 'a' }, template: { metadata: { labels: { app: 'a', v: '2' } } } } },
      want: { metadata: { labels: { tier: 'x' } }, spec: { replicas: 0, selector: { app: 'a' }, template: { metadata: { labels: { app: 'a', v: '2' } } } } },
    },
    {
      name: 'PodTemplate',
      defaulter: defaultPodTemplate,
      obj: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } },
      want: {
        template: {
          spec: {
            containers: [{ name: 'c', image: 'c', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
            dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
          },
        },
      },
    },
  ];
  for (const c of cases) {
    c.defaulter(c.obj, { now: () => 0 });
    assert.deepEqual(c.obj, c.want, c.name);
  }
});

test('copied maps are not shared with their source', () => {
  const rc: JSONObject = { spec: { template: { metadata: { labels: { app: 'a' } } } } };
  defaultReplicationController(rc);
  ((rc.spec as JSONObject).selector as JSONObject).app = 'changed';
  assert.deepEqual(rc.metadata, { labels: { app: 'a' } });
  const node: JSONObject = { status: { capacity: { cpu: '1' } } };
  defaultNode(node);
  ((node.status as JSONObject).allocatable as JSONObject).cpu = '500m';
  assert.deepEqual((node.status as JSONObject).capacity, { cpu: '1' });
});
