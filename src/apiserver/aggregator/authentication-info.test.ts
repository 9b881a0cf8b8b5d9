import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAPIServerOptions } from '../options.js';
import { authenticationInfo } from './authentication-info.js';

test('authenticationInfo: what extension apiservers are told, only for what is configured', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-authn-info-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'ca.crt'), 'CLIENT CA\n');
  await writeFile(join(dir, 'front-proxy-ca.crt'), 'FRONT PROXY CA\n');
  const base = defaultAPIServerOptions('/nonexistent');
  const cases: Array<{ name: string; opts: Partial<typeof base>; want: Record<string, string> }> = [
    { name: 'nothing configured', opts: {}, want: {} },
    { name: 'client CA only', opts: { clientCAFile: join(dir, 'ca.crt') }, want: { 'client-ca-file': 'CLIENT CA\n' } },
    {
      name: 'kubeadm front proxy',
      opts: {
        requestheaderClientCAFile: join(dir, 'front-proxy-ca.crt'),
        requestheaderAllowedNames: ['front-proxy-client'],
        requestheaderUsernameHeaders: ['X-Remote-User'],
        requestheaderGroupHeaders: ['X-Remote-Group'],
        requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'],
      },
      want: {
        'requestheader-client-ca-file': 'FRONT PROXY CA\n',
        'requestheader-username-headers': '["X-Remote-User"]',
        'requestheader-uid-headers': '[]',
        'requestheader-group-headers': '["X-Remote-Group"]',
        'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
        'requestheader-allowed-names': '["front-proxy-client"]',
      },
    },
  ];
  for (const c of cases) assert.deepEqual(await authenticationInfo({ ...base, ...c.opts }), c.want, c.name);
});
