// Checks the generated schema tables against facts of the Kubernetes 1.36 API schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KindTypes } from './generated/kinds.js';
import { resources } from './resources.js';
import { allDefinitions, definitionFor, definitionNamed, fieldAt, fieldsOf, referencedDefinition, type FieldSchema } from './schema.js';

function at(group: string, version: string, kind: string, path: string): FieldSchema | undefined {
  const def = definitionFor(group, version, kind);
  assert.ok(def, `${group}/${version}/${kind}`);
  return fieldAt(def, path.split('.'));
}

test('schema: definitionFor finds top-level kinds', () => {
  const cases: Array<[string, string, string, string]> = [
    ['', 'v1', 'Pod', 'io.k8s.api.core.v1.Pod'],
    ['apps', 'v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['autoscaling', 'v1', 'Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    ['policy', 'v1', 'Eviction', 'io.k8s.api.policy.v1.Eviction'],
    ['events.k8s.io', 'v1', 'Event', 'io.k8s.api.events.v1.Event'],
    ['', 'v1', 'Event', 'io.k8s.api.core.v1.Event'],
    ['apps', 'v1', 'DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['apiregistration.k8s.io', 'v1', 'APIService', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'],
  ];
  for (const [g, v, k, name] of cases) assert.equal(definitionFor(g, v, k)?.name, name, `${g}/${v}/${k}`);
  assert.equal(definitionFor('apps', 'v1beta1', 'Deployment'), undefined);
  assert.equal(definitionFor('resource.k8s.io', 'v1beta2', 'ResourceClaim'), undefined);
  assert.deepEqual(definitionFor('apps', 'v1', 'Deployment')?.gvks, [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
});

test('schema: field facts', () => {
  const cases: Array<{ gvk: [string, string, string]; path: string; want: Partial<FieldSchema> }> = [
    { gvk: ['apps', 'v1', 'Deployment'], path: 'spec.strategy', want: { type: 'ref', ref: 'io.k8s.api.apps.v1.DeploymentStrategy', patchStrategy: 'retainKeys' } },
    { gvk: ['apps', 'v1', 'Deployment'], path: 'spec.strategy.rollingUpdate.maxSurge', want: { type: 'ref', ref: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' } },
    { gvk: ['apps', 'v1', 'Deployment'], path: 'spec.replicas', want: { type: 'integer', format: 'int32' } },
    { gvk: ['apps', 'v1', 'Deployment'], path: 'spec.template.spec.containers', want: { type: 'array', listType: 'map', listMapKeys: ['name'], patchStrategy: 'merge', patchMergeKey: 'name' } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.containers.ports', want: { type: 'array', listType: 'map', listMapKeys: ['containerPort', 'protocol'], patchMergeKey: 'containerPort' } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.containers.image', want: { type: 'string' } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.nodeSelector', want: { type: 'map', mapType: 'atomic' } },
    { gvk: ['', 'v1', 'Pod'], path: 'metadata.labels.app', want: { type: 'string' } },
    { gvk: ['', 'v1', 'Pod'], path: 'metadata.creationTimestamp', want: { type: 'ref', ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' } },
    { gvk: ['', 'v1', 'Pod'], path: 'metadata.finalizers', want: { type: 'array', listType: 'set', patchStrategy: 'merge' } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.containers.resources.limits', want: { type: 'map' } },
    { gvk: ['', 'v1', 'Secret'], path: 'data', want: { type: 'map' } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.containers.imagePullPolicy', want: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] } },
    { gvk: ['', 'v1', 'Pod'], path: 'spec.restartPolicy', want: { type: 'string', enum: ['Always', 'Never', 'OnFailure'] } },
    { gvk: ['', 'v1', 'Service'], path: 'spec.type', want: { type: 'string', enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] } },
    { gvk: ['networking.k8s.io', 'v1', 'NetworkPolicy'], path: 'spec.policyTypes', want: { type: 'array', items: { type: 'string', enum: ['Egress', 'Ingress'] } } },
    { gvk: ['', 'v1', 'Secret'], path: 'data.key', want: { type: 'string', format: 'byte' } },
  ];
  for (const c of cases) {
    const f = at(...c.gvk, c.path);
    assert.ok(f, `${c.gvk.join('/')} ${c.path}`);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(f[k as keyof FieldSchema], v, `${c.gvk.join('/')} ${c.path} ${k}`);
  }
  for (const missing of ['spec.foo', 'spec.template.spec.containers.nope', 'status.replicas.x']) {
    assert.equal(at('apps', 'v1', 'Deployment', missing), undefined, missing);
  }
});

test('schema: definitions, required, well-known types, unions', () => {
  const spec = definitionNamed('io.k8s.api.apps.v1.DeploymentSpec')!;
  assert.deepEqual(spec.required, ['selector', 'template']);
  assert.deepEqual(Object.keys(fieldsOf(spec)).slice(0, 3), ['minReadySeconds', 'paused', 'progressDeadlineSeconds']);
  assert.deepEqual(definitionNamed('io.k8s.apimachinery.pkg.api.resource.Quantity'), { name: 'io.k8s.apimachinery.pkg.api.resource.Quantity', type: 'string', format: 'quantity' });
  assert.equal(definitionNamed('io.k8s.apimachinery.pkg.util.intstr.IntOrString')?.intOrString, true);
  assert.equal(definitionNamed('io.k8s.apimachinery.pkg.apis.meta.v1.Time')?.format, 'date-time');
  assert.equal(definitionNamed('io.k8s.api.core.v1.ObjectReference')?.mapType, 'atomic');
  assert.deepEqual(definitionNamed('io.k8s.api.core.v1.SeccompProfile')?.unions, [{ discriminator: 'type', fieldsToDiscriminateBy: { localhostProfile: 'LocalhostProfile' } }]);
  assert.deepEqual(fieldsOf(definitionNamed('io.k8s.apimachinery.pkg.apis.meta.v1.Time')!), {});
  assert.equal(definitionNamed('toString'), undefined);
});

test('schema: every served resource has its definition, and every ref resolves', () => {
  for (const r of resources) {
    assert.equal(definitionFor(r.group, r.version, r.kind)?.name, r.definition, `${r.group}/${r.version}/${r.plural}`);
    for (const s of r.subresources) {
      // Connect options (exec, attach, portforward, proxy) travel as query parameters: the document has no definition.
      if (s.kind.endsWith('Options')) continue;
      assert.ok(definitionFor(s.group ?? r.group, s.version ?? r.version, s.kind), `${r.plural}/${s.name} kind ${s.kind}`);
    }
  }
  const visit = (f: FieldSchema): void => {
    referencedDefinition(f);
    if (f.items) visit(f.items);
    if (f.values) visit(f.values);
  };
  let n = 0;
  for (const def of Object.values(allDefinitions())) {
    for (const f of Object.values(fieldsOf(def))) visit(f);
    n++;
  }
  assert.ok(n > 500, `only ${n} definitions`);
});

test('generated interfaces agree with the schema table (checked by tsc and at run time)', () => {
  const deployment: KindTypes['apps/v1']['Deployment'] = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    },
  };
  // @ts-expect-error a top-level kind's apiVersion is a literal type
  const wrong: KindTypes['v1']['Pod'] = { apiVersion: 'apps/v1' };
  assert.equal(wrong.apiVersion, 'apps/v1');
  const def = definitionFor('apps', 'v1', 'Deployment')!;
  const paths: string[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, path));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    else paths.push(path.join('.'));
  };
  walk(deployment, []);
  assert.equal(paths.length, 11);
  for (const p of paths) assert.ok(fieldAt(def, p.split('.')), p);
});
