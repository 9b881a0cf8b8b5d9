// The CSR controllers against an in-process apiserver: `kubectl certificate approve` on a client
// certificate request → the signing controller issues a certificate the CA verifies; a kubelet client
// request is auto-approved (SubjectAccessReview through the API) and issued without anyone approving it.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { CertificateSigningRequest } from '../../src/controller-manager/controllers/certificates/csr.js';
import { csrsResource } from '../../src/controller-manager/controllers/certificates/csr.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../../src/pki/keys.js';
import { newSelfSignedCACert } from '../../src/pki/certificate.js';
import { createCSR } from '../../src/pki/csr.js';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { freePort } from '../harness/free-port.js';
import type { InProcessCluster } from '../harness/in-process-apiserver.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';
import { kubectl } from '../harness/kubectl.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';

/**
 * An in-process apiserver with RBAC and bootstrap-token authentication on its TLS port; the plain-HTTP port
 * (no authentication, full access) serves the test's and the manager's clients.
 */
async function startSecuredCluster(t: TestContext): Promise<InProcessCluster & { url: string; caPEM: string }> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = {
    ...defaultAPIServerOptions('/nonexistent'),
    securePort: 0,
    bindAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    authorizationMode: ['RBAC'],
    enableBootstrapTokenAuth: true,
    insecurePort: await freePort(),
  };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  const clients: Interface[] = [];
  const make = (): Interface => {
    const c = newClient({ host: `http://127.0.0.1:${server.insecurePort}`, qps: -1 });
    clients.push(c);
    return c;
  };
  const client = make();
  t.after(async () => {
    for (const c of clients) c.close();
    ac.abort();
    await server.close();
  });
  return { server, client, newClient: make, url: `https://127.0.0.1:${server.securePort}`, caPEM: cert.ca };
}

test('kubectl certificate approve → issued and verifiable; kubelet client CSRs are auto-approved', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const caKey = await generatePrivateKey('ecdsa');
  const caPEM = await newSelfSignedCACert({ key: caKey, commonName: 'kubernetes-ca', now: new Date(), validitySeconds: 3600 * 24 * 365 });
  writeFileSync(join(dir, 'ca.crt'), caPEM);
  writeFileSync(join(dir, 'ca.key'), encodePrivateKeyPEM(caKey));
  const cluster = await startSecuredCluster(t);
  const { client } = await startControllers(t, {
    cluster,
    controllers: ['csrsigning', 'csrapproving', 'csrcleaner'],
    configure: (o) => {
      o.clusterSigningCertFile = join(dir, 'ca.crt');
      o.clusterSigningKeyFile = join(dir, 'ca.key');
    },
  });
  const csrs = client.resource<CertificateSigningRequest>(csrsResource);
  const request = async (cn: string, org?: string[]) =>
    Buffer.from(await createCSR({ key: await generatePrivateKey('ecdsa'), subject: { commonName: cn, organization: org } })).toString('base64');

  await csrs.create({
    metadata: { name: 'jane' },
    spec: { request: await request('jane', ['developers']), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 86400 },
  });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig({ path: kubeconfig, server: `http://127.0.0.1:${cluster.server.insecurePort}` });
  const approve = await kubectl({ version: '1.33', kubeconfig, args: ['certificate', 'approve', 'jane'] });
  assert.equal(approve.code, 0, approve.stderr);
  assert.match(approve.stdout, /certificatesigningrequest.certificates.k8s.io\/jane approved/);
  await eventually(async () => !!(await csrs.get('jane')).status?.certificate);
  const cert = new X509Certificate(Buffer.from((await csrs.get('jane')).status!.certificate!, 'base64'));
  assert.ok(cert.verify(new X509Certificate(caPEM).publicKey), `${cert.issuer} / ${new X509Certificate(caPEM).subject}`);
  assert.equal(cert.issuer, new X509Certificate(caPEM).subject);
  assert.match(cert.subject, /CN=jane/);
  assert.match(cert.subject, /O=developers/);
  const hours = (Date.parse(cert.validTo) - Date.now()) / 3_600_000;
  assert.ok(hours > 23 && hours <= 24, `expirationSeconds honoured (${hours} h)`);
  const shown = await kubectl({ version: '1.33', kubeconfig, args: ['get', 'csr', 'jane'] });
  assert.match(shown.stdout, /Approved,Issued/);

  // A kubelet bootstrapping with a token, set up as kubeadm does: the token secret, and bindings that let
  // system:bootstrappers create CSRs and have nodeclient ones approved.
  await client.resource({ group: '', version: 'v1', resource: 'secrets' }, 'kube-system').create({
    metadata: { name: 'bootstrap-token-abcdef' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true' },
  } as KubeObject);
  const bindings = client.resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' });
  for (const [name, role] of [['kubeadm:kubelet-bootstrap', 'system:node-bootstrapper'], ['kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient']] as const) {
    await bindings.create({
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:bootstrappers' }],
    } as KubeObject);
  }
  const bootstrapKubeconfig = join(dir, 'bootstrap-kubeconfig');
  await writeKubeconfig({ path: bootstrapKubeconfig, server: cluster.url, caPEM: cluster.caPEM, token: 'abcdef.0123456789abcdef' });
  const nodeCSR = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'node-csr-n1' },
    spec: {
      request: await request('system:node:n1', ['system:nodes']),
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
      // upstream's apiserver fills these from the requester; k8ts' CSR strategy does not yet, so the kubelet
      // states what the server would (the same values, as the token's user).
      username: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:authenticated'],
    },
  };
  const created = await kubectl({
    version: '1.33',
    kubeconfig: bootstrapKubeconfig,
    args: ['create', '-f', '-'],
    stdin: JSON.stringify(nodeCSR),
  });
  assert.equal(created.code, 0, created.stderr);
  assert.equal((await csrs.get('node-csr-n1')).spec.username, 'system:bootstrap:abcdef');
  await eventually(async () => !!(await csrs.get('node-csr-n1')).status?.certificate);
  const approved = (await csrs.get('node-csr-n1')).status!.conditions!.find((c) => c.type === 'Approved')!;
  assert.equal(approved.reason, 'AutoApproved');
  assert.match(approved.message ?? '', /after SubjectAccessReview\.$/);
});
