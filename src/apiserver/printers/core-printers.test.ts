// Table tests for the core kinds' printers: services (TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S)), nodes,
// events, namespaces, config maps, secrets, endpoints, volumes, claims, quotas and the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core-printers.js';
import type { TablePrinter } from './table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString().replace('.000Z', 'Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: ago(3 * 3600), ...extra });

function cells(printer: TablePrinter, obj: object): unknown[] {
  const row = printer.printRow(obj as APIObject, now);
  assert.equal(row.cells.length, printer.columnDefinitions.length, 'one cell per column');
  return row.cells;
}

test('services: type, cluster IP, external IP and ports', () => {
  const cases: Array<{ name: string; svc: object; want: unknown[] }> = [
    {
      name: 'ClusterIP with two ports',
      svc: {
        metadata: meta('web'),
        spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'fe', app: 'web' } },
      },
      want: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '3h', 'app=web,tier=fe'],
    },
    {
      name: 'NodePort with external IPs',
      svc: {
        metadata: meta('np'),
        spec: { type: 'NodePort', clusterIPs: ['10.96.0.11'], externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 443, nodePort: 30001, protocol: 'TCP' }] },
      },
      want: ['np', 'NodePort', '10.96.0.11', '1.2.3.4,5.6.7.8', '443:30001/TCP', '3h', '<none>'],
    },
    {
      name: 'LoadBalancer still pending',
      svc: { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] } },
      want: ['lb', 'LoadBalancer', '10.96.0.12', '<pending>', '80:31000/TCP', '3h', '<none>'],
    },
    {
      name: 'LoadBalancer with ingress (sorted, de-duplicated) and external IPs',
      svc: {
        metadata: meta('lb2'),
        spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], externalIPs: ['9.9.9.9'], ports: [{ port: 80, protocol: 'TCP' }] },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.9' }] } },
      },
      want: ['lb2', 'LoadBalancer', '10.96.0.13', '203.0.113.9,lb.example.com,9.9.9.9', '80/TCP', '3h', '<none>'],
    },
    {
      name: 'ExternalName without cluster IP or ports',
      svc: { metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'db.example.com' } },
      want: ['ext', 'ExternalName', '<none>', 'db.example.com', '<none>', '3h', '<none>'],
    },
    {
      name: 'headless',
      svc: { metadata: meta('hl'), spec: { type: 'ClusterIP', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } },
      want: ['hl', 'ClusterIP', 'None', '<none>', '5432/TCP', '3h', '<none>'],
    },
  ];
  for (const c of cases) assert.deepEqual(cells(servicePrinter, c.svc), c.want, c.name);
});

