// End to end: kubectl (1.27 and 1.33) applying CRDs whose schemas upstream refuses gets upstream's 422 — a
// field without a type (not structural), a map list whose key is optional, a misplaced scale path, defaults
// their schema or rules refuse — and nothing is stored. A single version's schema and subresources are
// reported under spec.validation / spec.subresources, as upstream does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectlRunner, type KubectlVersion } from '../harness/kubectl.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];

const crd = (spec: string, extra = '') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.schema.k8ts.dev
spec:
  group: schema.k8ts.dev
  scope: Namespaced
  names: {plural: things, kind: Thing}
  versions:
  - name: v1
    served: true
    storage: true${extra}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
${spec}
`;

const cases = [
  {
    name: 'a field without a type',
    yaml: crd('              size: {minimum: 1}'),
    want: 'spec.validation.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields',
  },
  {
    name: 'a map list keyed by an optional field',
    yaml: crd(`              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items: {type: object, properties: {name: {type: string}}}`),
    want: 'spec.validation.openAPIV3Schema.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
  },
  {
    name: 'a scale path outside .spec',
    yaml: crd('              replicas: {type: integer}', `
    subresources:
      scale: {specReplicasPath: .status.replicas, statusReplicasPath: .status.replicas}`),
    want: 'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
  },
  {
    // YAML 1.1 reads a bare On as a boolean: the classic refusal of a string field's default.
    name: 'a default of the wrong type',
    yaml: crd('              power: {type: string, enum: ["On", "Off"], default: true}'),
    want: 'spec.validation.openAPIV3Schema.properties[spec].properties[power].default: Invalid value: "boolean":  in body must be of type string: "boolean"',
  },
  {
    name: 'a default its own rule refuses',
    yaml: crd(`              worker:
                type: object
                default: {}
                x-kubernetes-validations: [{rule: "self.min <= self.max"}]
                properties: {min: {type: integer, default: 1}, max: {type: integer, default: 2}}`),
    want: 'spec.validation.openAPIV3Schema.properties[spec].properties[worker].default: Invalid value: "object": no such key: min evaluating rule: self.min <= self.max',
  },
];

for (const version of versions) {
  describe(`kubectl ${version}: CRD schemas upstream refuses`, { concurrency: 1 }, () => {
    let server: APIServerProcess;
    const { run, ok } = kubectlRunner(version, () => server.kubeconfigPath);
    before(async () => {
      server = await startAPIServer({ backend: 'memory' });
    });
    after(async () => {
      await server?.stop();
    });

    for (const c of cases) {
      test(c.name, async () => {
        const r = await run(['apply', '-f', '-'], c.yaml);
        assert.notEqual(r.code, 0);
        assert.ok(r.stderr.includes('The CustomResourceDefinition "things.schema.k8ts.dev" is invalid: '), describeKubectlResult(r));
        assert.ok(r.stderr.includes(c.want), describeKubectlResult(r));
        assert.equal((await ok(['get', 'crd', '-o', 'name'])).trim(), '', 'nothing stored');
      });
    }
  });
}
