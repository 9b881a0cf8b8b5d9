// --token-auth-file: Go-compatible CSV records, upstream's column rules, and token lookups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCSV, TokenFileAuthenticator } from './token-file.js';

test('parseCSV splits records as encoding/csv does', () => {
  const cases: Array<{ text: string; want: string[][] | RegExp }> = [
    { text: 'a,b,c\n', want: [['a', 'b', 'c']] },
    { text: 'a,b,c', want: [['a', 'b', 'c']] },
    { text: 'a,b,c\r\nd,e,f\r\n', want: [['a', 'b', 'c'], ['d', 'e', 'f']] },
    { text: '\n\na,b\n\n', want: [['a', 'b']] },
    { text: 't,u,1,"g1,g2"\n', want: [['t', 'u', '1', 'g1,g2']] },
    { text: '"say ""hi""",x\n', want: [['say "hi"', 'x']] },
    { text: '"multi\nline",x', want: [['multi\nline', 'x']] },
    { text: 'a,,c', want: [['a', '', 'c']] },
    { text: 'a,b"c', want: /bare " in non-quoted-field/ },
    { text: '"open,x', want: /extraneous or missing " in quoted-field/ },
    { text: '"a"b,c', want: /extraneous or missing " in quoted-field/ },
  ];
  for (const c of cases) {
    if (c.want instanceof RegExp) assert.throws(() => parseCSV(c.text), c.want, JSON.stringify(c.text));
    else assert.deepEqual(parseCSV(c.text), c.want, JSON.stringify(c.text));
  }
});

test('TokenFileAuthenticator maps tokens to users with uid and groups', async () => {
  const a = TokenFileAuthenticator.fromCSV('\uFEFFsecret1,alice,1001,"dev,ops"\nsecret2,bob,1002\n,nobody,0\nsecret2,bob2,1003\n', 'tokens.csv');
  const cases: Array<{ token: string; want: unknown }> = [
    { token: 'secret1', want: { user: { name: 'alice', uid: '1001', groups: ['dev', 'ops'] } } },
    { token: 'secret2', want: { user: { name: 'bob2', uid: '1003', groups: [] } } },
    { token: 'nope', want: undefined },
    { token: '', want: undefined },
  ];
  for (const c of cases) assert.deepEqual(await a.authenticateToken(c.token), c.want, c.token);
  // Callers may add groups to what they get; the next lookup is unaffected.
  const r = await a.authenticateToken('secret1');
  assert.ok(r && 'user' in r);
  r.user.groups.push('system:authenticated');
  assert.deepEqual(await a.authenticateToken('secret1'), { user: { name: 'alice', uid: '1001', groups: ['dev', 'ops'] } });
});

test('TokenFileAuthenticator refuses records with fewer than three columns', () => {
  assert.throws(() => TokenFileAuthenticator.fromCSV('tok,user\n', '/etc/tokens.csv'), { message: "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2" });
});
