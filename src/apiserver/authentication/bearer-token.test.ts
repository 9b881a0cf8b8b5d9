// Bearer tokens: header parsing, the token union, audience-agnostic wrapping and the request authenticator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudienceAgnosticTokenAuthenticator, BearerTokenAuthenticator, bearerTokenOf, UnionTokenAuthenticator, WebSocketProtocolAuthenticator } from './bearer-token.js';
import type { AuthenticationResult, TokenAuthenticator } from './interface.js';

/** Accepts `token` as `name`; answers `error` for `bad`; does not know anything else. */
function fixed(token: string, name: string, bad?: string): TokenAuthenticator {
  return {
    async authenticateToken(t: string): Promise<AuthenticationResult> {
      if (t === token) return { user: { name, groups: [] } };
      if (bad !== undefined && t === bad) return { error: `${name} rejects ${t}` };
      return undefined;
    },
  };
}

test('bearerTokenOf reads the token of an Authorization header', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer abc extra', 'abc'],
    ['Bearer', undefined],
    ['Bearer  abc', undefined],
    ['Basic YWxpY2U6cHc=', undefined],
    ['abc', undefined],
    ['\u0000\u0001garbage', undefined],
  ];
  for (const [header, want] of cases) assert.equal(bearerTokenOf(header), want, JSON.stringify(header));
});

test('UnionTokenAuthenticator: first acceptance wins, errors are kept, silence is undefined', async () => {
  const u = new UnionTokenAuthenticator([fixed('a', 'first', 'x'), fixed('a', 'second'), fixed('b', 'third', 'x')]);
  assert.deepEqual(await u.authenticateToken('a'), { user: { name: 'first', groups: [] } });
  assert.deepEqual(await u.authenticateToken('b'), { user: { name: 'third', groups: [] } });
  assert.deepEqual(await u.authenticateToken('x'), { error: '[first rejects x, third rejects x]' });
  assert.equal(await u.authenticateToken('zzz'), undefined);
});

test('AudienceAgnosticTokenAuthenticator accepts only requests for the API audiences', async () => {
  const a = new AudienceAgnosticTokenAuthenticator(fixed('t', 'alice'), ['api', 'k8s']);
  assert.deepEqual(await a.authenticateToken('t'), { user: { name: 'alice', groups: [] } });
  assert.deepEqual(await a.authenticateToken('t', ['k8s', 'other']), { user: { name: 'alice', groups: [] }, audiences: ['k8s'] });
  assert.equal(await a.authenticateToken('t', ['vault']), undefined);
  const noAudiences = new AudienceAgnosticTokenAuthenticator(fixed('t', 'alice'), []);
  assert.deepEqual(await noAudiences.authenticateToken('t', ['vault']), { user: { name: 'alice', groups: [] } });
});

test('BearerTokenAuthenticator: no header is no credential; an unknown token is an error', async () => {
  const b = new BearerTokenAuthenticator(fixed('good', 'alice'));
  const req = (authorization?: string) => ({ method: 'GET', path: '/api', query: new URLSearchParams(), headers: { authorization } });
  assert.equal(await b.authenticate(req()), undefined);
  assert.equal(await b.authenticate(req('Basic abc')), undefined);
  const accepted = req('Bearer good');
  assert.deepEqual(await b.authenticate(accepted), { user: { name: 'alice', groups: [] } });
  assert.equal(accepted.headers.authorization, undefined, 'an accepted token leaves the request');
  assert.deepEqual(await b.authenticate(req('Bearer bad')), { error: 'invalid bearer token' });
  assert.deepEqual(await b.authenticate(req(`Bearer ${'x'.repeat(1 << 20)}`)), { error: 'invalid bearer token' });
});

test('WebSocketProtocolAuthenticator reads the token from Sec-WebSocket-Protocol of upgrade requests', async () => {
  const w = new WebSocketProtocolAuthenticator(fixed('good', 'alice'));
  const ws = (protocol: string | undefined, upgrade = true) => ({
    method: 'GET',
    path: '/api/v1/namespaces/default/pods/p/exec',
    query: new URLSearchParams(),
    headers: { ...(upgrade ? { connection: 'Upgrade', upgrade: 'websocket' } : {}), 'sec-websocket-protocol': protocol },
  });
  const token = (t: string) => `base64url.bearer.authorization.k8s.io.${Buffer.from(t).toString('base64url')}`;
  const cases: Array<{ name: string; protocol?: string; upgrade?: boolean; want: unknown }> = [
    { name: 'not a websocket request', protocol: `${token('good')}, v4.channel.k8s.io`, upgrade: false, want: undefined },
    { name: 'no token protocol', protocol: 'v4.channel.k8s.io', want: undefined },
    { name: 'good', protocol: `${token('good')}, v4.channel.k8s.io`, want: { user: { name: 'alice', groups: [] } } },
    { name: 'unknown token', protocol: `${token('bad')}, v4.channel.k8s.io`, want: { error: 'invalid bearer token' } },
    { name: 'token without another protocol', protocol: token('good'), want: { error: 'missing additional subprotocol' } },
    { name: 'two tokens', protocol: `${token('good')}, ${token('good')}, v4.channel.k8s.io`, want: { error: 'multiple base64.bearer.authorization tokens specified' } },
    { name: 'bad base64url', protocol: 'base64url.bearer.authorization.k8s.io.a+b/, v4.channel.k8s.io', want: { error: 'invalid base64.bearer.authorization token encoding' } },
    { name: 'not UTF-8', protocol: `base64url.bearer.authorization.k8s.io.${Buffer.from([0xff, 0xfe]).toString('base64url')}, v4.channel.k8s.io`, want: { error: 'invalid base64.bearer.authorization token' } },
  ];
  for (const c of cases) assert.deepEqual(await w.authenticate(ws(c.protocol, c.upgrade)), c.want, c.name);
  const accepted = ws(`${token('good')}, v4.channel.k8s.io`);
  await w.authenticate(accepted);
  assert.equal(accepted.headers['sec-websocket-protocol'], 'v4.channel.k8s.io', 'the token protocol is removed');
});
