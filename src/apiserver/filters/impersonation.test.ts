// Impersonation headers: what each asks for, in upstream's order, and that applied headers are consumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../apimachinery/errors.js';
import type { Attributes, Authorizer } from '../authorization/interface.js';
import { impersonate, impersonationRequests } from './impersonation.js';

test('impersonationRequests reads the headers in upstream order', () => {
  const cases: Array<{ name: string; headers: Record<string, string | string[]>; want: string[] }> = [
    { name: 'none', headers: { authorization: 'Bearer x' }, want: [] },
    { name: 'user', headers: { 'impersonate-user': 'bob' }, want: ['users//bob'] },
    { name: 'service account', headers: { 'impersonate-user': 'system:serviceaccount:ns:sa' }, want: ['serviceaccounts/ns/sa'] },
    { name: 'malformed service account name is a user', headers: { 'impersonate-user': 'system:serviceaccount:ns' }, want: ['users//system:serviceaccount:ns'] },
    {
      name: 'everything',
      headers: { 'impersonate-uid': 'u1', 'impersonate-extra-b': 'y', 'impersonate-extra-a%2Fz': ['x1', 'x2'], 'impersonate-group': ['g1', 'g2, g3'], 'impersonate-user': 'bob' },
      want: ['users//bob', 'groups//g1', 'groups//g2', 'groups//g3', 'userextras/a/z/x1', 'userextras/a/z/x2', 'userextras/b/y', 'uids//u1'],
    },
  ];
  for (const c of cases) {
    const got = impersonationRequests(c.headers).map((r) => (r.resource === 'userextras' ? `userextras/${r.subresource}/${r.name}` : `${r.resource}/${r.namespace}/${r.name}`));
    assert.deepEqual(got, c.want, c.name);
  }
});

test('impersonationRequests: groups, extras or a uid without a user are a 500', () => {
  for (const headers of [{ 'impersonate-group': 'g' }, { 'impersonate-extra-k': 'v' }, { 'impersonate-uid': 'u' }]) {
    assert.throws(() => impersonationRequests(headers), (err: unknown) => isStatusError(err) && err.code === 500, JSON.stringify(headers));
  }
});

test('impersonate authorizes each part, then consumes the headers', async () => {
  const asked: Attributes[] = [];
  const authorizer: Authorizer = {
    async authorize(a) {
      asked.push(a);
      return { decision: 'allow', reason: '' };
    },
  };
  const headers: Record<string, string | string[] | undefined> = { authorization: 'Bearer t', 'impersonate-user': 'bob', 'impersonate-group': 'dev', 'impersonate-extra-scope': 'read' };
  const user = await impersonate({ requestor: { name: 'alice', groups: ['system:authenticated'] }, headers, authorizer });
  assert.deepEqual(user, { name: 'bob', groups: ['dev', 'system:authenticated'], extra: { scope: ['read'] } });
  assert.deepEqual(
    asked.map((a) => [a.user.name, a.verb, a.apiGroup, a.resource, a.subresource, a.name]),
    [
      ['alice', 'impersonate', '', 'users', '', 'bob'],
      ['alice', 'impersonate', '', 'groups', '', 'dev'],
      ['alice', 'impersonate', 'authentication.k8s.io', 'userextras', 'scope', 'read'],
    ],
  );
  assert.deepEqual(headers, { authorization: 'Bearer t' });
});
