import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes } from '../authorization/interface.js';
import { requestAuthorizer } from './cel-authorizer.js';
import type { AdmissionAttributes } from './interface.js';
import { evaluateMatchConditions } from './webhook/match-conditions.js';
import type { Webhook } from './webhook/matching.js';

const attrs = {
  operation: 'CREATE',
  kind: { group: '', version: 'v1', kind: 'ConfigMap' },
  resource: { group: '', version: 'v1', resource: 'configmaps' },
  subresource: '',
  namespace: 'team',
  name: 'c',
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } },
  user: { name: 'alice', groups: ['devs', 'system:authenticated'] },
  dryRun: false,
} as AdmissionAttributes;

test('webhook matchConditions see the authorizer: a user allowed to bypass skips the webhook; a failing authorizer is errored()', async () => {
  const asked: Attributes[] = [];
  const authorizer = {
    async authorize(a: Attributes) {
      asked.push(a);
      if (a.verb === 'explode') throw new Error('webhook authorizer unreachable');
      return a.user.groups.includes('devs') && a.verb === 'bypass' ? { decision: 'allow' as const, reason: 'devs bypass' } : { decision: 'noOpinion' as const, reason: '' };
    },
  };
  const hook = (expression: string) => ({ name: 'w.example.com', matchConditions: [{ name: 'm', expression }] }) as unknown as Webhook;
  const run = (expression: string) => {
    const authz = requestAuthorizer(attrs, authorizer);
    return authz.withAuthorizations(() => evaluateMatchConditions(hook(expression), attrs, authz.value));
  };
  assert.deepEqual(await run("!authorizer.requestResource.subresource('bypass').check('bypass').allowed()"), { matches: false, failedCondition: 'm' });
  assert.deepEqual(asked.at(-1), { user: { name: 'alice', uid: undefined, groups: ['devs', 'system:authenticated'], extra: undefined }, verb: 'bypass', isResourceRequest: true, path: '', apiGroup: '', apiVersion: '*', resource: 'configmaps', subresource: 'bypass', namespace: 'team', name: 'c' });
  assert.deepEqual(await run("!authorizer.group('').resource('configmaps').check('create').allowed()"), { matches: true });
  assert.deepEqual(await run("authorizer.path('/x').check('explode').errored() && authorizer.path('/x').check('explode').error() == 'webhook authorizer unreachable'"), { matches: true });
  assert.deepEqual(await run("authorizer.group('').resource('pods').check('get').reason() == ''"), { matches: true });
  // Without an authorizer (none configured) every check is noOpinion.
  const none = requestAuthorizer(attrs, undefined);
  assert.deepEqual(await none.withAuthorizations(() => evaluateMatchConditions(hook("authorizer.path('/').check('get').allowed()"), attrs, none.value)), { matches: false, failedCondition: 'm' });
});
