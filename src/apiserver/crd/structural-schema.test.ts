import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CRDVersion, JSONSchemaProps } from './crd-types.js';
import { validateVersionSchema } from './structural-schema.js';
import { validateVersionExtras } from './version-validation.js';

const P = 'spec.versions[0].schema';
const R = `${P}.openAPIV3Schema`;
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra }) as unknown as JSONSchemaProps;

const cases: Array<{ name: string; schema: JSONSchemaProps; status?: boolean; want: string[] }> = [
  {
    name: 'a well-formed schema (int-or-string, preserve-unknown-fields, map lists, embedded resources)',
    schema: obj({
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
      spec: obj({
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        any: { 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name', 'protocol'],
          items: obj({ name: { type: 'string' }, protocol: { type: 'string', default: 'TCP' } }, { required: ['name'] }),
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        template: obj({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } }, { 'x-kubernetes-embedded-resource': true }),
      }),
      status: obj({ ready: { type: 'boolean' } }),
    }),
    status: true,
    want: [],
  },
  {
    name: 'fields and items without a type',
    schema: obj({ spec: obj({ size: { minimum: 1 }, names: { type: 'array', items: { maxLength: 3 } }, list: { type: 'array' } }) }),
    want: [
      `${R}.properties[spec].properties[list].items: Required value: must be specified`,
      `${R}.properties[spec].properties[names].items.type: Required value: must not be empty for specified array items`,
      `${R}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
    ],
  },
  {
    name: 'the root: not an object, nullable, additionalProperties',
    schema: { type: 'string', nullable: true } as JSONSchemaProps,
    want: [`${R}.nullable: Forbidden: nullable cannot be true at the root`, `${R}.type: Invalid value: "string": must be object at the root`],
  },
  {
    name: 'metadata may only constrain name and generateName',
    schema: obj({ metadata: obj({ name: { type: 'string' }, labels: { type: 'object' } }) }),
    want: [`${R}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`],
  },
  {
    name: 'defaults in top-level metadata and unsupported keywords',
    schema: obj({
      metadata: { type: 'object', default: {} },
      spec: { type: 'object', $ref: '#/definitions/x', patternProperties: { '^a': { type: 'string' } }, properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } } },
    } as Record<string, unknown>),
    // The structural check ignores metadata's default; the keyword check refuses it.
    want: [
      `${R}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
      `${R}.properties[spec].patternProperties: Forbidden: patternProperties is not supported`,
      `${R}.properties[spec].$ref: Forbidden: $ref is not supported`,
      `${R}.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ],
  },
  {
    name: 'list and map types',
    schema: obj({
      spec: obj({
        a: { type: 'object', 'x-kubernetes-list-type': 'map', properties: { x: { type: 'string' } } },
        b: { type: 'array', 'x-kubernetes-list-type': 'map', items: obj({ name: { type: 'string' }, sub: { type: 'object' } }), 'x-kubernetes-list-map-keys': ['name', 'sub', 'missing'] },
        c: { type: 'array', 'x-kubernetes-list-type': 'bag', items: { type: 'string' } },
        d: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-map-keys': ['name'] },
        e: { type: 'string', 'x-kubernetes-map-type': 'atomic' },
        f: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: { type: 'string' } },
      }),
    }),
    want: [
      `${R}.properties[spec].properties[a].type: Invalid value: "object": must be array if x-kubernetes-list-type is specified`,
      `${R}.properties[spec].properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      `${R}.properties[spec].properties[a].items: Required value: must have a schema if x-kubernetes-list-type is map`,
      `${R}.properties[spec].properties[b].items.properties[sub].type: Invalid value: "object": must be a scalar type if parent array's x-kubernetes-list-type is map`,
      `${R}.properties[spec].properties[b].x-kubernetes-list-map-keys: Invalid value: ["name","sub","missing"]: entries must all be names of item properties`,
      `${R}.properties[spec].properties[b].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${R}.properties[spec].properties[b].items.properties[sub].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${R}.properties[spec].properties[c].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
      `${R}.properties[spec].properties[d].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty`,
      `${R}.properties[spec].properties[e].type: Invalid value: "string": must be object if x-kubernetes-map-type is specified`,
      `${R}.properties[spec].properties[f].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ],
  },
  {
    name: 'a status subresource limits the root keywords',
    schema: { type: 'object', properties: { spec: { type: 'object' } }, additionalProperties: false } as JSONSchemaProps,
    status: true,
    want: [
      `${R}: Invalid value: {"type":"object","properties":{"spec":{"type":"object"}},"additionalProperties":false}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`,
      `${R}.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ],
  },
  {
    name: 'properties named in a root junctor must be specified structurally',
    schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
      anyOf: [{ properties: { spec: { properties: { a: { minLength: 1 }, b: { minLength: 1 } } } } }, { properties: { status: {} } }],
    } as unknown as JSONSchemaProps,
    want: [
      `${R}.properties[spec].properties[b]: Required value: because it is defined in ${R}.anyOf[0].properties[spec].properties[b]`,
      `${R}.properties[status]: Required value: because it is defined in ${R}.anyOf[1].properties[status]`,
    ],
  },
  {
    name: 'embedded resources',
    schema: obj({ spec: obj({ inner: { type: 'string', 'x-kubernetes-embedded-resource': true }, other: obj({ kind: { type: 'integer' } }, { 'x-kubernetes-embedded-resource': true }) }) }),
    want: [
      `${R}.properties[spec].properties[inner].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
      `${R}.properties[spec].properties[inner].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`,
      `${R}.properties[spec].properties[other].properties[kind].type: Invalid value: "integer": must be string`,
    ],
  },
];

for (const c of cases) {
  test(`CRD schema: ${c.name}`, () => {
    const got = validateVersionSchema(c.schema, P, { statusEnabled: !!c.status, requirePrunedDefaults: true }).map((e) => `${e.field}: ${e.detail}`);
    assert.deepEqual(got, c.want);
  });
}

test('scale paths and printer columns are validated as upstream', () => {
  const v: CRDVersion = {
    name: 'v1',
    served: true,
    storage: true,
    subresources: { scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: '.spec.replicas', labelSelectorPath: '.metadata.labels' } },
    additionalPrinterColumns: [
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: '', type: 'time', format: 'clock', jsonPath: 'spec.x' },
    ],
  };
  assert.deepEqual(
    validateVersionExtras(v, 'spec.versions[0]').map((e) => `${e.field}: ${e.detail}`),
    [
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: ".spec.replicas": should be a json path under .status',
      'spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
      'spec.versions[0].additionalPrinterColumns[1].name: Required value',
      'spec.versions[0].additionalPrinterColumns[1].type: Invalid value: "time": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[1].format: Invalid value: "clock": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
    ],
  );
});
