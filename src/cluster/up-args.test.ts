// The command lines `k8ts up` builds for its children: what a local client dials, and the apiserver,
// controller-manager and scheduler flags in upstream spelling with the kubeadm-style files under the data dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiserverArgs, clientHost, serviceAccountIssuer, type UpOptions } from './up.js';
import { kubeControllerManager, kubeScheduler, type ClusterConfig } from './components.js';

test('clientHost picks what a local client dials for a bind address', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', '127.0.0.1'],
    ['::', '127.0.0.1'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '[::1]'],
    ['192.0.2.5', '192.0.2.5'],
  ];
  for (const [bind, want] of cases) assert.equal(clientHost(bind), want, bind);
});

const base: UpOptions = {
  program: ['node', 'k8ts'],
  dataDir: '/d',
  bindAddress: '127.0.0.1',
  securePort: 6443,
  datastoreEndpoint: '',
  etcdServers: [],
  etcdCAFile: '',
  etcdCertFile: '',
  etcdKeyFile: '',
  verbosity: 2,
  loggingFormat: 'json',
  controllerManagerPort: 10257,
  schedulerPort: 10259,
  nodeName: 'n1',
  keyAlgorithm: 'rsa',
  gracePeriodMs: 1000,
  out: { write: () => true },
};

test('apiserverArgs: storage, port, logging, and the security and aggregation set-up of a kubeadm cluster', () => {
  assert.deepEqual(apiserverArgs(base), [
    '--data-dir=/d',
    '--bind-address=127.0.0.1',
    '--secure-port=6443',
    '--tls-cert-file=/d/pki/apiserver.crt',
    '--tls-private-key-file=/d/pki/apiserver.key',
    '--client-ca-file=/d/pki/ca.crt',
    '--service-account-key-file=/d/pki/sa.pub',
    '--service-account-signing-key-file=/d/pki/sa.key',
    `--service-account-issuer=${serviceAccountIssuer}`,
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    '--allow-privileged=true',
    '--kubelet-client-certificate=/d/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/d/pki/apiserver-kubelet-client.key',
    '--requestheader-client-ca-file=/d/pki/front-proxy-ca.crt',
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--proxy-client-cert-file=/d/pki/front-proxy-client.crt',
    '--proxy-client-key-file=/d/pki/front-proxy-client.key',
    '--v=2',
    '--logging-format=json',
  ]);
  assert.deepEqual(apiserverArgs({ ...base, etcdServers: ['https://e1:2379', 'https://e2:2379'], etcdCAFile: '/ca', datastoreEndpoint: 'memory://' }).slice(23), [
    '--datastore-endpoint=memory://',
    '--etcd-servers=https://e1:2379,https://e2:2379',
    '--etcd-cafile=/ca',
  ]);
});

test('the controller manager and scheduler run as themselves, with health on their loopback ports', () => {
  const cfg: ClusterConfig = {
    program: ['node', 'k8ts'],
    dataDir: '/d',
    apiserverArgs: [],
    apiserverURL: 'https://127.0.0.1:6443',
    caPEM: '',
    controllerManagerPort: 20257,
    schedulerPort: 20259,
    verbosity: 0,
    loggingFormat: 'text',
  };
  const cm = kubeControllerManager(cfg);
  assert.equal(cm.name, 'kube-controller-manager');
  assert.deepEqual(cm.args.slice(0, 5), ['k8ts', 'controller-manager', '--kubeconfig=/d/controller-manager.conf', '--bind-address=127.0.0.1', '--secure-port=20257']);
  assert.ok(cm.args.includes('--root-ca-file=/d/pki/ca.crt'));
  assert.ok(cm.args.includes('--service-account-private-key-file=/d/pki/sa.key'));
  assert.ok(cm.args.includes('--use-service-account-credentials=true'));
  assert.equal(cm.endpoint, 'https://127.0.0.1:20257');
  const sched = kubeScheduler(cfg);
  assert.deepEqual(sched.args.slice(0, 5), ['k8ts', 'scheduler', '--kubeconfig=/d/scheduler.conf', '--bind-address=127.0.0.1', '--secure-port=20259']);
});
