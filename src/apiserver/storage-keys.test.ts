import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listPrefix, objectKey, parseObjectKey, resourceKeys, resourcePrefix } from './storage-keys.js';

test('resourcePrefix follows upstream key roots', () => {
  const cases: Array<[string, string, string]> = [
    ['', 'pods', 'pods'],
    ['', 'services', 'services/specs'],
    ['', 'endpoints', 'services/endpoints'],
    ['', 'nodes', 'minions'],
    ['', 'replicationcontrollers', 'controllers'],
    ['networking.k8s.io', 'ingresses', 'ingress'],
    ['apps', 'deployments', 'deployments'],
    ['apiextensions.k8s.io', 'customresourcedefinitions', 'apiextensions.k8s.io/customresourcedefinitions'],
    ['apiregistration.k8s.io', 'apiservices', 'apiregistration.k8s.io/apiservices'],
    // Custom resources live under their group, even when the plural is a built-in one.
    ['example.com', 'widgets', 'example.com/widgets'],
    ['metrics.k8s.io', 'pods', 'metrics.k8s.io/pods'],
    ['gateway.networking.k8s.io', 'gateways', 'gateway.networking.k8s.io/gateways'],
  ];
  for (const [group, plural, want] of cases) assert.equal(resourcePrefix(group, plural), want, `${group}/${plural}`);
});

test('object keys, list prefixes and parsing round-trip', () => {
  const pods = resourceKeys({ etcdPrefix: '/registry/', group: '', plural: 'pods', namespaced: true });
  const nodes = resourceKeys({ etcdPrefix: '/registry', group: '', plural: 'nodes', namespaced: false });
  const cases = [
    { keys: pods, ns: 'default', name: 'p1', key: '/registry/pods/default/p1', list: '/registry/pods/default/' },
    { keys: nodes, ns: '', name: 'n1', key: '/registry/minions/n1', list: '/registry/minions/' },
  ];
  for (const c of cases) {
    assert.equal(objectKey(c.keys, c.ns, c.name), c.key);
    assert.equal(listPrefix(c.keys, c.ns), c.list);
    assert.deepEqual(parseObjectKey(c.keys, c.key), { namespace: c.ns, name: c.name });
  }
  assert.equal(listPrefix(pods, ''), '/registry/pods/');
  assert.equal(parseObjectKey(pods, '/registry/pods/default'), undefined);
  assert.equal(parseObjectKey(pods, '/registry/podsx/a/b'), undefined);
});
