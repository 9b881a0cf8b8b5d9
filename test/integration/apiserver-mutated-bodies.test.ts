// Bad input never crashes the apiserver: valid objects of many kinds (a CRD and its custom resource among them)
// with one node replaced by an arbitrary JSON value, sent as create, update, merge, strategic-merge and apply
// patches. Every answer is a Kubernetes Status below 500, except the plain errors upstream itself answers with
// 500 (strategic merge and apply on list items of the wrong shape, whose messages match upstream's). A fixed
// seed keeps CI repeatable; MUTATED_BODIES_RUNS=5000 (and another MUTATED_BODIES_SEED) explores further.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { isStreamResponse } from '../../src/apiserver/endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { seedObjects } from '../testdata/seed-objects.js';

const runs = Number(process.env.MUTATED_BODIES_RUNS ?? 40);

/** Upstream's own 500s for patches whose list items have the wrong shape (plain errors, no reason). */
const upstreamPlain500 = /list element types are not identical|does not contain declared merge key|failed to create typed patch object|unable to find api field in struct/;

let server: APIServer;
const ac = new AbortController();

async function call(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const u = new URL(path, 'http://x');
  const res = await server.handler(
    { method, path: u.pathname, query: u.searchParams, headers: { 'content-type': contentType }, body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)) },
    new AbortController().signal,
  );
  assert.ok(!isStreamResponse(res));
  return { status: res.status, text: String(res.body) };
}

/** Every path into `v` (the root included), for choosing what to replace. */
function pathsOf(v: unknown, p: string[] = [], out: string[][] = []): string[][] {
  out.push(p);
  if (v && typeof v === 'object') for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...p, k], out);
  return out;
}

function replaced(obj: unknown, p: string[], value: unknown): unknown {
  if (p.length === 0) return value;
  const copy = structuredClone(obj) as Record<string, unknown>;
  let cur = copy;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[p[p.length - 1]!] = value;
  return copy;
}

const verbs = ['POST', 'PUT', 'merge', 'strategic', 'apply'] as const;
const patchTypes = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', apply: 'application/apply-patch+yaml' };

before(async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  // No controller manager here: pods need the default service account to exist.
  await call('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
});
after(async () => {
  await server.close();
  ac.abort();
});

for (const [path, seed] of Object.entries(seedObjects)) {
  test(`mutated ${String(seed.kind)} bodies get a Status, never a crash`, async () => {
    if (path.startsWith('/apis/x.io/')) {
      // The custom resource's CRD is the seed before it; wait until it is served.
      for (let i = 0; i < 500 && (await call('GET', path, undefined)).status === 404; i++) await new Promise((r) => setTimeout(r, 10));
    }
    const name = (seed.metadata as { name: string }).name;
    assert.equal((await call('POST', path, seed)).status, 201, 'the seed object itself is valid');
    const paths = pathsOf(seed);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.nat(paths.length - 1), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...verbs), async (i, value, verb) => {
        const body = replaced(seed, paths[i]!, value);
        const res =
          verb === 'POST'
            ? await call('POST', path, body)
            : verb === 'PUT'
              ? await call('PUT', `${path}/${name}`, body)
              : await call('PATCH', `${path}/${name}${verb === 'apply' ? '?fieldManager=fuzz&force=true' : ''}`, body, patchTypes[verb]);
        const status = JSON.parse(res.text) as { kind?: string; message?: string };
        if (res.status >= 500 && !upstreamPlain500.test(status.message ?? '')) failures.push(`${verb} ${JSON.stringify(paths[i])}=${JSON.stringify(value).slice(0, 100)} → ${res.status} ${status.message}`);
        if (res.status >= 400 && status.kind !== 'Status') failures.push(`${verb} ${JSON.stringify(paths[i])}: ${res.status} without a Status body`);
      }),
      { numRuns: runs, seed: Number(process.env.MUTATED_BODIES_SEED ?? 20261122) },
    );
    assert.deepEqual(failures, []);
    assert.equal((await call('GET', `${path}/${name}`, undefined)).status, 200, 'the object is still readable');
  });
}
