// Test support for admission policies: an in-process REST core whose admission chain is one policy plugin,
// with namespaces `test` and `prod` labelled `environment=<name>`, and a helper creating configuration objects.
import assert from 'node:assert/strict';
import { newTestServer, type TestServer } from '../../endpoints/testing/harness.js';
import type { Registries } from '../../registry/generic/registries.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import type { AdmissionPlugin } from '../interface.js';
import { registryReader, type ObjectReader } from '../object-reader.js';

/** Runs `fn` against a server whose admission is the plugin `newPlugin` makes; closes it afterwards. */
export async function withPolicyPlugin(newPlugin: (o: { registries: Registries; reader: ObjectReader }) => AdmissionPlugin, fn: (server: TestServer) => Promise<void>): Promise<void> {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['default', 'test', 'prod'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newPlugin({ registries: server.registries, reader: registryReader(server.registries) })]);
    for (const [ns, env] of [['test', 'test'], ['prod', 'prod']]) {
      await server.request('PATCH', `/api/v1/namespaces/${ns}`, { body: { metadata: { labels: { environment: env } } }, headers: { 'content-type': 'application/merge-patch+json' } });
    }
    await fn(server);
  } finally {
    server.close();
  }
}

/** Creates an admissionregistration.k8s.io/v1 object (`plural`: e.g. validatingadmissionpolicies); asserts 201. */
export async function createPolicyObject(server: TestServer, plural: string, body: Record<string, unknown>): Promise<void> {
  const res = await server.request('POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, { body: { apiVersion: 'admissionregistration.k8s.io/v1', ...body } });
  assert.equal(res.status, 201, res.text);
}
