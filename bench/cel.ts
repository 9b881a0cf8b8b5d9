// Cost of CRD validation rules (x-kubernetes-validations): compile time per rule, type check + static cost estimate
// per rule and for the whole schema (CRD write time), evaluation of a CRD with 20 rules per object (µs), and
// in-process CR create latency for the same CRD with and without its rules.
// Prints JSON. Run: node --import tsx bench/cel.ts [--seconds=1] [--creates=300]
import { cpus } from 'node:os';
import { compileCEL } from '../src/apimachinery/cel/compile.js';
import { estimateCost } from '../src/apimachinery/cel/cost.js';
import { schemaCELType } from '../src/apiserver/crd/cel-schema-type.js';
import { validateSchemaRules } from '../src/apiserver/crd/cel-validation.js';
import { startCRDTestServer } from '../src/apiserver/crd/cel-testing.js';
import type { JSONSchemaProps } from '../src/apiserver/crd/crd-types.js';
import { newSchemaValidator } from '../src/apiserver/crd/schema-validation.js';
import { microsPerOp as timed } from './micro-timing.js';
import { resources as builtinResources } from '../src/api/resources.js';
import { allDefinitions } from '../src/api/schema.js';
import { groupVersionDocument } from '../src/apiserver/openapi/documents.js';
import { celTypeOfComponent, componentForKind, type OpenAPISchema } from '../src/controller-manager/controllers/validatingadmissionpolicystatus/openapi-cel-type.js';
import { checkPolicy, type TypeResolver } from '../src/controller-manager/controllers/validatingadmissionpolicystatus/type-checker.js';
import { median, percentile, round } from './stats.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = Math.min(10, arg('seconds', 1));
const creates = Math.min(2000, arg('creates', 300));
const createBudgetMs = 15_000;
const microsPerOp = (op: () => unknown) => timed(op, seconds);

/** Twenty rules of the kinds real CRDs carry (Gateway API, cert-manager, Cluster API style). */
const rules: Array<{ rule: string; message?: string; messageExpression?: string }> = [
  { rule: 'self.minReplicas <= self.replicas', message: 'minReplicas ≤ replicas' },
  { rule: 'self.replicas < 100' },
  { rule: "self.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')" },
  { rule: 'size(self.name) <= 63' },
  { rule: "!has(self.mode) || self.mode in ['Fast', 'Slow']" },
  { rule: 'self.ports.all(p, p.port > 0 && p.port < 65536)' },
  { rule: 'self.ports.map(p, p.name).isSorted()' },
  { rule: 'self.ports.exists_one(p, p.name == "http")' },
  { rule: 'self.hostnames.all(h, h.lowerAscii() == h)' },
  { rule: "self.hostnames.all(h, !h.startsWith('*') || h.indexOf('.') > 1)" },
  { rule: 'self.labels.all(k, size(k) <= 63)' },
  { rule: "!('forbidden' in self.labels)" },
  { rule: 'isQuantity(self.memory) && quantity(self.memory).isLessThan(quantity("64Gi"))' },
  { rule: 'duration(self.timeout) <= duration("1h")' },
  { rule: 'timestamp(self.notAfter) > timestamp("2020-01-01T00:00:00Z")' },
  { rule: "isURL(self.endpoint) && url(self.endpoint).getScheme() == 'https'" },
  { rule: "self.endpoint.split('/').size() >= 3" },
  { rule: 'self.weights.sum() == 100', messageExpression: "'weights add up to ' + string(self.weights.sum())" },
  { rule: 'self.ports.filter(p, p.port < 1024).size() <= 2' },
  { rule: "self.name + '-' + self.mode != 'a-b'" },
];

const specSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    // Bounded as a CRD must be for these rules to pass the static cost limits.
    name: { type: 'string', maxLength: 63 },
    replicas: { type: 'integer' },
    minReplicas: { type: 'integer' },
    mode: { type: 'string', maxLength: 16 },
    ports: { type: 'array', maxItems: 64, items: { type: 'object', properties: { name: { type: 'string', maxLength: 15 }, port: { type: 'integer' } } } },
    hostnames: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 253 } },
    labels: { type: 'object', maxProperties: 64, additionalProperties: { type: 'string', maxLength: 63 } },
    memory: { type: 'string', maxLength: 32 },
    timeout: { type: 'string', maxLength: 32 },
    notAfter: { type: 'string', maxLength: 64 },
    endpoint: { type: 'string', maxLength: 2048 },
    weights: { type: 'array', maxItems: 16, items: { type: 'integer' } },
  },
};

const schemaWith = (withRules: boolean): JSONSchemaProps =>
  ({ type: 'object', properties: { spec: withRules ? { ...specSchema, 'x-kubernetes-validations': rules } : specSchema } }) as JSONSchemaProps;

const spec = {
  name: 'web',
  replicas: 3,
  minReplicas: 1,
  mode: 'Fast',
  ports: [
    { name: 'grpc', port: 9000 },
    { name: 'http', port: 80 },
    { name: 'https', port: 443 },
  ],
  hostnames: ['example.com', 'www.example.com'],
  labels: { app: 'web', tier: 'front' },
  memory: '2Gi',
  timeout: '30s',
  notAfter: '2030-01-01T00:00:00Z',
  endpoint: 'https://api.example.com/v1',
  weights: [50, 30, 20],
};
const widget = (name: string) => ({ apiVersion: 'bench.example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' }, spec });

