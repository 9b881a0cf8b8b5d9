// Tests for unknown-field detection against the generated schema tables and for the Strict/Warn/Ignore policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DefinitionSchema } from '../../api/definition.js';
import { StatusError, isBadRequest, isInvalid } from '../../apimachinery/errors.js';
import { applyFieldValidation, parseFieldValidation, warningHeaderValue } from './field-validation.js';
import { builtinSchemas, checkUnknownFields } from './unknown-fields.js';

const deploymentGVK = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', 'any.key/allowed': 'x' }, annotations: { a: 'b' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx',
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '100m', memory: '64Mi' } },
              env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            },
          ],
        },
      },
    },
    ...extra,
  };
}

test('checkUnknownFields: paths as upstream prints them', () => {
  const cases: Array<{ name: string; gvk?: typeof deploymentGVK; obj: unknown; want: string[] }> = [
    { name: 'a valid deployment', obj: deployment(), want: [] },
    { name: 'top level', obj: deployment({ bogus: 1 }), want: ['bogus'] },
    {
      name: 'nested in spec, in document order',
      obj: { ...deployment(), spec: { ...deployment().spec, foo: 1, paused: false, bar: { x: 1 } } },
      want: ['spec.foo', 'spec.bar'],
    },
    {
      name: 'inside list items',
      obj: (() => {
        const d = deployment();
        const c = d.spec.template.spec.containers[0]! as Record<string, unknown>;
        c.imagePullPolicyy = 'Always';
        (c.ports as Array<Record<string, unknown>>)[0]!.hostPortt = 1;
        return d;
      })(),
      want: ['spec.template.spec.containers[0].ports[0].hostPortt', 'spec.template.spec.containers[0].imagePullPolicyy'],
    },
    {
      name: 'metadata is checked, map keys are free',
      obj: { ...deployment(), metadata: { name: 'x', labelz: {}, labels: { whatever: 'v' } } },
      want: ['metadata.labelz'],
    },
    { name: 'case matters', obj: { ...deployment(), Spec: {} }, want: ['Spec'] },
    { name: 'null values are skipped', obj: { ...deployment(), spec: null }, want: [] },
    {
      name: 'free-form RawExtension is not walked',
      gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
      obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { anything: { goes: 1 } } },
      want: [],
    },
    {
      name: 'maps of objects check their values',
      gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a.b': 'x' }, binaryData: {}, immutable: true, extra: 1 },
      want: ['extra'],
    },
    { name: 'unknown kind has nothing to check', gvk: { group: 'x.io', version: 'v1', kind: 'Nope' }, obj: { foo: 1 }, want: [] },
  ];
  for (const c of cases) {
    const got = checkUnknownFields(c.obj, c.gvk ?? deploymentGVK).map((u) => u.path);
    assert.deepEqual(got, c.want, c.name);
  }
});

test('checkUnknownFields: preserve-unknown-fields, embedded resources, int-or-string', () => {
  const defs: Record<string, DefinitionSchema> = {
    'test.Widget': {
      name: 'test.Widget',
      type: 'object',
      fields: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'ref', ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        spec: { type: 'ref', ref: 'test.WidgetSpec' },
      },
      gvks: [{ group: 'test.io', version: 'v1', kind: 'Widget' }],
    },
    'test.Template': { name: 'test.Template', type: 'object', fields: { spec: { type: 'ref', ref: 'test.TemplateSpec' } } },
    'test.TemplateSpec': { name: 'test.TemplateSpec', type: 'object', fields: { x: { type: 'string' } } },
    'test.WidgetSpec': {
      name: 'test.WidgetSpec',
      type: 'object',
      fields: {
        port: { type: 'string', format: 'int-or-string', intOrString: true },
        free: { type: 'object', preserveUnknownFields: true },
        template: { type: 'ref', ref: 'test.Template', embeddedResource: true },
        raw: { type: 'object', embeddedResource: true },
      },
    },
  };
  const schemas = {
    definitionFor: (gvk: { group: string; version: string; kind: string }) =>
      gvk.kind === 'Widget' ? defs['test.Widget'] : builtinSchemas.definitionFor(gvk),
    definitionNamed: (name: string) => defs[name] ?? builtinSchemas.definitionNamed(name),
  };
  const obj = {
    apiVersion: 'test.io/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: {
      port: 'http',
      free: { anything: { at: ['all'] } },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bogusMeta: 1 }, spec: { x: 'y', z: 1 } },
      raw: { apiVersion: 'v1', kind: 'X', metadata: { labels: {}, nope: 1 }, whatever: 2 },
    },
  };
  assert.deepEqual(
    checkUnknownFields(obj, { group: 'test.io', version: 'v1', kind: 'Widget' }, schemas).map((u) => u.path),
    ['spec.template.metadata.bogusMeta', 'spec.template.spec.z', 'spec.raw.metadata.nope'],
  );
});

