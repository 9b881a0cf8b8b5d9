import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import { registryReader } from '../object-reader.js';
import { newNamespaceAutoProvision } from './namespace-auto-provision.js';

test('a create in a missing namespace creates it first (not on dry run)', async () => {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newNamespaceAutoProvision({ reader: registryReader(server.registries), registries: server.registries })]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const dry = await server.request('POST', '/api/v1/namespaces/later/configmaps?dryRun=All', { body: cm });
    assert.equal(dry.status, 404, dry.text);
    const res = await server.request('POST', '/api/v1/namespaces/fresh/configmaps', { body: cm });
    assert.equal(res.status, 201, res.text);
    assert.equal((await server.request('GET', '/api/v1/namespaces/fresh')).json.status.phase, 'Active');
  } finally {
    server.close();
  }
});
