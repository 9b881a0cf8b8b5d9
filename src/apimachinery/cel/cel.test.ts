import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateCEL } from './evaluate.js';
import { parseCEL } from './parser.js';
import { toJSONValue } from './values.js';

const request = {
  operation: 'CREATE',
  namespace: 'team',
  userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] },
  dryRun: false,
};
const object = { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, spec: { replicas: 3, ratio: 0.5, containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'busybox' }] } };
const vars = { request, object, oldObject: null };

test('CEL: what matchConditions say', () => {
  const cases: Array<[string, unknown]> = [
    ['true', true],
    ["request.operation == 'CREATE'", true],
    ["!request.userInfo.username.startsWith('system:')", false],
    ["'system:authenticated' in request.userInfo.groups", true],
    ["request.namespace in ['kube-system', 'kube-public']", false],
    ['has(object.metadata.labels) && object.metadata.labels.app == "web"', true],
    ['has(object.metadata.annotations)', false],
    ["'tier' in object.metadata.labels", true],
    ["object.metadata.labels['tier'] != 'back'", true],
    ['object.spec.replicas > 2 && object.spec.replicas <= 3', true],
    ['object.spec.replicas * 2 + 1', 7n],
    ['object.spec.replicas / 2', 1n],
    ['object.spec.ratio * 2.0', 1],
    ['size(object.spec.containers) == 2', true],
    ['object.spec.containers.size()', 2n],
    ["object.spec.containers.all(c, c.image.contains(':') || c.name == 'b')", true],
    ["object.spec.containers.exists(c, c.image.matches('^nginx:'))", true],
    ["object.spec.containers.exists_one(c, c.name.endsWith('a'))", true],
    ['object.spec.containers.map(c, c.name)', ['a', 'b']],
    ["object.spec.containers.filter(c, c.name == 'b').size()", 1n],
    ['oldObject == null', true],
    ["request.dryRun ? 'dry' : 'wet'", 'wet'],
    ['-object.spec.replicas', -3n],
    ['1 == 1.0', true],
    ["'a' + 'b' == 'ab' && [1] + [2] == [1, 2]", true],
    ["{'k': 1}.k == 1", true],
    ['r"a\\d" == "a\\\\d"', true],
    // A decisive side wins over an error on the other.
    ['oldObject.metadata.name == "x" || true', true],
    ['false && oldObject.metadata.name == "x"', false],
  ];
  for (const [src, want] of cases) assert.deepEqual(evaluateCEL(parseCEL(src), vars), want, src);
});

test('CEL: errors as cel-go words them', () => {
  const cases: Array<[string, RegExp]> = [
    ['object.metadata.annotations.x', /^no such key: annotations$/],
    ['oldObject.metadata', /^no such key: metadata$/],
    ["object.spec.replicas + 'x'", /^no such overload: _\+_\(int, string\)$/],
    ['object.spec.replicas / 0', /^division by zero$/],
    ['params.x', /^undeclared reference to 'params'$/],
    ["object.metadata.name < 1", /^no such overload/],
  ];
  for (const [src, want] of cases) assert.throws(() => evaluateCEL(parseCEL(src), vars), { message: want }, src);
  for (const src of ['object.', '1 +', "'open", '(1', 'a ? b']) assert.throws(() => parseCEL(src), { message: /^Syntax error: / }, src);
});

test('message construction and jsonpatch.escapeKey, as mutating admission policies use them', () => {
  const run = (src: string) => toJSONValue(evaluateCEL(parseCEL(src), { object: { metadata: { labels: { a: 'b' } } } }));
  assert.deepEqual(run('Object{spec: Object.spec{replicas: 3, ?paused: optional.none(), ?minReadySeconds: optional.of(5)}}'), { spec: { replicas: 3, minReadySeconds: 5 } });
  assert.deepEqual(run('[JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey("example.com/a~b"), value: object.metadata.labels.a}]'), [
    { op: 'add', path: '/metadata/labels/example.com~1a~0b', value: 'b' },
  ]);
  assert.throws(() => parseCEL('Object{1: 2}'), /expected a field name/);
  assert.throws(() => parseCEL('f(x){a: 1}'), /unexpected/);
});