test('nodes: status, roles, version and wide cells', () => {
  const cases: Array<{ name: string; node: object; want: unknown[] }> = [
    {
      name: 'ready control plane node',
      node: {
        metadata: { name: 'cp', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' } },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [{ type: 'Hostname', address: 'cp' }, { type: 'InternalIP', address: '192.168.1.10' }],
          nodeInfo: { kubeletVersion: 'v1.36.0', osImage: 'Debian GNU/Linux 13', kernelVersion: '6.12.0', containerRuntimeVersion: 'containerd://2.1.0' },
        },
      },
      want: ['cp', 'Ready', 'control-plane,master', '3d', 'v1.36.0', '192.168.1.10', '<none>', 'Debian GNU/Linux 13', '6.12.0', 'containerd://2.1.0'],
    },
    {
      name: 'cordoned, not ready worker',
      node: { metadata: { name: 'w1', creationTimestamp: ago(60) }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      want: ['w1', 'NotReady,SchedulingDisabled', '<none>', '60s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    },
    {
      name: 'no Ready condition yet',
      node: { metadata: { name: 'w2', creationTimestamp: ago(5) }, spec: { unschedulable: true } },
      want: ['w2', 'Unknown,SchedulingDisabled', '<none>', '5s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    },
  ];
  for (const c of cases) assert.deepEqual(cells(nodePrinter, c.node), c.want, c.name);
});

test('events: last seen, object, source, count', () => {
  const cases: Array<{ name: string; ev: object; want: unknown[] }> = [
    {
      name: 'kubelet event with counts',
      ev: {
        metadata: meta('web.17a'),
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
        reason: 'BackOff',
        type: 'Warning',
        message: ' Back-off restarting failed container \n',
        source: { component: 'kubelet', host: 'node-a' },
        firstTimestamp: ago(600),
        lastTimestamp: ago(30),
        count: 7,
      },
      want: ['30s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting failed container', '10m', 7, 'web.17a'],
    },
    {
      name: 'events.k8s.io-style singleton: eventTime, reporting controller, count 1',
      ev: {
        metadata: meta('x.1'),
        involvedObject: { kind: 'Node' },
        reason: 'Starting',
        type: 'Normal',
        eventTime: '2026-03-01T11:59:00.123456Z',
        reportingComponent: 'kube-proxy',
        reportingInstance: 'kube-proxy-node-a',
      },
      // 59.877s truncate to 59s, as Go's integer conversion does
      want: ['59s', 'Normal', 'Starting', 'node', '', 'kube-proxy, kube-proxy-node-a', '', '59s', 1, 'x.1'],
    },
    {
      name: 'series overrides last seen and count',
      ev: {
        metadata: meta('s.1'),
        involvedObject: { kind: 'Deployment', name: 'web' },
        reason: 'ScalingReplicaSet',
        type: 'Normal',
        message: 'Scaled up',
        eventTime: '2026-03-01T11:00:00.000000Z',
        series: { count: 3, lastObservedTime: '2026-03-01T11:58:00.000000Z' },
        source: { component: 'deployment-controller' },
      },
      want: ['2m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up', '60m', 3, 's.1'],
    },
  ];
  for (const c of cases) assert.deepEqual(cells(eventPrinter, c.ev), c.want, c.name);
  assert.deepEqual(
    eventPrinter.columnDefinitions.map((c) => `${c.name}:${c.priority}`),
    ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
  );
});

test('namespaces, config maps, secrets, service accounts, component statuses', () => {
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    { name: 'active namespace', printer: namespacePrinter, obj: { metadata: meta('dev'), status: { phase: 'Active' } }, want: ['dev', 'Active', '3h'] },
    { name: 'terminating namespace', printer: namespacePrinter, obj: { metadata: meta('old'), status: { phase: 'Terminating' } }, want: ['old', 'Terminating', '3h'] },
    { name: 'config map counts data and binaryData', printer: configMapPrinter, obj: { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, want: ['cm', 3, '3h'] },
    { name: 'empty config map', printer: configMapPrinter, obj: { metadata: meta('empty') }, want: ['empty', 0, '3h'] },
    { name: 'secret', printer: secretPrinter, obj: { metadata: meta('s'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, want: ['s', 'kubernetes.io/tls', 2, '3h'] },
    { name: 'service account', printer: serviceAccountPrinter, obj: { metadata: meta('default'), secrets: [{ name: 'x' }] }, want: ['default', '3h'] },
    {
      name: 'healthy component',
      printer: componentStatusPrinter,
      obj: { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] },
      want: ['etcd-0', 'Healthy', 'ok', ''],
    },
    {
      name: 'unhealthy component',
      printer: componentStatusPrinter,
      obj: { metadata: { name: 'scheduler' }, conditions: [{ type: 'Healthy', status: 'False', error: 'connection refused' }] },
      want: ['scheduler', 'Unhealthy', '', 'connection refused'],
    },
    { name: 'component without conditions', printer: componentStatusPrinter, obj: { metadata: { name: 'x' } }, want: ['x', 'Unknown', '', ''] },
  ];
  for (const c of cases) assert.deepEqual(cells(c.printer, c.obj), c.want, c.name);
});

test('endpoints: ip:port entries, IPv6 brackets, headless and "more"', () => {
  const addr = (ip: string) => ({ ip });
  const cases: Array<{ name: string; ep: object; want: string }> = [
    { name: 'no subsets', ep: { metadata: meta('e0') }, want: '<none>' },
    { name: 'one port', ep: { metadata: meta('e1'), subsets: [{ addresses: [addr('10.0.0.1'), addr('10.0.0.2')], ports: [{ port: 80 }] }] }, want: '10.0.0.1:80,10.0.0.2:80' },
    { name: 'IPv6', ep: { metadata: meta('e2'), subsets: [{ addresses: [addr('fd00::1')], ports: [{ port: 443 }] }] }, want: '[fd00::1]:443' },
    { name: 'headless without ports', ep: { metadata: meta('e3'), subsets: [{ addresses: [addr('10.0.0.3')] }] }, want: '10.0.0.3' },
    {
      name: 'more than three',
      ep: { metadata: meta('e4'), subsets: [{ addresses: [addr('10.0.0.1'), addr('10.0.0.2')], ports: [{ port: 80 }, { port: 443 }] }, { addresses: [addr('10.0.1.1')], ports: [{ port: 80 }] }] },
      want: '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...',
    },
    { name: 'not-ready addresses are not listed', ep: { metadata: meta('e5'), subsets: [{ notReadyAddresses: [addr('10.0.0.9')], ports: [{ port: 80 }] }] }, want: '' },
  ];
  for (const c of cases) assert.equal(cells(endpointsPrinter, c.ep)[1], c.want, c.name);
});

test('persistent volumes and claims', () => {
  const pv = {
    metadata: meta('pv1', { namespace: undefined, annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } }),
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'fast',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(cells(persistentVolumePrinter, pv), ['pv1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'legacy', '<unset>', '', '3h', 'Filesystem']);
  const deleting = { metadata: meta('pv2', { deletionTimestamp: ago(1) }), spec: { storageClassName: 'fast' }, status: { phase: 'Released', reason: 'x' } };
  assert.deepEqual(cells(persistentVolumePrinter, deleting), ['pv2', '0', '', '', 'Terminating', '', 'fast', '<unset>', 'x', '3h', '<unset>']);

  const pending = { metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' }, status: { phase: 'Pending' } };
  assert.deepEqual(cells(persistentVolumeClaimPrinter, pending), ['data', 'Pending', '', '', '', 'fast', '<unset>', '3h', '<unset>']);
  const bound = {
    metadata: meta('data2'),
    spec: { volumeName: 'pv1', storageClassName: 'fast', volumeAttributesClassName: 'gold', volumeMode: 'Block' },
    status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOncePod'] },
  };
  assert.deepEqual(cells(persistentVolumeClaimPrinter, bound), ['data2', 'Bound', 'pv1', '10Gi', 'RWOP', 'fast', 'gold', '3h', 'Block']);
});

test('resource quotas, replication controllers, pod templates', () => {
  const quota = {
    metadata: meta('q'),
    status: {
      hard: { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2' },
      used: { 'limits.memory': '512Mi', pods: '3', 'requests.cpu': '250m' },
    },
  };
  assert.deepEqual(cells(resourceQuotaPrinter, quota), ['q', 'pods: 3/10, requests.cpu: 250m/1', 'limits.cpu: 0/2, limits.memory: 512Mi/2Gi', '3h']);

  const rc = {
    metadata: meta('rc'),
    spec: { replicas: 3, selector: { app: 'web' }, template: { spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis' }] } } },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(cells(replicationControllerPrinter, rc), ['rc', 3, 3, 2, '3h', 'a,b', 'nginx:1,redis', 'app=web']);

  const pt = { metadata: meta('pt'), template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } };
  assert.deepEqual(cells(podTemplatePrinter, pt), ['pt', 'c', 'busybox', 'a=1,b=2']);
});
