// End to end over raw HTTP: how `k8ts apiserver` opens watch streams, seen from a client socket (what
// client-go's Watch() waits for before it returns to a reflector or `kubectl get -w`).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { APIClient } from '../harness/api-client.js';
import { startAPIServer } from '../harness/apiserver-process.js';

test('a watch on a quiet collection answers 200 with headers before any event', async (t) => {
  const server = await startAPIServer({ backend: 'memory', insecurePort: true });
  t.after(() => server.stop());
  for (const transport of ['https (secure port)', 'http (insecure lab port)']) {
    await t.test(transport, async (t) => {
      const client = transport.startsWith('https') ? new APIClient({ baseURL: server.url, caPEM: server.caPEM }) : server.client();
      t.after(() => client.close());
      await quietWatchAnswersAtOnce(t, client, transport.startsWith('https') ? 'quiet-tls' : 'quiet-plain');
    });
  }
});

async function quietWatchAnswersAtOnce(t: TestContext, client: APIClient, ns: string): Promise<void> {
  await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } }, expected: [201] });
  const list = await client.expectJSON<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps`, expected: [200] });

  const stop = new AbortController();
  t.after(() => stop.abort());
  const lines: string[] = [];
  const opened = client.openStream({
    path: `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    signal: stop.signal,
    onLine: (line) => lines.push(line),
  });
  const status = await Promise.race([opened.then((o) => o.status), new Promise<string>((r) => setTimeout(() => r('no headers within 3 s'), 3000).unref())]);
  assert.equal(status, 200, 'upstream flushes the status line and headers as soon as the watch is registered');
  assert.deepEqual(lines, [], 'no events yet');

  // And the stream then carries the first change.
  await client.expectJSON({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: { metadata: { name: 'first' } }, expected: [201] });
  for (let waited = 0; lines.length === 0; waited += 10) {
    assert.ok(waited < 5000, 'the ADDED event did not arrive');
    await new Promise((r) => setTimeout(r, 10));
  }
  const event = JSON.parse(lines[0]!);
  assert.equal(event.type, 'ADDED');
  assert.equal(event.object.metadata.name, 'first');
}
