// Cost of a PUT of /status and of /scale on a Deployment whose managedFields already hold an applier, through the
// in-process apiserver's handler (no sockets): µs per write, and the managedFields entries each write leaves.
// Run: node --import tsx bench/subresource-managed-fields.ts [--seconds=3]
import { startCRDTestServer } from '../src/apiserver/crd/cel-testing.js';
import { isStreamResponse } from '../src/apiserver/endpoints/resource-handler.js';
import { round } from './stats.js';

const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length) ?? 3);
const maxWrites = 20_000;
const path = '/apis/apps/v1/namespaces/default/deployments/web';

const t = await startCRDTestServer();
const send = async (method: string, url: string, body: unknown, contentType = 'application/json') => {
  const u = new URL(url, 'http://x');
  const res = await t.server.handler(
    { method, path: u.pathname, query: u.searchParams, headers: { 'content-type': contentType, 'user-agent': 'bench/v1.0' }, body: body === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(body)) },
    new AbortController().signal,
  );
  if (isStreamResponse(res) || res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${isStreamResponse(res) ? '' : String(res.body)}`);
  return JSON.parse(String(res.body));
};

/** Mean µs of `write(i)` over about `seconds` (bounded by maxWrites) after 50 warm-up writes. */
async function microsPerWrite(write: (i: number) => Promise<unknown>): Promise<{ micros: number; writes: number }> {
  for (let i = 0; i < 50; i++) await write(i);
  const budget = seconds * 1e9;
  const start = process.hrtime.bigint();
  let n = 0;
  while (Number(process.hrtime.bigint() - start) < budget && n < maxWrites) await write(n++);
  return { micros: round(Number(process.hrtime.bigint() - start) / n / 1000, 1), writes: n };
}

const labels = { app: 'web' };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
};
await send('PATCH', `${path}?fieldManager=deployer`, deployment, 'application/apply-patch+yaml');
const { metadata, ...stored } = await send('GET', path, undefined);
const { resourceVersion: _rv, ...unconditional } = metadata;

// Every write changes its field (alternating values), so each one is stored and tracked.
const status = await microsPerWrite((i) =>
  send('PUT', `${path}/status?fieldManager=status-writer`, { ...stored, metadata: unconditional, status: { observedGeneration: 1, replicas: 1 + (i % 2), updatedReplicas: 1 } }),
);
const scale = await microsPerWrite((i) =>
  send('PUT', `${path}/scale`, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 + (i % 2) } }),
);
const entries = ((await send('GET', path, undefined)).metadata.managedFields ?? []) as Array<{ manager: string; operation: string; subresource?: string }>;
t.stop();

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'subresource-managed-fields',
      statusPutMicros: status.micros,
      statusWrites: status.writes,
      scalePutMicros: scale.micros,
      scaleWrites: scale.writes,
      managedFieldsAfter: entries.map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`),
    },
    null,
    2,
  )}\n`,
);
