// `k8ts up` end to end with the real program and real kubectl: it becomes ready and writes a usable
// kubeconfig, restarts a killed apiserver, refuses a second supervisor on the same data dir, and leaves
// no process behind on SIGTERM — or when the supervisor itself is killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '../base/wait.js';
import { startEtcd } from '../storage/testing/etcd-process.js';

const bin = new URL('../../bin/k8ts', import.meta.url).pathname;
const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL that tolerates the process having exited meanwhile (ESRCH): cleanup races the children's own exit. */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** A running `k8ts up` with its captured output. */
interface Up {
  child: ChildProcess;
  dataDir: string;
  port: number;
  out(): string;
  err(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** PIDs of the kube-apiserver children in order of the supervisor's Ready lines. */
  readyPids(): number[];
  /** Every child PID the supervisor reported. */
  allPids(): number[];
}

function startUp(dataDir: string, port: number, componentPorts: { controllerManager: number; scheduler: number }, extraArgs: string[] = []): Up {
  const args = [
    'up',
    `--data-dir=${dataDir}`,
    `--secure-port=${port}`,
    `--controller-manager-port=${componentPorts.controllerManager}`,
    `--scheduler-port=${componentPorts.scheduler}`,
    // ECDSA keys: the PKI is generated in well under a second, even on a loaded machine.
    '--key-algorithm=ecdsa',
    '--shutdown-grace-period=5s',
    ...extraArgs,
  ];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return {
    child,
    dataDir,
    port,
    out: () => out,
    err: () => err,
    exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>,
    readyPids: () => [...err.matchAll(/component="kube-apiserver" phase="Ready" pid=(\d+)/g)].map((m) => Number(m[1])),
    allPids: () => [...err.matchAll(/component="[^"]+" phase="(?:Starting|Ready)" pid=(\d+)/g)].map((m) => Number(m[1])),
  };
}

async function withUp(fn: (up: Up) => Promise<void>, extraArgs: string[] = []): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-up-'));
  const up = startUp(dataDir, await pickPort(), { controllerManager: await pickPort(), scheduler: await pickPort() }, extraArgs);
  try {
    await poll({ intervalMs: 100, timeoutMs: 60_000 }, () => {
      if (up.child.exitCode !== null) throw new Error(`k8ts up exited early:\n${up.err()}`);
      return up.out().includes('k8ts is up');
    });
    await fn(up);
  } finally {
    for (const pid of up.allPids()) killIfAlive(pid);
    if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

function kubectlGetNs(dataDir: string): { status: number | null; stdout: string; stderr: string } {
  return kubectlRun(dataDir, ['get', 'ns', '-o', 'name']);
}

function kubectlRun(dataDir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(kubectl, args, {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, KUBECONFIG: join(dataDir, 'admin.conf') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('k8ts up becomes ready, kubectl works with admin.conf, a killed apiserver is restarted, SIGTERM stops all', async () => {
  await withUp(async (up) => {
    assert.match(up.out(), new RegExp(`export KUBECONFIG=${join(up.dataDir, 'admin.conf')}\\n {2}kubectl get ns`));
    const first = kubectlGetNs(up.dataDir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^namespace\/default$/m);

    const [pid1] = up.readyPids();
    assert.ok(pid1 && alive(pid1));
    process.kill(pid1, 'SIGKILL');
    await poll({ intervalMs: 100, timeoutMs: 60_000 }, () => up.readyPids().length >= 2);
    const pid2 = up.readyPids()[1]!;
    assert.notEqual(pid2, pid1);
    assert.match(up.err(), /phase="CrashLoopBackOff" restarts=1 message="killed by SIGKILL; restarting in/);
    const again = kubectlGetNs(up.dataDir);
    assert.equal(again.status, 0, again.stderr);

    up.child.kill('SIGTERM');
    const [code] = await up.exited;
    assert.equal(code, 0, up.err());
    assert.equal(alive(pid2), false, 'the apiserver child is gone');
    assert.match(up.err(), /phase="Stopped"/);
  });
});

test('the tutorial moment under k8ts up: a Deployment becomes Pods that stay Pending until a Node exists, then are bound', async () => {
  await withUp(async (up) => {
    const created = kubectlRun(up.dataDir, ['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    assert.equal(created.status, 0, created.stderr);
    // The controller manager (as its per-controller service accounts, under Node,RBAC) makes a ReplicaSet and
    // two Pods; ServiceAccount admission lets them in once the serviceaccount controller made `default`.
    const pods = () => kubectlRun(up.dataDir, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}']);
    await poll({ intervalMs: 250, timeoutMs: 60_000 }, () => pods().stdout.trim().split('\n').filter(Boolean).length === 2);
    assert.match(pods().stdout, /^web-[a-z0-9]+-[a-z0-9]{5} $/m, 'pods exist but are not bound');
    await poll({ intervalMs: 250, timeoutMs: 60_000 }, () =>
      kubectlRun(up.dataDir, ['get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']).stdout.includes('no nodes available to schedule pods'),
    );
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }] },
    };
    const r = spawnSync(kubectl, ['create', '-f', '-'], { input: JSON.stringify(node), encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: join(up.dataDir, 'admin.conf') } });
    assert.equal(r.status, 0, r.stderr);
    await poll({ intervalMs: 250, timeoutMs: 60_000 }, () => pods().stdout.trim().split('\n').every((l) => l.endsWith(' n1')));
  });
});

test('a second k8ts up on the same data dir refuses to start; killing the supervisor stops its children', async () => {
  await withUp(async (up) => {
    const second = spawnSync(bin, ['up', `--data-dir=${up.dataDir}`, `--secure-port=${await pickPort()}`], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(second.status, 1);
    assert.match(second.stderr, /another k8ts up \(pid \d+\) is using/);

    const [pid] = up.readyPids();
    up.child.kill('SIGKILL'); // no chance to clean up: the child must notice its stdin closing
    await up.exited;
    await poll({ intervalMs: 100, timeoutMs: 30_000 }, () => !alive(pid!));
  });
});

test('k8ts up --etcd-servers keeps the cluster in etcd under /registry', async () => {
  const etcd = await startEtcd();
  try {
    await withUp(
      async (up) => {
        const created = kubectlRun(up.dataDir, ['create', 'namespace', 'in-etcd']);
        assert.equal(created.status, 0, created.stderr);
        const r = spawnSync('etcdctl', ['--endpoints', etcd.endpoints.join(','), 'get', '--prefix', '--keys-only', '/registry/namespaces/'], {
          encoding: 'utf8',
          timeout: 30_000,
          env: { ...process.env, ETCDCTL_API: '3' },
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^\/registry\/namespaces\/in-etcd$/m);
        assert.match(r.stdout, /^\/registry\/namespaces\/kube-system$/m);
      },
      [`--etcd-servers=${etcd.endpoints.join(',')}`],
    );
  } finally {
    await etcd.stop();
  }
});
