// The k8ts program end to end: dispatch through a kube-apiserver symlink, and `k8ts apiserver` serving
// until SIGTERM, then ending open watches and exiting 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '../base/wait.js';

const bin = new URL('../../bin/k8ts', import.meta.url).pathname;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-main-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
function pickPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function httpsGetStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

test('a symlink named kube-apiserver runs the apiserver command', async () => {
  await withDir(async (dir) => {
    const link = join(dir, 'kube-apiserver');
    await symlink(bin, link);
    const cases: { args: string[]; status: number; stdout?: RegExp; stderr?: RegExp }[] = [
      { args: ['--help'], status: 0, stdout: /^Usage:\n {2}kube-apiserver \[flags\]\n\nFlags:\n.*--etcd-servers strings/ms },
      { args: ['--foo'], status: 2, stderr: /^Error: unknown flag: --foo\n/ },
      { args: ['--secure-port=x'], status: 2, stderr: /invalid argument "x" for "--secure-port" flag/ },
    ];
    for (const c of cases) {
      const r = spawnSync(link, c.args, { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, c.status, `${c.args.join(' ')}: ${r.stderr}`);
      if (c.stdout) assert.match(r.stdout, c.stdout);
      if (c.stderr) assert.match(r.stderr, c.stderr);
    }
    // The same command through the first argument.
    const direct = spawnSync(bin, ['apiserver', '--help'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(direct.status, 0);
    assert.match(direct.stdout, /kube-apiserver \[flags\]/);
  });
});

test('k8ts apiserver serves until SIGTERM, then ends watches and exits 0', async () => {
  await withDir(async (dir) => {
    const port = await pickPort();
    const child = spawn(bin, ['apiserver', `--data-dir=${dir}`, '--datastore-endpoint=memory://', '--bind-address=127.0.0.1', `--secure-port=${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    try {
      await poll({ intervalMs: 100, timeoutMs: 30_000 }, async () => {
        if (child.exitCode !== null) throw new Error(`apiserver exited: ${stderr}`);
        return (await httpsGetStatus(port, '/readyz')) === 200;
      });
      // An open watch must be ended by the shutdown, not keep the process alive.
      const watchEnded = new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/v1/namespaces?watch=true', rejectUnauthorized: false }, (res) => {
          assert.equal(res.statusCode, 200);
          res.resume();
          res.on('close', () => resolve());
          setImmediate(() => child.kill('SIGTERM'));
        });
        req.on('error', () => resolve()); // a reset also ends it
        req.on('timeout', () => reject(new Error('watch did not start')));
        req.end();
      });
      await watchEnded;
      const [code] = await exited;
      assert.equal(code, 0, stderr);
      assert.match(stderr, /Shutting down component="kube-apiserver" reason="received SIGTERM"/);
      assert.match(stderr, /Stopped component="kube-apiserver"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
