// The kubeconfig the harness writes is read by the real kubectl as intended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from './kubeconfig.js';
import { kubectl } from './kubectl.js';

test('kubectl reads the harness kubeconfig', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const cases = [
    { name: 'with a CA', caPEM: pem, jsonpath: '{.clusters[0].cluster.certificate-authority-data}', want: 'DATA+OMITTED' },
    { name: 'without a CA', caPEM: undefined, jsonpath: '{.clusters[0].cluster.insecure-skip-tls-verify}', want: 'true' },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const path = join(dir, `${c.name.replace(/ /g, '-')}.yaml`);
      await writeKubeconfig({ path, server: 'https://127.0.0.1:6443', caPEM: c.caPEM });
      for (const version of ['1.27', '1.33'] as const) {
        const server = await kubectl({ version, kubeconfig: path, args: ['config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'] });
        assert.equal(server.code, 0, server.stderr);
        assert.equal(server.stdout, 'https://127.0.0.1:6443');
        const field = await kubectl({ version, kubeconfig: path, args: ['config', 'view', '-o', `jsonpath=${c.jsonpath}`] });
        assert.equal(field.code, 0, field.stderr);
        assert.equal(field.stdout, c.want);
        const token = await kubectl({ version, kubeconfig: path, args: ['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'] });
        assert.equal(token.stdout, 'k8ts-e2e', 'a user with credentials, so kubectl never prompts for a username');
      }
    });
  }
});
