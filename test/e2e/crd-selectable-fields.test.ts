// End to end: CRD selectableFields, with the real kubectl (1.27 and 1.33) against `bin/k8ts apiserver`.
// `kubectl get --field-selector` on a declared field lists and watches only the matching custom resources;
// a field that is not declared is refused with upstream's "field label not supported"; a CRD pointing a
// selectable field at a number is refused with upstream's 422 message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectlRunner, spawnKubectl, type KubectlVersion } from '../harness/kubectl.js';
import { waitFor } from '../harness/wait-for.js';

const versions: KubectlVersion[] = ['1.27', '1.33'];
const group = 'select.k8ts.dev';

const crd = (field: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: shirts.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: shirts, singular: shirt, kind: Shirt}
  versions:
  - name: v1
    served: true
    storage: true
    selectableFields:
    - jsonPath: ${field}
    - jsonPath: .spec.size
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
              size: {type: string, enum: [S, M, L]}
              price: {type: number}
`;

const shirt = (name: string, color: string, size: string) =>
  JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Shirt', metadata: { name, namespace: 'default' }, spec: { color, size, price: 9.5 } });

for (const version of versions) {
  describe(`kubectl ${version}: field selectors on a CRD's selectableFields`, { concurrency: 1 }, () => {
    let server: APIServerProcess;
    const { run, ok } = kubectlRunner(version, () => server.kubeconfigPath);

    before(async () => {
      server = await startAPIServer({ backend: 'memory' });
      await ok(['apply', '-f', '-'], crd('.spec.color'));
      await waitFor('the CRD served', async () => ((await run(['get', 'shirts', '-A'])).code === 0 ? true : undefined));
      for (const [name, color, size] of [
        ['a', 'blue', 'S'],
        ['b', 'red', 'M'],
        ['c', 'blue', 'L'],
      ]) {
        await ok(['apply', '-f', '-'], shirt(name, color, size));
      }
    });
    after(async () => {
      await server?.stop();
    });

    test('list by one field and by two', async () => {
      assert.equal(await ok(['get', 'shirts', '--field-selector', 'spec.color=blue', '-o', 'name']), 'shirt.select.k8ts.dev/a\nshirt.select.k8ts.dev/c\n');
      assert.equal(await ok(['get', 'shirts', '--field-selector', 'spec.color=blue,spec.size!=S', '-o', 'name']), 'shirt.select.k8ts.dev/c\n');
    });

    test('a watch with a field selector sees only matching objects', async () => {
      const w = await spawnKubectl({ version, kubeconfig: server.kubeconfigPath, args: ['get', 'shirts', '--field-selector', 'spec.color=red', '-w', '-o', 'name'] });
      try {
        await w.waitForLine((l) => l === 'shirt.select.k8ts.dev/b');
        await ok(['apply', '-f', '-'], shirt('d', 'green', 'S'));
        await ok(['apply', '-f', '-'], shirt('e', 'red', 'S'));
        const e = await w.waitForLine((l) => l === 'shirt.select.k8ts.dev/e');
        assert.ok(!w.lines.slice(0, e.index).includes('shirt.select.k8ts.dev/d'), 'the green shirt never shows');
      } finally {
        await w.stop();
      }
    });

    test("a field that is not selectable: upstream's 400", async () => {
      const r = await run(['get', 'shirts', '--field-selector', 'spec.price=9.5']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /\(BadRequest\).*field label not supported: spec\.price/, describeKubectlResult(r));
    });

    test("a selectable field of type number: upstream's 422", async () => {
      const r = await run(['apply', '-f', '-'], crd('.spec.price').replace(`shirts.${group}`, `shirts.other.k8ts.dev`).replace(`group: ${group}`, 'group: other.k8ts.dev'));
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /spec\.selectableFields\[0\]\.jsonPath: Invalid value: "\.spec\.price": must point to a field of type string, boolean or integer\. Enum string fields and strings with formats are allowed\./,
        describeKubectlResult(r),
      );
    });
  });
}
