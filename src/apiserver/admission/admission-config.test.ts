import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newTestServer } from '../endpoints/testing/harness.js';
import { defaultAPIServerOptions } from '../options.js';
import { readAdmissionConfiguration } from './admission-config.js';
import { newAdmissionChain } from './chain.js';

test('AdmissionConfiguration: inline and path configurations; plugins that need one say so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-admission-'));
  const server = await newTestServer();
  const stop = new AbortController();
  try {
    await writeFile(join(dir, 'eventratelimit.yaml'), 'apiVersion: eventratelimit.admission.k8s.io/v1alpha1\nkind: Configuration\nlimits:\n- type: Namespace\n  qps: 5\n  burst: 10\n');
    const file = join(dir, 'admission.yaml');
    await writeFile(
      file,
      `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: baseline}
- name: EventRateLimit
  path: eventratelimit.yaml
`,
    );
    const configs = await readAdmissionConfiguration(file);
    assert.deepEqual((configs.get('PodSecurity') as { defaults: unknown }).defaults, { enforce: 'baseline' });
    assert.deepEqual((configs.get('EventRateLimit') as { limits: unknown }).limits, [{ type: 'Namespace', qps: 5, burst: 10 }]);
    assert.equal((await readAdmissionConfiguration(undefined)).size, 0);

    const ctx = (admissionControlConfigFile: string) => ({
      options: { ...defaultAPIServerOptions('/tmp'), enableAdmissionPlugins: ['EventRateLimit'], admissionControlConfigFile },
      registries: server.registries,
      store: server.store,
      signal: stop.signal,
    });
    const chain = await newAdmissionChain(ctx(file));
    assert.ok(chain.plugins.some((p) => p.name === 'EventRateLimit'));
    await assert.rejects(newAdmissionChain(ctx('')), /EventRateLimit: its configuration \(limits\) is required/);
  } finally {
    stop.abort();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
