// Every APIServerOptions field has its upstream flag; derived defaults follow --data-dir; bad combinations
// are reported; tutorial flags parse and are reported as ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedButIgnoredAPIServerFlags, completeAPIServerOptions, newAPIServerFlagSet } from './flags.js';
import { defaultAPIServerOptions, type APIServerOptions } from './options.js';

test('each option field is set by its upstream flag', () => {
  const cases: { args: string[]; want: Partial<APIServerOptions> }[] = [
    { args: ['--bind-address=127.0.0.1'], want: { bindAddress: '127.0.0.1' } },
    { args: ['--secure-port', '16443'], want: { securePort: 16443 } },
    { args: ['--insecure-port=8080'], want: { insecurePort: 8080 } },
    { args: ['--tls-cert-file=/a.crt', '--tls-private-key-file=/a.key'], want: { tlsCertFile: '/a.crt', tlsPrivateKeyFile: '/a.key' } },
    { args: ['--cert-dir=/certs'], want: { certDir: '/certs' } },
    { args: ['--data-dir=/d'], want: { dataDir: '/d', certDir: '/d/pki/apiserver', datastoreEndpoint: 'sqlite:///d/state.db' } },
    { args: ['--data-dir=/d', '--datastore-endpoint=memory://'], want: { datastoreEndpoint: 'memory://' } },
    {
      args: ['--etcd-servers=https://10.0.0.5:2379,https://10.0.0.6:2379', '--etcd-prefix=/k8ts'],
      want: { etcdServers: ['https://10.0.0.5:2379', 'https://10.0.0.6:2379'], etcdPrefix: '/k8ts' },
    },
    { args: ['--etcd-cafile=ca', '--etcd-certfile=c', '--etcd-keyfile=k'], want: { etcdCAFile: 'ca', etcdCertFile: 'c', etcdKeyFile: 'k' } },
    { args: ['--etcd-compaction-interval=10m'], want: { etcdCompactionIntervalSeconds: 600 } },
    { args: ['--service-cluster-ip-range=10.32.0.0/24'], want: { serviceClusterIPRange: '10.32.0.0/24' } },
    { args: ['--service-node-port-range=30000-32767'], want: { serviceNodePortRange: { base: 30000, size: 2768 } } },
    { args: ['--service-node-port-range=20000+9'], want: { serviceNodePortRange: { base: 20000, size: 10 } } },
    { args: ['--advertise-address=192.0.2.1'], want: { advertiseAddress: '192.0.2.1' } },
    { args: ['--max-request-bytes=1024'], want: { maxRequestBodyBytes: 1024 } },
    { args: ['--event-ttl=2h'], want: { eventTTLSeconds: 7200 } },
    { args: ['-v=4', '--logging-format=json'], want: { verbosity: 4, loggingFormat: 'json' } },
  ];
  const covered = new Set<string>();
  for (const c of cases) {
    const { flags, options } = newAPIServerFlagSet('/home/u');
    assert.deepEqual(flags.parse(c.args), { kind: 'ok', args: [] }, c.args.join(' '));
    assert.deepEqual(completeAPIServerOptions(flags, options), [], c.args.join(' '));
    for (const [k, v] of Object.entries(c.want)) {
      assert.deepEqual(options[k as keyof APIServerOptions], v, `${c.args.join(' ')}: ${k}`);
      covered.add(k);
    }
  }
  // A new option field without a flag (or without a case here) fails this test.
  const optional = ['eventTTLSeconds'];
  assert.deepEqual([...Object.keys(defaultAPIServerOptions('/x')), ...optional].filter((k) => !covered.has(k)), []);
});

test('defaults match upstream and follow the home directory', () => {
  const { flags, options } = newAPIServerFlagSet('/home/u');
  flags.parse([]);
  assert.deepEqual(completeAPIServerOptions(flags, options), []);
  assert.equal(options.securePort, 6443);
  assert.equal(options.certDir, '/home/u/.k8ts/pki/apiserver');
  assert.equal(options.datastoreEndpoint, 'sqlite:///home/u/.k8ts/state.db');
  assert.deepEqual(options.serviceNodePortRange, { base: 30000, size: 2768 });
  assert.equal(options.eventTTLSeconds, 3600);
});

