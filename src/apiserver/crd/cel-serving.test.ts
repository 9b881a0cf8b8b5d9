// CRD validation rules through the whole apiserver: create, update (transition rules), status, and a CRD whose
// rules do not compile, with the 422 Status upstream sends.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCRDTestServer, type CRDTestServer } from './cel-testing.js';

const widgetCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.cel.example.com' },
  spec: {
    group: 'cel.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': [
                  { rule: 'self.minReplicas <= self.replicas', message: 'replicas must be at least minReplicas' },
                  { rule: 'self.size == oldSelf.size', messageExpression: "'size is immutable, was ' + oldSelf.size" },
                  { rule: 'timestamp(self.window.end) - timestamp(self.window.start) <= duration("24h")', message: 'window is at most a day', fieldPath: '.window' },
                ],
                properties: {
                  size: { type: 'string' },
                  replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10' }] },
                  minReplicas: { type: 'integer' },
                  ratio: { type: 'number', 'x-kubernetes-validations': [{ rule: 'self <= 1.0 && self * 2.0 >= 0.0', message: 'ratio is a fraction' }] },
                  window: { type: 'object', properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string' } } },
                  timeout: { type: 'string', format: 'duration', 'x-kubernetes-validations': [{ rule: 'self <= duration("1h")', message: 'timeout is at most an hour' }] },
                  limits: { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 64 }, 'x-kubernetes-validations': [{ rule: 'self.all(k, isQuantity(self[k]))', messageExpression: "'limits must be quantities: ' + self.filter(k, !isQuantity(self[k])).join(', ')" }] },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string', 'x-kubernetes-validations': [{ rule: "self in ['Pending', 'Ready']", reason: 'FieldValueForbidden', message: 'unknown phase' }] } } },
            },
          },
        },
      },
    ],
  },
};

const path = '/apis/cel.example.com/v1/namespaces/default/widgets';
const widget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name }, spec });
const base = { size: 'small', replicas: 2, minReplicas: 1, ratio: 1, window: { start: '2024-01-01T00:00:00Z', end: '2024-01-01T12:00:00Z' }, timeout: '30m', limits: { cpu: '500m' } };

let t: CRDTestServer;
before(async () => {
  t = await startCRDTestServer();
  await t.createCRD(widgetCRD);
});
after(() => t?.stop());

const causes = (json: { details?: { causes?: Array<{ field: string; message: string; reason: string }> } }) => (json.details?.causes ?? []).map((c) => `${c.reason} ${c.field}: ${c.message}`);

test('creates: each rule refuses what it should, with upstream wording', async () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid (a whole number is still a double for a number field)', base, []],
    ['object rule', { ...base, minReplicas: 5 }, ['FieldValueInvalid spec: Invalid value: "object": replicas must be at least minReplicas']],
    ['scalar rule, default message', { ...base, replicas: 10 }, ['FieldValueInvalid spec.replicas: Invalid value: "integer": failed rule: self < 10']],
    ['number typed as double', { ...base, ratio: 1.5 }, ['FieldValueInvalid spec.ratio: Invalid value: "number": ratio is a fraction']],
    ['date-time field as timestamp, fieldPath', { ...base, window: { start: '2024-01-01T00:00:00Z', end: '2024-01-03T00:00:00Z' } }, ['FieldValueInvalid spec.window: Invalid value: "object": window is at most a day']],
    ['duration field', { ...base, timeout: '2h' }, ['FieldValueInvalid spec.timeout: Invalid value: "string": timeout is at most an hour']],
    ['map rule with messageExpression', { ...base, limits: { cpu: 'lots', memory: '1Gi', gpu: 'x' } }, ['FieldValueInvalid spec.limits: Invalid value: "object": limits must be quantities: cpu, gpu']],
  ];
  for (const [i, [name, spec, want]] of cases.entries()) {
    const res = await t.call('POST', path, widget(`w${i}`, spec));
    if (want.length === 0) {
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.json)}`);
      continue;
    }
    assert.equal(res.status, 422, name);
    assert.equal(res.json.reason, 'Invalid', name);
    assert.deepEqual(causes(res.json), want, name);
    assert.match(res.json.message, new RegExp(`^Widget.cel.example.com "w${i}" is invalid: `), name);
  }
});

test('updates: transition rules compare with the stored object; status rules on /status', async () => {
  assert.equal((await t.call('POST', path, widget('tr', base))).status, 201);
  const resized = await t.call('PATCH', `${path}/tr`, { spec: { size: 'large' } });
  assert.equal(resized.status, 422);
  assert.deepEqual(causes(resized.json), ['FieldValueInvalid spec: Invalid value: "object": size is immutable, was small']);
  const scaled = await t.call('PATCH', `${path}/tr`, { spec: { replicas: 3 } });
  assert.equal(scaled.status, 200, JSON.stringify(scaled.json));
  const badPhase = await t.call('PATCH', `${path}/tr/status`, { status: { phase: 'Gone' } });
  assert.equal(badPhase.status, 422);
  assert.deepEqual(causes(badPhase.json), ['FieldValueForbidden status.phase: Forbidden: unknown phase']);
  assert.equal((await t.call('PATCH', `${path}/tr/status`, { status: { phase: 'Ready' } })).status, 200);
});

test('a CRD whose rule does not compile is refused with 422', async () => {
  const bad = structuredClone(widgetCRD);
  bad.metadata.name = 'gadgets.cel.example.com';
  bad.spec.names = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' };
  (bad.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] as unknown[]).push({ rule: 'self.replicas.frob() > 1' });
  const res = await t.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
  assert.equal(res.status, 422);
  assert.deepEqual(causes(res.json), [
    `FieldValueInvalid spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[3].rule: Invalid value: "self.replicas.frob() > 1": compilation failed: ERROR: <input>:1:19: undeclared reference to 'frob' (in container '')\n | self.replicas.frob() > 1\n | ..................^`,
  ]);
});
