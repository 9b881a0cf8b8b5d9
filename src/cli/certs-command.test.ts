// `k8ts certs generate` and `k8ts kubeconfig` as commands: flags, exit codes, the lines they print, and the
// files they leave (their contents are tested in src/pki).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeClock } from '../base/clock.js';
import { withTempDir } from '../pki/testing/pki-tools.js';
import { runCerts, type ToolCommandIO } from './certs-command.js';
import { runKubeconfig } from './kubeconfig-command.js';

function io(home: string): ToolCommandIO & { out: string; err: string } {
  const r = { home, out: '', err: '', clock: new FakeClock(Date.now()), stdout: (t: string) => void (r.out += t), stderr: (t: string) => void (r.err += t) };
  return r;
}

test('certs generate then kubeconfig, with flags; a second run keeps everything', async () => {
  await withTempDir(async (dir) => {
    const a = io(dir);
    assert.equal(await runCerts(['generate', `--dir=${dir}/c`, '--node-name=worker-0', '--apiserver-sans=api.example.com,10.9.9.9', '--key-algorithm=ecdsa'], a), 0, a.err);
    assert.match(a.out, /^\[certs\] Generated pki\/ca\.crt$/m);
    assert.match(a.out, /^\[certs\] Generated pki\/kubelet-client-worker-0\.crt$/m);
    assert.deepEqual((await readdir(join(dir, 'c', 'pki', 'etcd'))).sort(), ['ca.crt', 'ca.key', 'healthcheck-client.crt', 'healthcheck-client.key', 'peer.crt', 'peer.key', 'server.crt', 'server.key']);

    const b = io(dir);
    assert.equal(await runKubeconfig([`--dir=${dir}/c`, '--server=https://127.0.0.1:6443', '--node-name=worker-0'], b), 0, b.err);
    assert.match(b.out, /^\[kubeconfig\] Wrote kubeconfig file kubelet\.conf$/m);

    const c = io(dir);
    assert.equal(await runCerts(['generate', `--dir=${dir}/c`, '--node-name=worker-0'], c), 0, c.err);
    assert.doesNotMatch(c.out, /Generated/);
    const d = io(dir);
    assert.equal(await runKubeconfig([`--dir=${dir}/c`, '--server=https://127.0.0.1:6443', '--node-name=worker-0'], d), 0, d.err);
    assert.match(d.out, /^\[kubeconfig\] Using existing kubeconfig file admin\.conf$/m);
  });
});

test('usage errors', async () => {
  await withTempDir(async (dir) => {
    const cases: Array<{ name: string; run: (x: ReturnType<typeof io>) => Promise<number>; code: number; err: RegExp }> = [
      { name: 'no subcommand: help', run: (x) => runCerts([], x), code: 0, err: /^$/ },
      { name: 'unknown subcommand', run: (x) => runCerts(['renew'], x), code: 2, err: /unknown command "renew" for "k8ts certs"/ },
      { name: 'bad key algorithm', run: (x) => runCerts(['generate', `--dir=${dir}`, '--key-algorithm=dsa'], x), code: 2, err: /key-algorithm/ },
      { name: 'kubeconfig without --server', run: (x) => runKubeconfig([`--dir=${dir}`], x), code: 2, err: /--server is required/ },
      { name: 'kubeconfig without a CA', run: (x) => runKubeconfig([`--dir=${dir}/empty`, '--server=https://127.0.0.1:6443'], x), code: 1, err: /ENOENT.*ca\.crt/ },
    ];
    for (const c of cases) {
      const x = io(dir);
      assert.equal(await c.run(x), c.code, c.name);
      assert.match(x.err, c.err, c.name);
    }
  });
});
