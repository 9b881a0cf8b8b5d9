// End to end encryption at rest with the real binary and kubectl: secrets are stored encrypted in SQLite and
// in a real etcd (`etcdctl get` shows upstream's `k8s:enc:aescbc:v1:key1:` prefix and the bytes decrypt with
// upstream's layout), kubectl reads them back, key rotation with `kubectl replace` re-encrypts, and a bad
// configuration stops the start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { startEtcd, type EtcdProcess } from '../../src/storage/testing/etcd-process.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl, type KubectlVersion } from '../harness/kubectl.js';

const key1 = Buffer.alloc(32, 0x11);
const key2 = Buffer.alloc(32, 0x22);
const password = 'hunter2-is-secret';

function configYAML(keys: Array<{ name: string; secret: Buffer }>): string {
  const list = keys.map((k) => `          - name: ${k.name}\n            secret: ${k.secret.toString('base64')}`).join('\n');
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - aescbc:
          keys:
${list}
      - identity: {}
`;
}

async function run(server: APIServerProcess, args: string[], opts: { stdin?: string; version?: KubectlVersion } = {}): Promise<string> {
  const r = await kubectl({ version: opts.version ?? '1.33', kubeconfig: server.kubeconfigPath, args, stdin: opts.stdin });
  assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
  return r.stdout;
}

/** The newest stored value of `key` in the SQLite log table (read-only, beside the running server). */
function sqliteValue(dataDir: string, key: string): string {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true });
  try {
    return db.prepare('SELECT value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1').pluck().get(key) as string;
  } finally {
    db.close();
  }
}

test('sqlite: secrets are stored encrypted, read back by kubectl, and re-encrypted after key rotation', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-encryption-'));
  const configPath = join(dataDir, 'encryption.yaml');
  let server: APIServerProcess | undefined;
  t.after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const start = async () => (server = await startAPIServer({ backend: 'sqlite', dataDir, extraArgs: [`--encryption-provider-config=${configPath}`] }));

  // A secret written before encryption is on stays readable (identity) and is encrypted by the rewrite.
  server = await startAPIServer({ backend: 'sqlite', dataDir });
  await run(server, ['create', 'secret', 'generic', 'before', `--from-literal=password=${password}`]);
  await server.stop();

  await writeFile(configPath, configYAML([{ name: 'key1', secret: key1 }]));
  await start();
  await run(server, ['create', 'secret', 'generic', 's1', `--from-literal=password=${password}`]);
  await run(server, ['create', 'configmap', 'c1', `--from-literal=password=${password}`]);
  const stored = sqliteValue(dataDir, '/registry/secrets/default/s1');
  assert.ok(stored.startsWith('k8s:enc:aescbc:v1:key1:'), stored.slice(0, 40));
  assert.ok(!stored.includes(Buffer.from(password).toString('base64')) && !stored.includes('"s1"'));
  assert.ok(sqliteValue(dataDir, '/registry/configmaps/default/c1').includes(password), 'configmaps stay plaintext');
  assert.ok(sqliteValue(dataDir, '/registry/secrets/default/before').startsWith('{'), 'old data is not rewritten by itself');
  for (const version of ['1.27', '1.33'] as const) {
    for (const name of ['s1', 'before']) {
      const data = await run(server, ['get', 'secret', name, '-o', 'jsonpath={.data.password}'], { version });
      assert.equal(Buffer.from(data, 'base64').toString(), password, `${version} ${name}`);
    }
  }

  // Rotation: key2 first, key1 still known; rewriting every secret moves them all to key2.
  await server.stop();
  await writeFile(configPath, configYAML([{ name: 'key2', secret: key2 }, { name: 'key1', secret: key1 }]));
  await start();
  assert.equal(Buffer.from(await run(server, ['get', 'secret', 's1', '-o', 'jsonpath={.data.password}']), 'base64').toString(), password);
  const all = await run(server, ['get', 'secrets', '-A', '-o', 'json']);
  await run(server, ['replace', '-f', '-'], { stdin: all });
  for (const name of ['s1', 'before']) {
    assert.ok(sqliteValue(dataDir, `/registry/secrets/default/${name}`).startsWith('k8s:enc:aescbc:v1:key2:'), name);
  }

  // key1 removed: everything is still readable.
  await server.stop();
  await writeFile(configPath, configYAML([{ name: 'key2', secret: key2 }]));
  await start();
  const names = await run(server, ['get', 'secrets', '-o', 'jsonpath={.items[*].metadata.name}']);
  assert.deepEqual(names.split(' ').sort(), ['before', 's1']);
});

test('etcd: etcdctl shows the k8s:enc:aescbc:v1:key1: prefix and the bytes decrypt with upstream’s layout', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-encryption-etcd-'));
  const configPath = join(dataDir, 'encryption.yaml');
  let etcd: EtcdProcess | undefined;
  let server: APIServerProcess | undefined;
  t.after(async () => {
    await server?.stop();
    await etcd?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  await writeFile(configPath, configYAML([{ name: 'key1', secret: key1 }]));
  etcd = await startEtcd();
  server = await startAPIServer({ backend: 'etcd', etcdServers: etcd.endpoints, extraArgs: [`--encryption-provider-config=${configPath}`] });
  await run(server, ['create', 'secret', 'generic', 's1', `--from-literal=password=${password}`]);

  const got = spawnSync('etcdctl', [`--endpoints=${etcd.endpoints.join(',')}`, 'get', '/registry/secrets/default/s1', '--print-value-only'], { timeout: 10_000 });
  assert.equal(got.status, 0, got.stderr.toString());
  const raw = got.stdout.subarray(0, got.stdout.length - 1); // etcdctl ends the value with a newline
  const prefix = 'k8s:enc:aescbc:v1:key1:';
  assert.equal(raw.subarray(0, prefix.length).toString('latin1'), prefix);
  // IV (16 bytes) then AES-256-CBC with PKCS#7, exactly what kube-apiserver writes and reads.
  const body = raw.subarray(prefix.length);
  const decipher = createDecipheriv('aes-256-cbc', key1, body.subarray(0, 16));
  const plain = JSON.parse(Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString()) as { metadata: { name: string }; data: { password: string } };
  assert.equal(plain.metadata.name, 's1');
  assert.equal(Buffer.from(plain.data.password, 'base64').toString(), password);

  const data = await run(server, ['get', 'secret', 's1', '-o', 'jsonpath={.data.password}']);
  assert.equal(Buffer.from(data, 'base64').toString(), password);
  // Watch events from etcd are decrypted too: an update reaches the watch cache, which serves this list.
  await run(server, ['label', 'secret', 's1', 'rotated=yes']);
  assert.equal(await run(server, ['get', 'secrets', '-l', 'rotated=yes', '-o', 'jsonpath={.items[*].metadata.name}']), 's1');
});

test('sqlite: *.* encrypts every resource, custom resources too, and they are read back after a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-encryption-all-'));
  const configPath = join(dataDir, 'encryption.yaml');
  let server: APIServerProcess | undefined;
  t.after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  await writeFile(
    configPath,
    `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: ["*.*"]\n    providers:\n      - aesgcm:\n          keys: [{name: all, secret: ${key2.toString('base64')}}]\n`,
  );
  const start = async () => (server = await startAPIServer({ backend: 'sqlite', dataDir, extraArgs: [`--encryption-provider-config=${configPath}`] }));
  server = await start();
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
  await run(server, ['apply', '-f', '-'], { stdin: crd });
  await run(server, ['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
  await run(server, ['apply', '-f', '-'], { stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {size: 3}\n' });
  await run(server, ['create', 'configmap', 'c1', '--from-literal=k=v']);
  for (const key of ['/registry/example.com/widgets/default/w1', '/registry/configmaps/default/c1', '/registry/namespaces/default', '/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com']) {
    assert.ok(sqliteValue(dataDir, key)?.startsWith('k8s:enc:aesgcm:v1:all:'), key);
  }
  await server.stop();
  server = await start();
  assert.equal(await run(server, ['get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}']), '3');
  assert.equal(await run(server, ['get', 'configmap', 'c1', '-o', 'jsonpath={.data.k}']), 'v');
});

test('an invalid configuration stops the apiserver with upstream’s message', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-encryption-bad-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const cases = [
    { name: 'short-key', text: configYAML([{ name: 'key1', secret: Buffer.alloc(10) }]), message: 'secret is not of the expected length, got 10, expected one of [16 24 32]' },
    { name: 'missing-file', text: undefined, message: 'error opening encryption provider configuration file' },
  ];
  for (const c of cases) {
    const path = join(dataDir, `${c.name}.yaml`);
    if (c.text !== undefined) await writeFile(path, c.text);
    await mkdir(join(dataDir, c.name));
    await assert.rejects(startAPIServer({ backend: 'memory', dataDir: join(dataDir, c.name), extraArgs: [`--encryption-provider-config=${path}`] }), (err: Error) => {
      assert.match(err.message, /exited with/, c.name);
      assert.ok(err.message.includes('error while parsing file: ') && err.message.includes(c.message), `${c.name}: ${err.message}`);
      return true;
    });
  }
});