test('parseFieldValidation: default Warn, valid values, 422 otherwise', () => {
  assert.equal(parseFieldValidation(null, 'CreateOptions'), 'Warn');
  assert.equal(parseFieldValidation('', 'CreateOptions'), 'Warn');
  for (const v of ['Strict', 'Warn', 'Ignore'] as const) assert.equal(parseFieldValidation(v, 'UpdateOptions'), v);
  assert.throws(
    () => parseFieldValidation('strict', 'PatchOptions'),
    (err: unknown) => {
      assert.ok(err instanceof StatusError && isInvalid(err));
      assert.equal(err.code, 422);
      assert.equal(
        err.message,
        'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
      );
      assert.equal(err.status.details?.causes?.[0]?.field, 'fieldValidation');
      return true;
    },
  );
});

test('applyFieldValidation: Strict, Warn and Ignore', () => {
  const obj = { ...deployment({ extra: true }), spec: { ...deployment().spec, foo: 1 } };
  const base = { object: obj, gvk: deploymentGVK, optionsKind: 'CreateOptions' as const };

  assert.throws(
    () => applyFieldValidation({ ...base, fieldValidation: 'Strict' }),
    (err: unknown) => {
      assert.ok(isBadRequest(err));
      assert.equal((err as StatusError).code, 400);
      assert.equal((err as StatusError).message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "extra"');
      return true;
    },
  );
  assert.deepEqual(applyFieldValidation({ ...base, fieldValidation: 'Warn' }).warnings, ['unknown field "spec.foo"', 'unknown field "extra"']);
  assert.deepEqual(applyFieldValidation({ ...base, fieldValidation: null }).warnings, ['unknown field "spec.foo"', 'unknown field "extra"']);
  assert.deepEqual(applyFieldValidation({ ...base, fieldValidation: 'Ignore' }).warnings, []);
  assert.deepEqual(applyFieldValidation({ ...base, object: deployment(), fieldValidation: 'Strict' }).warnings, []);
});

test('applyFieldValidation: decoder errors (duplicate fields) come first', () => {
  const req = {
    object: deployment({ extra: 1 }),
    gvk: deploymentGVK,
    optionsKind: 'UpdateOptions' as const,
    decoderErrors: ['duplicate field "spec.replicas"'],
  };
  assert.throws(
    () => applyFieldValidation({ ...req, fieldValidation: 'Strict' }),
    (err: unknown) => (err as StatusError).message === 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "spec.replicas", unknown field "extra"',
  );
  assert.deepEqual(applyFieldValidation({ ...req, fieldValidation: 'Warn' }).warnings, ['duplicate field "spec.replicas"', 'unknown field "extra"']);
  assert.deepEqual(applyFieldValidation({ ...req, fieldValidation: 'Ignore' }).warnings, []);
  assert.throws(() => applyFieldValidation({ ...req, object: deployment(), fieldValidation: 'Strict' }), (err: unknown) => isBadRequest(err));
});

test('warningHeaderValue quotes like upstream', () => {
  assert.equal(warningHeaderValue('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
  assert.equal(warningHeaderValue('a\\b'), '299 - "a\\\\b"');
});
