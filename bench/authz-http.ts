// An allowed request over HTTPS against the real `k8ts apiserver --authorization-mode=Node,RBAC`: one GET of a
// ConfigMap, sequentially on one keep-alive connection, by a token user in system:masters (allowed by the
// first authorizer, which costs what AlwaysAllow does) and by a user RBAC allows through `view` among 1,000
// RoleBindings (Node says no opinion, RBAC evaluates). Prints JSON. Bounded: 3,000 requests of each kind or 40 s.
// (An AlwaysAllow server cannot be the baseline: AlwaysAllow turns anonymous auth off, as upstream, so the
// harness's anonymous /readyz probe never sees 200.)
// Run: node --import tsx bench/authz-http.ts
import { Agent, request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess } from '../test/harness/apiserver-process.js';
import { median, percentile, round } from './stats.js';

const maxRequests = 3000;
const maxSeconds = 20;

function send(server: APIServerProcess, agent: Agent, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.securePort, method, path, agent, ca: server.caPEM, rejectUnauthorized: !!server.caPEM, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

type Get = () => Promise<{ status: number; text: string }>;

/** Alternates the two request kinds in rounds of 250 so warm-up and neighbours' load hit both alike. */
async function measurePair(a: Get, b: Get): Promise<[Record<string, number>, Record<string, number>]> {
  for (let i = 0; i < 300; i++) await (i % 2 ? a : b)();
  const samples: [number[], number[]] = [[], []];
  const elapsed = [0, 0];
  const start = performance.now();
  for (let round = 0; samples[1].length < maxRequests && performance.now() - start < 2 * maxSeconds * 1000; round++) {
    const which = round % 2;
    const get = which ? b : a;
    const t = performance.now();
    for (let i = 0; i < 250; i++) {
      const t0 = performance.now();
      const r = await get();
      if (r.status !== 200) throw new Error(`GET answered ${r.status}: ${r.text}`);
      samples[which]!.push((performance.now() - t0) * 1000);
    }
    elapsed[which]! += (performance.now() - t) / 1000;
  }
  const summary = (xs: number[], secs: number) => ({ requests: xs.length, requestsPerSecond: round(xs.length / secs, 0), medianMicros: round(median(xs), 0), p99Micros: round(percentile(xs, 99), 0) });
  return [summary(samples[0], elapsed[0]!), summary(samples[1], elapsed[1]!)];
}

async function run(dir: string): Promise<Record<string, Record<string, number>>> {
  const server = await startAPIServer({ backend: 'memory', extraArgs: ['--authorization-mode=Node,RBAC', `--token-auth-file=${join(dir, 'tokens.csv')}`] });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const admin = (method: string, path: string, body?: unknown) => send(server, agent, method, path, 'admin-token', body);
    await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    await admin('POST', '/api/v1/namespaces/bench/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
    for (let i = 0; i < 1000; i++) {
      await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/bench/rolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `b-${i}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'User', name: i === 777 ? 'user' : `user-${i}` }],
      });
    }
    const get = (token: string) => () => send(server, agent, 'GET', '/api/v1/namespaces/bench/configmaps/c', token);
    // The binding reaches the authorizer through a watch: wait (bounded) until the user is allowed.
    for (let i = 0; i < 200 && (await get('user-token')()).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
    const [privilegedGroup, rbacView] = await measurePair(get('admin-token'), get('user-token'));
    return { privilegedGroup, rbacView };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-authz-'));
try {
  await writeFile(join(dir, 'tokens.csv'), 'admin-token,admin,1,"system:masters"\nuser-token,user,2\n');
  const { privilegedGroup, rbacView } = await run(dir);
  const report = {
    benchmark: 'authz-http',
    request: 'GET /api/v1/namespaces/bench/configmaps/c, token user, HTTPS keep-alive, sequential, --authorization-mode=Node,RBAC',
    privilegedGroup,
    rbacView,
    rbacOverheadMicrosMedian: round(rbacView.medianMicros! - privilegedGroup.medianMicros!, 0),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
