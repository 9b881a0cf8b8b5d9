// Bootstrap tokens: only a complete, unexpired, authentication-enabled kube-system secret accepts its token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import type { APIObject } from '../registry/strategy.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';

function secret(data: Record<string, string>, extra: Partial<APIObject> = {}): APIObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token', data: encoded, ...extra };
}

const good = { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true' };

test('bootstrap token outcomes', async () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const cases: Array<{ name: string; token?: string; secret?: APIObject; want: 'none' | RegExp | { name: string; groups: string[] } }> = [
    { name: 'good', secret: secret(good), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] } },
    { name: 'extra groups', secret: secret({ ...good, 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token' }), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token'] } },
    { name: 'bad extra group', secret: secret({ ...good, 'auth-extra-groups': 'system:masters' }), want: /bad auth-extra-groups/ },
    { name: 'not a bootstrap token shape', token: 'abcdef.short', secret: secret(good), want: 'none' },
    { name: 'no secret', want: 'none' },
    { name: 'wrong secret', token: 'abcdef.ffffffffffffffff', secret: secret(good), want: 'none' },
    { name: 'wrong type', secret: secret(good, { type: 'Opaque' }), want: 'none' },
    { name: 'authentication not enabled', secret: secret({ ...good, 'usage-bootstrap-authentication': 'false' }), want: 'none' },
    { name: 'expired', secret: secret({ ...good, expiration: '2026-11-22T07:59:59Z' }), want: 'none' },
    { name: 'not expired yet', secret: secret({ ...good, expiration: '2026-11-22T09:00:00Z' }), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] } },
    { name: 'unparsable expiration', secret: secret({ ...good, expiration: 'tomorrow' }), want: 'none' },
    { name: 'being deleted', secret: secret(good, { metadata: { name: 'bootstrap-token-abcdef', deletionTimestamp: '2026-11-22T07:00:00Z' } }), want: 'none' },
  ];
  for (const c of cases) {
    const a = new BootstrapTokenAuthenticator({ clock, getSecret: async (name) => (name === 'bootstrap-token-abcdef' ? c.secret : undefined) });
    const r = await a.authenticateToken(c.token ?? 'abcdef.0123456789abcdef');
    if (c.want === 'none') assert.equal(r, undefined, c.name);
    else if (c.want instanceof RegExp) {
      assert.ok(r && 'error' in r, c.name);
      assert.match(r.error, c.want, c.name);
    } else assert.deepEqual(r, { user: c.want }, c.name);
  }
});
