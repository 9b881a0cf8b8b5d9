// The controller registry and --controllers: upstream's enable/disable rules, aliases, unknown names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalControllerName, controllerDescriptors, enabledControllers, isControllerEnabled, knownControllers, unimplementedControllers, validateControllersFlag } from './controllers.js';

test('isControllerEnabled follows upstream: explicit names, -name, * and disabled-by-default', () => {
  const cases: Array<[string[], string, boolean, boolean]> = [
    [['*'], 'deployment-controller', false, true],
    [['*'], 'bootstrap-signer-controller', true, false],
    [['*', 'bootstrapsigner'], 'bootstrap-signer-controller', true, true],
    [['*', '-deployment'], 'deployment-controller', false, false],
    [['-deployment', 'deployment'], 'deployment-controller', false, false],
    [['deployment'], 'deployment-controller', false, true],
    [['deployment'], 'replicaset-controller', false, false],
    [[], 'deployment-controller', false, false],
  ];
  for (const [flag, name, disabledByDefault, want] of cases) {
    assert.equal(isControllerEnabled(name, flag, disabledByDefault), want, `${flag.join(',')} → ${name}`);
  }
});

test('enabledControllers keeps registry order; aliases and canonical names both work', () => {
  // `*` is every controller that is on by default (bootstrap-signer and token-cleaner must be named).
  assert.deepEqual(enabledControllers(['*']).map((d) => d.name), controllerDescriptors.filter((d) => !d.disabledByDefault).map((d) => d.name));
  assert.ok(enabledControllers(['*', 'bootstrap-signer-controller']).some((d) => d.name === 'bootstrap-signer-controller'));
  const without = enabledControllers(['*', '-replicaset-controller', '-replicationcontroller']).map((d) => d.name);
  assert.ok(without.includes('deployment-controller'));
  assert.ok(!without.includes('replicaset-controller') && !without.includes('replicationcontroller-controller'));
  assert.deepEqual(enabledControllers(['deployment']).map((d) => d.name), ['deployment-controller']);
  assert.equal(canonicalControllerName('garbagecollector'), 'garbage-collector-controller');
  assert.equal(canonicalControllerName('nope'), undefined);
});

test('--controllers validation and the list of named but unimplemented controllers', () => {
  assert.deepEqual(validateControllersFlag(['*', '-ttl', 'csrsigning', 'deployment-controller']), []);
  assert.deepEqual(validateControllersFlag(['bogus', '-alsobogus']), ['"bogus" is not in the list of known controllers', '"alsobogus" is not in the list of known controllers']);
  // Whatever upstream controller k8ts does not implement (yet) is reported; implemented ones are not.
  const missing = Object.keys(knownControllers).filter((n) => !controllerDescriptors.some((d) => d.name === n));
  const some = missing.slice(0, 2);
  assert.deepEqual(unimplementedControllers(['*', 'deployment', ...some, '-job']), some);
});

test('every descriptor is known upstream under its canonical name and aliases', () => {
  for (const d of controllerDescriptors) {
    assert.equal(canonicalControllerName(d.name), d.name);
    for (const alias of d.aliases) assert.equal(canonicalControllerName(alias), d.name);
    assert.ok(d.requiredInformers.length > 0, d.name);
  }
});
