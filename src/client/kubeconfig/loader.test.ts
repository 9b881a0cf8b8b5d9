// Kubeconfig loading against files written by the real kubectl (`kubectl config set-…`), merging of
// $KUBECONFIG, overrides and client-go's error wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { errEmptyConfig, loadClientConfig, type LoadingOptions } from './loader.js';

const kubectlBinary = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

/** Runs `kubectl config …` with KUBECONFIG pointing at `file` (nothing is sent to a server). */
function kubectlConfig(file: string, ...args: string[]): void {
  // Relative file arguments are taken from the working directory: run where the kubeconfig lives.
  execFileSync(kubectlBinary, ['config', ...args], { cwd: dirname(file), env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), KUBECONFIG: file }, stdio: 'pipe' });
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('loads what kubectl config set-cluster/set-credentials/set-context/use-context wrote', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config');
  writeFileSync(join(dir, 'ca.crt'), 'CA PEM\n');
  writeFileSync(join(dir, 'client.crt'), 'CERT PEM\n');
  writeFileSync(join(dir, 'client.key'), 'KEY PEM\n');
  writeFileSync(join(dir, 'token'), 'file-token\n');
  kubectlConfig(file, 'set-cluster', 'files', '--server=https://127.0.0.1:6443', '--certificate-authority=ca.crt', '--tls-server-name=kubernetes');
  kubectlConfig(file, 'set-cluster', 'embedded', '--server=https://[::1]:6443', `--certificate-authority=${join(dir, 'ca.crt')}`, '--embed-certs=true');
  kubectlConfig(file, 'set-cluster', 'insecure', '--server=https://127.0.0.1:7443', '--insecure-skip-tls-verify=true');
  kubectlConfig(file, 'set-credentials', 'token-user', '--token=abc');
  kubectlConfig(file, 'set-credentials', 'cert-files', '--client-certificate=client.crt', '--client-key=client.key');
  kubectlConfig(file, 'set-credentials', 'cert-embedded', `--client-certificate=${join(dir, 'client.crt')}`, `--client-key=${join(dir, 'client.key')}`, '--embed-certs=true');
  kubectlConfig(file, 'set-credentials', 'basic', '--username=admin', '--password=secret');
  kubectlConfig(file, 'set', 'users.token-file.tokenFile', 'token');
  kubectlConfig(file, 'set-context', 'a', '--cluster=files', '--user=token-user', '--namespace=team-a');
  kubectlConfig(file, 'set-context', 'b', '--cluster=embedded', '--user=cert-embedded');
  kubectlConfig(file, 'set-context', 'c', '--cluster=insecure', '--user=cert-files');
  kubectlConfig(file, 'set-context', 'd', '--cluster=files', '--user=basic');
  kubectlConfig(file, 'set-context', 'e', '--cluster=files', '--user=token-file');
  kubectlConfig(file, 'use-context', 'a');

  const cases: Array<{ name: string; opts: LoadingOptions; want: ReturnType<typeof loadClientConfig> }> = [
    {
      name: 'current context: CA file relative to the kubeconfig, token, tls-server-name, namespace',
      opts: { kubeconfig: file },
      want: { context: 'a', namespace: 'team-a', config: { host: 'https://127.0.0.1:6443', caData: 'CA PEM\n', serverName: 'kubernetes', bearerToken: 'abc' } },
    },
    {
      name: '--context with embedded CA and client certificate',
      opts: { kubeconfig: file, context: 'b' },
      want: { context: 'b', namespace: 'default', config: { host: 'https://[::1]:6443', caData: 'CA PEM\n', certData: 'CERT PEM\n', keyData: 'KEY PEM\n' } },
    },
    {
      name: 'insecure cluster, client certificate files',
      opts: { kubeconfig: file, context: 'c' },
      want: { context: 'c', namespace: 'default', config: { host: 'https://127.0.0.1:7443', insecure: true, certData: 'CERT PEM\n', keyData: 'KEY PEM\n' } },
    },
    {
      name: 'basic auth',
      opts: { kubeconfig: file, context: 'd' },
      want: { context: 'd', namespace: 'default', config: { host: 'https://127.0.0.1:6443', caData: 'CA PEM\n', serverName: 'kubernetes', username: 'admin', password: 'secret' } },
    },
    {
      name: 'tokenFile relative to the kubeconfig',
      opts: { kubeconfig: file, context: 'e' },
      want: { context: 'e', namespace: 'default', config: { host: 'https://127.0.0.1:6443', caData: 'CA PEM\n', serverName: 'kubernetes', bearerTokenFile: join(dir, 'token') } },
    },
    {
      name: '--master overrides the server',
      opts: { kubeconfig: file, master: 'http://127.0.0.1:8080' },
      want: { context: 'a', namespace: 'team-a', config: { host: 'http://127.0.0.1:8080', caData: 'CA PEM\n', serverName: 'kubernetes', bearerToken: 'abc' } },
    },
    {
      name: '--master without a scheme is https when TLS is configured',
      opts: { kubeconfig: file, master: '127.0.0.1:6443' },
      want: { context: 'a', namespace: 'team-a', config: { host: 'https://127.0.0.1:6443', caData: 'CA PEM\n', serverName: 'kubernetes', bearerToken: 'abc' } },
    },
    {
      name: '--master without a scheme and without TLS settings is http',
      opts: { env: {}, homeDir: dir, master: '127.0.0.1:8080' },
      want: { context: '', namespace: 'default', config: { host: 'http://127.0.0.1:8080' } },
    },
    {
      name: '$KUBECONFIG when no --kubeconfig',
      opts: { env: { KUBECONFIG: file }, homeDir: dir },
      want: { context: 'a', namespace: 'team-a', config: { host: 'https://127.0.0.1:6443', caData: 'CA PEM\n', serverName: 'kubernetes', bearerToken: 'abc' } },
    },
  ];
  for (const c of cases) assert.deepEqual(loadClientConfig(c.opts), c.want, c.name);
});

