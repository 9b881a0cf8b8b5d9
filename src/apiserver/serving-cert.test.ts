// The generated serving certificate verifies with node:tls for every name clients dial, is generated once,
// and given files are used verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { defaultAPIServerOptions, type APIServerOptions } from './options.js';
import { ensureServingCert, servingNames } from './serving-cert.js';
import { runTool } from '../pki/testing/pki-tools.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cert-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function optsIn(dir: string): APIServerOptions {
  return { ...defaultAPIServerOptions(dir), certDir: join(dir, 'pki') };
}

/** Serves TLS on 127.0.0.1 with the pair and completes a verified handshake as `servername`. */
async function handshake(pair: { cert: string; key: string }, ca: string, servername: string, host = '127.0.0.1'): Promise<void> {
  const server = tls.createServer({ cert: pair.cert, key: pair.key }, (s) => s.end());
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    await new Promise<void>((resolve, reject) => {
      const sock = tls.connect({ host, port, ca, servername: isIPName(servername) ? undefined : servername, checkServerIdentity: (_h, cert) => tls.checkServerIdentity(servername, cert) });
      sock.once('secureConnect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', reject);
    });
  } finally {
    server.close();
  }
}

function isIPName(name: string): boolean {
  return /^[\d.]+$/.test(name) || name.includes(':');
}

test('a generated certificate verifies against its CA for every in-cluster and loopback name', async () => {
  await withDir(async (dir) => {
    const pair = await ensureServingCert(optsIn(dir));
    assert.ok(pair.ca);
    for (const name of ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default.svc.cluster.local']) {
      await handshake(pair, pair.ca, name);
    }
    await assert.rejects(handshake(pair, pair.ca, 'example.com'), /altnames|not in the cert/i);
    const leaf = new X509Certificate(pair.cert);
    assert.match(leaf.subjectAltName ?? '', /IP Address:10\.0\.0\.1/);
    assert.match(leaf.subjectAltName ?? '', /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
    assert.equal(leaf.publicKey.asymmetricKeyType, 'ec');
    assert.equal(leaf.ca, false);
    assert.equal(new X509Certificate(pair.ca).ca, true);
    assert.ok(leaf.checkIssued(new X509Certificate(pair.ca)));
  });
});

test('a generated certificate verifies over IPv6 loopback', async () => {
  await withDir(async (dir) => {
    const pair = await ensureServingCert(optsIn(dir));
    await handshake(pair, pair.ca!, '::1', '::1').catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRNOTAVAIL' && err.code !== 'EAFNOSUPPORT') throw err; // host without IPv6
    });
  });
});

test('files are generated once, private key 0600, and reused on the next call', async () => {
  await withDir(async (dir) => {
    const opts = optsIn(dir);
    const first = await ensureServingCert(opts);
    const keyMode = (await stat(join(opts.certDir, 'apiserver.key'))).mode & 0o777;
    assert.equal(keyMode, 0o600);
    assert.equal(await readFile(join(opts.certDir, 'ca.crt'), 'utf8'), first.ca);
    const second = await ensureServingCert(opts);
    assert.deepEqual(second, first);
  });
});

test('an expired certificate in the cert dir is replaced', async () => {
  await withDir(async (dir) => {
    const opts = optsIn(dir);
    const first = await ensureServingCert(opts);
    // Replace the files with a pair generated as of 2000, long expired.
    const { generateSelfSigned } = await import('./serving-cert.js');
    const old = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] }, new Date(Date.UTC(2000, 0, 1)));
    await writeFile(join(opts.certDir, 'apiserver.crt'), old.cert);
    await writeFile(join(opts.certDir, 'apiserver.key'), old.key);
    const renewed = await ensureServingCert(opts);
    assert.notEqual(renewed.cert, old.cert);
    assert.notEqual(renewed.cert, first.cert);
    assert.ok(Date.parse(new X509Certificate(renewed.cert).validTo) > Date.now());
  });
});

test('--tls-cert-file/--tls-private-key-file are used verbatim and must come together', async () => {
  await withDir(async (dir) => {
    const opts = optsIn(dir);
    const generated = await ensureServingCert({ ...opts, certDir: join(dir, 'elsewhere') });
    await writeFile(join(dir, 'my.crt'), generated.cert);
    await writeFile(join(dir, 'my.key'), generated.key);
    const got = await ensureServingCert({ ...opts, tlsCertFile: join(dir, 'my.crt'), tlsPrivateKeyFile: join(dir, 'my.key') });
    assert.deepEqual(got, { cert: generated.cert, key: generated.key });
    await assert.rejects(ensureServingCert({ ...opts, tlsCertFile: join(dir, 'my.crt') }), /must be given together/);
    await assert.rejects(stat(opts.certDir), { code: 'ENOENT' });
  });
});

test('servingNames covers dual-stack service ranges and the advertise address', () => {
  const names = servingNames({ serviceClusterIPRange: '10.0.0.0/24,fd00::/108', advertiseAddress: '192.0.2.10', bindAddress: '0.0.0.0' });
  for (const ip of ['127.0.0.1', '::1', '10.0.0.1', 'fd00::1', '192.0.2.10']) assert.ok(names.ips.includes(ip), ip);
  for (const n of ['kubernetes.default.svc', 'localhost']) assert.ok(names.dns.includes(n), n);
  assert.equal(new Set(names.ips).size, names.ips.length);
});

test('--tls-cert-file/--tls-private-key-file made by openssl: EC PARAMETERS before the key, a chain after the leaf', async () => {
  await withDir(async (dir) => {
    const openssl = (...args: string[]) => runTool('openssl', args, { cwd: dir });
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-out', 'ca.key');
    openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=ca', '-days', '1', '-out', 'ca.crt');
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-out', 'server.key');
    openssl('req', '-new', '-key', 'server.key', '-subj', '/CN=kube-apiserver', '-out', 'server.csr');
    await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'server.ext', '-out', 'server.crt');
    const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    await writeFile(join(dir, 'chain.crt'), (await readFile(join(dir, 'server.crt'), 'utf8')) + ca);
    const opts = optsIn(dir);
    const pair = await ensureServingCert({ ...opts, tlsCertFile: join(dir, 'chain.crt'), tlsPrivateKeyFile: join(dir, 'server.key') });
    assert.doesNotMatch(pair.key, /EC PARAMETERS/);
    await handshake(pair, ca, '127.0.0.1');
    await assert.rejects(ensureServingCert({ ...opts, tlsCertFile: join(dir, 'chain.crt'), tlsPrivateKeyFile: join(dir, 'ca.key') }), /tls: private key does not match public key/);
    await assert.rejects(ensureServingCert({ ...opts, tlsCertFile: join(dir, 'server.key'), tlsPrivateKeyFile: join(dir, 'server.key') }), /does not contain any valid RSA or ECDSA certificates/);
  });
});
