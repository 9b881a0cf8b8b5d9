// The token cache: acceptances are remembered for the TTL per (token, audiences); failures never are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import type { AuthenticationResult, TokenAuthenticator } from './interface.js';
import { CachedTokenAuthenticator } from './token-cache.js';

function counting(): TokenAuthenticator & { calls: number; accept: boolean } {
  return {
    calls: 0,
    accept: true,
    async authenticateToken(token: string): Promise<AuthenticationResult> {
      this.calls++;
      return this.accept ? { user: { name: token, groups: ['g'] } } : { error: 'no' };
    },
  };
}

test('CachedTokenAuthenticator caches acceptances for the TTL only', async () => {
  const clock = new FakeClock();
  const inner = counting();
  const c = new CachedTokenAuthenticator(inner, { successTTLMs: 10_000, clock });
  const first = await c.authenticateToken('t');
  assert.ok(first && 'user' in first);
  first.user.groups.push('mutated by the caller');
  assert.deepEqual(await c.authenticateToken('t'), { user: { name: 't', groups: ['g'] } });
  assert.equal(inner.calls, 1);
  await c.authenticateToken('t', ['other-audience']);
  assert.equal(inner.calls, 2, 'audiences are part of the key');
  clock.step(10_001);
  inner.accept = false;
  assert.deepEqual(await c.authenticateToken('t'), { error: 'no' });
  assert.deepEqual(await c.authenticateToken('t'), { error: 'no' });
  assert.equal(inner.calls, 4, 'expired entries and failures go to the authenticator');
});

test('CachedTokenAuthenticator keeps at most maxEntries', async () => {
  const inner = counting();
  const c = new CachedTokenAuthenticator(inner, { successTTLMs: 10_000, maxEntries: 2, clock: new FakeClock() });
  for (const t of ['a', 'b', 'c']) await c.authenticateToken(t);
  await c.authenticateToken('c');
  assert.equal(inner.calls, 3);
  await c.authenticateToken('a');
  assert.equal(inner.calls, 4, 'the oldest entry was evicted');
});