/** Median/p99 create latency (ms) of Widgets whose CRD has or lacks the rules. Bounded by count and time. */
async function createLatency(withRules: boolean): Promise<{ medianMs: number; p99Ms: number; creates: number }> {
  const t = await startCRDTestServer();
  try {
    await t.createCRD({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.bench.example.com' },
      spec: { group: 'bench.example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schemaWith(withRules) } }] },
    } as { metadata: { name: string } });
    const path = '/apis/bench.example.com/v1/namespaces/default/widgets';
    for (let i = 0; i < 20; i++) await t.call('POST', path, widget(`warm-${i}`));
    const samples: number[] = [];
    const deadline = performance.now() + createBudgetMs;
    for (let i = 0; i < creates && performance.now() < deadline; i++) {
      const t0 = performance.now();
      const res = await t.call('POST', path, widget(`w-${i}`));
      samples.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${JSON.stringify(res.json)}`);
    }
    return { medianMs: round(median(samples), 4), p99Ms: round(percentile(samples, 99), 4), creates: samples.length };
  } finally {
    t.stop();
  }
}

/**
 * ValidatingAdmissionPolicy type checking (the status controller's work per policy generation): the Deployment
 * type built from apps/v1's OpenAPI v3 components, and a 4-validation policy checked against it.
 */
async function policyTypeChecking(): Promise<{ deploymentTypeUs: number; checkPolicyUs: number; warnings: number }> {
  const doc = groupVersionDocument({ group: 'apps', version: 'v1' }, { resources: builtinResources, definitions: allDefinitions(), isBuiltin: () => true });
  const components = (doc.components as { schemas: Record<string, OpenAPISchema> }).schemas;
  const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
  const name = componentForKind(components, gvk)!;
  const deployment = celTypeOfComponent(components, name, 'Deployment')!;
  const resolver: TypeResolver = { kindsFor: async () => [gvk], typeOf: async () => deployment };
  const policy = {
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }] },
      validations: [
        { expression: 'object.spec.replicas <= 5', messageExpression: "'replicas: ' + string(object.spec.replicas)" },
        { expression: "object.spec.template.spec.containers.all(c, c.image.startsWith('registry.example.com/'))" },
        { expression: "has(object.metadata.labels) && 'team' in object.metadata.labels" },
        { expression: 'object.replicas > 1' },
      ],
    },
  };
  const warnings = (await checkPolicy(policy, resolver)).length;
  // checkPolicy awaits its resolver, so it is timed as a sequence of awaited calls (bounded by count and time).
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let n = 0;
  while (n < 100_000 && performance.now() < deadline) {
    await checkPolicy(policy, resolver);
    n++;
  }
  const checkPolicyUs = round(((performance.now() - t0) * 1000) / n, 2);
  return { deploymentTypeUs: microsPerOp(() => celTypeOfComponent(components, name, 'Deployment')), checkPolicyUs, warnings };
}

async function main(): Promise<void> {
  const withRules = newSchemaValidator({ schema: schemaWith(true), kind: 'Widget', apiVersion: 'bench.example.com/v1' });
  const without = newSchemaValidator({ schema: schemaWith(false), kind: 'Widget', apiVersion: 'bench.example.com/v1' });
  const obj = widget('w');
  const selfType = schemaCELType(specSchema);
  const writeErrs = validateSchemaRules(schemaWith(true), 'spec.versions[0].schema.openAPIV3Schema');
  if (writeErrs.length > 0) throw new Error(`benchmark rules refused at CRD write time: ${JSON.stringify(writeErrs)}`);
  const errs = withRules.validate(obj);
  if (errs.length > 0) throw new Error(`benchmark object breaks a rule: ${JSON.stringify(errs)}`);
  let r = 0;
  const report = {
    benchmark: 'cel',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    rules: rules.length,
    compileUsPerRule: microsPerOp(() => compileCEL(rules[r++ % rules.length].rule, { variables: ['self', 'oldSelf'] })),
    typeCheckAndCostUsPerRule: microsPerOp(() => {
      const c = compileCEL(rules[r++ % rules.length].rule, { variables: ['self', 'oldSelf'], types: { self: selfType, oldSelf: selfType } });
      return c.program && c.nodeTypes ? estimateCost(c.program, c.nodeTypes) : c.error;
    }),
    estimatedCostPerRule: rules.map((x) => {
      const c = compileCEL(x.rule, { variables: ['self', 'oldSelf'], types: { self: selfType, oldSelf: selfType } });
      return c.program && c.nodeTypes ? estimateCost(c.program, c.nodeTypes) : c.error;
    }),
    crdWriteTimeUsPer20RuleSchema: microsPerOp(() => validateSchemaRules(schemaWith(true), 'spec.versions[0].schema.openAPIV3Schema')),
    validateUsPerObject: { with20Rules: microsPerOp(() => withRules.validate(obj)), withoutRules: microsPerOp(() => without.validate(obj)) },
    updateWithOldSelfUsPerObject: microsPerOp(() => withRules.validate(obj, obj)),
    createLatency: { withoutRules: await createLatency(false), with20Rules: await createLatency(true) },
    validatingAdmissionPolicyTypeChecking: await policyTypeChecking(),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
