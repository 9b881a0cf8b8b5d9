// Table tests for the JSONPath subset used by CRD printer columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findResults, JSONPathSyntaxError, parseJSONPath } from './jsonpath.js';

const doc = {
  metadata: { name: 'db', labels: { 'app.kubernetes.io/name': 'pg', tier: 'data' }, annotations: { 'example.com/owner': 'ops' } },
  spec: { replicas: 3, version: '16.2', paused: false, nested: { a: { b: 1 } }, empty: null },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', priority: 2 },
      { type: 'Degraded', status: 'False', priority: 5 },
      { type: 'Synced', status: 'Unknown' },
    ],
    nodes: ['n1', 'n2', 'n3', 'n4'],
  },
};

test('JSONPath selects like client-go for printer-column paths', () => {
  const cases: Array<[string, unknown[]]> = [
    ['.spec.replicas', [3]],
    ['{.spec.version}', ['16.2']],
    ['$.spec.paused', [false]],
    ['.spec.empty', [null]],
    ['.spec.missing', []],
    ['.spec.replicas.deeper', []],
    ['.spec.nested', [{ a: { b: 1 } }]],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['pg']],
    [".metadata.annotations['example.com/owner']", ['ops']],
    ['.metadata.labels["tier"]', ['data']],
    ['.status.nodes[0]', ['n1']],
    ['.status.nodes[-1]', ['n4']],
    ['.status.nodes[7]', []],
    ['.status.nodes[1:3]', ['n2', 'n3']],
    ['.status.nodes[:2]', ['n1', 'n2']],
    ['.status.nodes[::2]', ['n1', 'n3']],
    ['.status.nodes[0,2]', ['n1', 'n3']],
    ['.status.nodes[*]', ['n1', 'n2', 'n3', 'n4']],
    ['.status.conditions[*].type', ['Ready', 'Degraded', 'Synced']],
    ['.spec.nested.*', [{ b: 1 }]],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type == 'Degraded')].status", ['False']],
    ['.status.conditions[?(@.status!="True")].type', ['Degraded', 'Synced']],
    ['.status.conditions[?(@.priority>2)].type', ['Degraded']],
    ['.status.conditions[?(@.priority<=2)].type', ['Ready']],
    ['.status.conditions[?(@.priority)].type', ['Ready', 'Degraded']],
    ['.status.conditions[?(@.type=="Nope")].status', []],
    ['..b', [1]],
  ];
  for (const [path, want] of cases) assert.deepEqual(findResults(parseJSONPath(path), doc), want, path);
});

test('JSONPath syntax errors', () => {
  for (const bad of ['', '{}', '.spec[', '.status.conditions[?(@.type=="x"]', '.a[?(1==1)]', '.spec.', 'spec..[']) {
    assert.throws(() => parseJSONPath(bad), JSONPathSyntaxError, bad);
  }
});