test('invalid combinations are reported', () => {
  const cases: { args: string[]; want: RegExp }[] = [
    { args: ['--secure-port=70000'], want: /--secure-port 70000 must be between 0 and 65535/ },
    { args: ['--secure-port=0'], want: /cannot both be 0/ },
    { args: ['--bind-address=localhost'], want: /is not an IP address/ },
    { args: ['--tls-cert-file=/a'], want: /must be given together/ },
    { args: ['--datastore-endpoint=postgres://x'], want: /must be sqlite/ },
    { args: ['--datastore-endpoint=sqlite://'], want: /must be sqlite/ },
    { args: ['--datastore-endpoint=memory://x'], want: /must be sqlite/ },
    { args: ['--etcd-servers=10.0.0.1:2379'], want: /not an http\(s\):\/\/host:port URL/ },
  ];
  for (const c of cases) {
    const { flags, options } = newAPIServerFlagSet('/home/u');
    assert.equal(flags.parse(c.args).kind, 'ok');
    const errs = completeAPIServerOptions(flags, options);
    assert.ok(errs.some((e) => c.want.test(e)), `${c.args.join(' ')}: ${errs.join('; ')}`);
  }
  const { flags } = newAPIServerFlagSet('/home/u');
  assert.deepEqual(flags.parse(['--service-node-port-range=5-1']), {
    kind: 'error',
    message: 'invalid argument "5-1" for "--service-node-port-range" flag: invalid port range: 5-1',
  });
});

test('a Kubernetes-the-Hard-Way command line parses; its unimplemented flags are reported', () => {
  const { flags, options } = newAPIServerFlagSet('/home/u');
  const r = flags.parse([
    '--advertise-address=10.240.0.10',
    '--allow-privileged=true',
    '--apiserver-count=3',
    '--audit-log-maxage=30',
    '--audit-log-path=/var/log/audit.log',
    '--authorization-mode=Node,RBAC',
    '--bind-address=0.0.0.0',
    '--client-ca-file=/var/lib/kubernetes/ca.pem',
    '--enable-admission-plugins=NamespaceLifecycle,NodeRestriction,LimitRanger',
    '--etcd-cafile=/var/lib/kubernetes/ca.pem',
    '--etcd-servers=https://10.240.0.10:2379,https://10.240.0.11:2379',
    '--event-ttl=1h',
    '--encryption-provider-config=/var/lib/kubernetes/encryption-config.yaml',
    '--kubelet-certificate-authority=/var/lib/kubernetes/ca.pem',
    '--runtime-config=api/all=true',
    '--service-account-key-file=/var/lib/kubernetes/service-account.pem',
    '--service-account-issuer=https://10.240.0.10:6443',
    '--service-cluster-ip-range=10.32.0.0/24',
    '--service-node-port-range=30000-32767',
    '--tls-cert-file=/var/lib/kubernetes/kubernetes.pem',
    '--tls-private-key-file=/var/lib/kubernetes/kubernetes-key.pem',
    '--v=2',
  ]);
  assert.deepEqual(r, { kind: 'ok', args: [] });
  assert.deepEqual(completeAPIServerOptions(flags, options), []);
  assert.deepEqual(flags.ignoredFlagsSet().sort(), ['apiserver-count', 'runtime-config']);
  assert.deepEqual(options.authorizationMode, ['Node', 'RBAC']);
  assert.equal(options.allowPrivileged, true);
  assert.equal(options.verbosity, 2);
  assert.deepEqual(options.etcdServers, ['https://10.240.0.10:2379', 'https://10.240.0.11:2379']);
});

test('the ignored list has no duplicates and no clash with honoured flags', () => {
  const names = acceptedButIgnoredAPIServerFlags.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  const { flags } = newAPIServerFlagSet('/h');
  const { honoured, ignored } = flags.flagNames();
  assert.deepEqual(ignored, names);
  assert.ok(honoured.includes('etcd-servers'));
  assert.match(flags.usage(), /--secure-port int +Port to serve HTTPS on; 0 turns HTTPS off\. \(default 6443\)/);
});
