// End to end, the 2018 tutorial's openssl path: a CA from `openssl genrsa` + `openssl req -x509`, the
// apiserver's serving pair and an admin client certificate signed with `openssl x509 -req`, the apiserver
// started with the upstream flags, then curl-like requests and kubectl with a kubeconfig made by `kubectl config`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl } from '../harness/kubectl.js';
import { runTool } from '../../src/pki/testing/pki-tools.js';
import { newSignedCert, parseCertificateAuthority } from '../../src/pki/certificate.js';
import { encodePrivateKeyPEM, generatePrivateKey } from '../../src/pki/keys.js';
import { explain, httpsRequest, kubeconfigByKubectl } from './pki-helpers.js';

describe('the openssl path: --client-ca-file, --tls-cert-file, client certificates', () => {
  let dir: string;
  let server: APIServerProcess;
  let ca: string;
  const file = (name: string) => readFile(join(dir, name), 'utf8');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-openssl-'));
    const openssl = (...args: string[]) => runTool('openssl', args, { cwd: dir });
    openssl('genrsa', '-out', 'ca.key', '2048');
    openssl('req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-subj', '/CN=KUBERNETES-CA', '-days', '1', '-out', 'ca.crt');
    openssl('genrsa', '-out', 'other-ca.key', '2048');
    openssl('req', '-x509', '-new', '-nodes', '-key', 'other-ca.key', '-subj', '/CN=KUBERNETES-CA', '-days', '1', '-out', 'other-ca.crt');
    openssl('genrsa', '-out', 'service-account.key', '2048');
    // A key, a CSR, then `openssl x509 -req` with the extensions from a file, as the tutorials sign.
    const sign = async (name: string, subj: string, ext: string, signer: 'ca' | 'other-ca' = 'ca') => {
      openssl('genrsa', '-out', `${name}.key`, '2048');
      openssl('req', '-new', '-key', `${name}.key`, '-subj', subj, '-out', `${name}.csr`);
      await writeFile(join(dir, `${name}.ext`), ext);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${signer}.crt`, '-CAkey', `${signer}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    };
    await sign('kube-apiserver', '/CN=kube-apiserver', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes,DNS:kubernetes.default,IP:10.96.0.1,IP:127.0.0.1\n');
    await sign('admin', '/CN=admin/O=system:masters', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    await sign('intruder', '/CN=admin/O=system:masters', 'extendedKeyUsage=clientAuth\n', 'other-ca');
    await sign('server-only', '/CN=admin/O=system:masters', 'extendedKeyUsage=serverAuth\n');
    // An admin certificate from the right CA that expired an hour ago (openssl 3.0 cannot backdate; src/pki can).
    const caPair = parseCertificateAuthority({ certPEM: await file('ca.crt'), keyPEM: await file('ca.key') });
    const expiredKey = await generatePrivateKey('rsa');
    const expired = await newSignedCert({ config: { commonName: 'admin', organization: ['system:masters'], extKeyUsages: ['client auth'] }, publicKey: expiredKey, ca: caPair, now: new Date(Date.now() - 2 * 3600_000), validitySeconds: 3600 });
    await writeFile(join(dir, 'expired.crt'), expired);
    await writeFile(join(dir, 'expired.key'), encodePrivateKeyPEM(expiredKey));
    // The serving certificate file carries the chain: leaf, then the CA.
    await writeFile(join(dir, 'kube-apiserver-chain.crt'), (await file('kube-apiserver.crt')) + (await file('ca.crt')));
    ca = await file('ca.crt');
    server = await startAPIServer({
      backend: 'memory',
      // Anonymous is off under AlwaysAllow: the readiness probe presents the admin certificate.
      readyzClientCertificate: { cert: await file('admin.crt'), key: await file('admin.key') },
      extraArgs: [
        `--client-ca-file=${join(dir, 'ca.crt')}`,
        `--tls-cert-file=${join(dir, 'kube-apiserver-chain.crt')}`,
        `--tls-private-key-file=${join(dir, 'kube-apiserver.key')}`,
        `--service-account-key-file=${join(dir, 'service-account.key')}`,
        `--service-account-signing-key-file=${join(dir, 'service-account.key')}`,
        '--service-account-issuer=https://kubernetes',
        // Verbosity 4 logs why authentication failed.
        '-v=4',
      ],
    });
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the serving chain from --tls-cert-file verifies against the openssl CA', async () => {
    const r = await httpsRequest({ url: server.url, path: '/version', ca, cert: await file('admin.crt'), key: await file('admin.key') });
    assert.equal(r.status, 200, r.body);
    assert.ok(JSON.parse(r.body).gitVersion);
  });

  test('curl --cert admin.crt --key admin.key gets the API versions', async () => {
    // (The tutorial asks for `/`, upstream's root paths list, which k8ts does not serve yet.)
    const r = await httpsRequest({ url: server.url, path: '/api', cert: await file('admin.crt'), key: await file('admin.key') });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual((JSON.parse(r.body) as { versions: string[] }).versions, ['v1']);
  });

  test('curl --insecure without a certificate gets a 401 Status (anonymous is off under AlwaysAllow)', async () => {
    const r = await httpsRequest({ url: server.url, path: '/api' });
    assert.equal(r.status, 401, r.body);
    assert.deepEqual(JSON.parse(r.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  test('certificates from another CA, for server auth only, or expired are a 401', async () => {
    for (const name of ['intruder', 'server-only', 'expired']) {
      const r = await httpsRequest({ url: server.url, path: '/api', cert: await file(`${name}.crt`), key: await file(`${name}.key`) });
      assert.equal(r.status, 401, `${name}: ${r.body}`);
    }
    // The reasons, in upstream's words, reach the log.
    const log = await server.logTail(400);
    assert.match(log, /verifying certificate SN=\d+, SKID=[0-9A-F:]*, AKID=[0-9A-F:]* failed: x509: certificate signed by unknown authority/);
    assert.match(log, /failed: x509: certificate specifies an incompatible key usage/);
    assert.match(log, /failed: x509: certificate has expired or is not yet valid: current time \S+ is after \S+/);
  });

  for (const version of ['1.27', '1.33'] as const) {
    test(`kubectl ${version} with a kubeconfig made by kubectl config and the openssl admin certificate`, async () => {
      const kc = join(dir, `admin-${version}.kubeconfig`);
      await kubeconfigByKubectl({ version, file: kc, cwd: dir, server: server.url, caFile: 'ca.crt', certFile: 'admin.crt', keyFile: 'admin.key', user: 'admin' });
      const whoami = await kubectl({ version, kubeconfig: kc, args: ['auth', 'whoami', '-o', 'json'] });
      assert.equal(whoami.code, 0, explain(whoami));
      const status = (JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
      assert.equal(status.username, 'admin');
      assert.deepEqual(status.groups, ['system:masters', 'system:authenticated']);
      const create = await kubectl({ version, kubeconfig: kc, args: ['create', 'configmap', `made-by-${version.replace('.', '-')}`, '--from-literal=k=v'] });
      assert.equal(create.code, 0, explain(create));
      const get = await kubectl({ version, kubeconfig: kc, args: ['get', 'namespaces'] });
      assert.match(get.stdout, /kube-system/, explain(get));

      const foreign = join(dir, `intruder-${version}.kubeconfig`);
      await kubeconfigByKubectl({ version, file: foreign, cwd: dir, server: server.url, caFile: 'ca.crt', certFile: 'intruder.crt', keyFile: 'intruder.key', user: 'admin' });
      const denied = await kubectl({ version, kubeconfig: foreign, args: ['get', 'namespaces'] });
      assert.notEqual(denied.code, 0, explain(denied));
      assert.match(denied.stderr, /You must be logged in to the server|Unauthorized/, explain(denied));
    });
  }
});
