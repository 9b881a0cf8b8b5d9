import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newForbidden, StatusError } from '../../apimachinery/errors.js';
import { unsecuredUser } from '../authentication/interface.js';
import type { AdmissionRequest } from '../endpoints/resource-handler.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import { AdmissionChain } from './chain.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

/** A plugin that records its calls into `log`. */
function recorder(name: string, log: string[], opts: { reinvoke?: boolean; fail?: StatusError } = {}): AdmissionPlugin {
  return {
    name,
    handles: (op) => op !== 'CONNECT',
    async admit(attrs) {
      log.push(`${name}.admit${attrs.reinvocation?.isReinvoke ? '#2' : ''}`);
      if (opts.reinvoke && !attrs.reinvocation!.isReinvoke) attrs.reinvocation!.shouldReinvoke = true;
      attrs.addWarning?.(`${name} was here`);
    },
    async validate() {
      log.push(`${name}.validate`);
      if (opts.fail) throw opts.fail;
    },
  };
}

const registry = { resource: { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' } } as unknown as GenericRegistry;
const request: AdmissionRequest = { registry, user: unsecuredUser, namespace: 'ns', name: '', subresource: '', dryRun: false, options: { kind: 'CreateOptions' } };

test('mutating plugins run in order, then validating ones; a reinvocation request runs the mutating pass again', async () => {
  const cases = [
    { reinvoke: false, want: ['a.admit', 'b.admit', 'a.validate', 'b.validate'] },
    { reinvoke: true, want: ['a.admit', 'b.admit', 'a.admit#2', 'b.admit#2', 'a.validate', 'b.validate'] },
  ];
  for (const c of cases) {
    const log: string[] = [];
    const chain = new AdmissionChain([recorder('a', log), recorder('b', log, { reinvoke: c.reinvoke })]);
    const hooks = chain.hooksFor(request);
    await hooks.mutate({ metadata: { name: 'd' } }, undefined);
    await hooks.validate({ metadata: { name: 'd' } }, undefined);
    assert.deepEqual(log, c.want);
    assert.deepEqual(hooks.warnings, ['299 - "a was here"', '299 - "b was here"']);
  }
});

test('a plugin StatusError reaches the caller as is and stops the chain', async () => {
  const log: string[] = [];
  const denied = newForbidden({ group: 'apps', resource: 'deployments' }, 'd', 'nope');
  const chain = new AdmissionChain([recorder('a', log, { fail: denied }), recorder('b', log)]);
  await assert.rejects(chain.hooksFor(request).validate({ metadata: { name: 'd' } }, undefined), (err) => err === denied);
  assert.deepEqual(log, ['a.validate']);
});

test('attributes: the operation follows from the objects; the name falls back to the object', async () => {
  const seen: AdmissionAttributes[] = [];
  const chain = new AdmissionChain([{ name: 'x', handles: () => true, validate: async (a) => void seen.push(a) }]);
  const hooks = chain.hooksFor(request);
  await hooks.validate({ metadata: { name: 'new' } }, undefined);
  await hooks.validate({ metadata: { name: 'new' } }, { metadata: { name: 'new' } });
  await hooks.validate(undefined, { metadata: { name: 'gone' } });
  assert.deepEqual(
    seen.map((a) => [a.operation, a.name, a.kind.kind, a.resource.resource, a.namespace]),
    [
      ['CREATE', 'new', 'Deployment', 'deployments', 'ns'],
      ['UPDATE', 'new', 'Deployment', 'deployments', 'ns'],
      ['DELETE', 'gone', 'Deployment', 'deployments', 'ns'],
    ],
  );
});