test('$KUBECONFIG lists merge with the first file winning per entry and for current-context', async (t) => {
  const dir = tempDir(t);
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  kubectlConfig(first, 'set-cluster', 'shared', '--server=https://first:1');
  kubectlConfig(first, 'set-context', 'one', '--cluster=shared', '--user=u');
  kubectlConfig(second, 'set-cluster', 'shared', '--server=https://second:2');
  kubectlConfig(second, 'set-cluster', 'only-second', '--server=https://second:3');
  kubectlConfig(second, 'set-credentials', 'u', '--token=from-second');
  kubectlConfig(second, 'set-context', 'two', '--cluster=only-second', '--user=u');
  kubectlConfig(second, 'use-context', 'two');

  const env = { KUBECONFIG: [first, join(dir, 'missing'), second, first].join(':') };
  const cases: Array<{ context?: string; wantHost: string; wantContext: string }> = [
    { wantHost: 'https://second:3', wantContext: 'two' }, // only the second file sets current-context
    { context: 'one', wantHost: 'https://first:1', wantContext: 'one' }, // "shared" comes from the first file
  ];
  for (const c of cases) {
    const got = loadClientConfig({ env, context: c.context });
    assert.equal(got.config.host, c.wantHost);
    assert.equal(got.context, c.wantContext);
    assert.equal(got.config.bearerToken, 'from-second', 'users merge across files');
  }
  kubectlConfig(first, 'use-context', 'one');
  assert.equal(loadClientConfig({ env }).context, 'one', 'the first current-context wins');
});

test('errors are worded as client-go words them', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config');
  kubectlConfig(file, 'set-cluster', 'c', '--server=https://127.0.0.1:6443');
  kubectlConfig(file, 'set-context', 'no-user', '--cluster=c', '--user=ghost');
  kubectlConfig(file, 'set-context', 'no-cluster', '--cluster=ghost');
  const cases: Array<{ name: string; opts: LoadingOptions; want: string }> = [
    { name: 'unknown --context', opts: { kubeconfig: file, context: 'nope' }, want: 'invalid configuration: context was not found for specified context: nope' },
    { name: 'unknown user', opts: { kubeconfig: file, context: 'no-user' }, want: 'auth info "ghost" does not exist' },
    { name: 'unknown cluster', opts: { kubeconfig: file, context: 'no-cluster' }, want: 'no server found for cluster "ghost"' },
    { name: 'missing --kubeconfig', opts: { kubeconfig: join(dir, 'missing') }, want: `stat ${join(dir, 'missing')}: no such file or directory` },
    { name: 'nothing at all', opts: { env: {}, homeDir: dir, inClusterRoot: dir }, want: errEmptyConfig },
  ];
  for (const c of cases) assert.throws(() => loadClientConfig(c.opts), { message: c.want }, c.name);
});
