// End to end: CRD validation rules (x-kubernetes-validations) with the real kubectl (1.27 and 1.33) against
// `bin/k8ts apiserver`: a CR breaking a rule is refused with upstream's wording, transition rules on apply,
// a CRD whose rule does not compile is refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { describeKubectlResult, kubectl, type KubectlResult, type KubectlVersion } from '../harness/kubectl.js';

const testdata = new URL('./testdata/crd-cel/', import.meta.url).pathname;
const versions: KubectlVersion[] = ['1.27', '1.33'];

type Run = (args: string[]) => Promise<KubectlResult>;

async function ok(run: Run, args: string[]): Promise<string> {
  const r = await run(args);
  assert.equal(r.code, 0, describeKubectlResult(r));
  return r.stdout;
}

async function fails(run: Run, args: string[]): Promise<string> {
  const r = await run(args);
  assert.equal(r.code, 1, describeKubectlResult(r));
  return r.stderr;
}

describe('CRD validation rules with kubectl', { concurrency: 2 }, () => {
  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: APIServerProcess;
      let run: Run;
      const ns = 'cel-e2e';

      before(async () => {
        server = await startAPIServer({ backend: 'memory' });
        run = (args) => kubectl({ version, kubeconfig: server.kubeconfigPath, args, timeoutMs: 30_000 });
        await ok(run, ['create', 'namespace', ns]);
        await ok(run, ['apply', '-f', join(testdata, 'widget-crd.yaml')]);
        await ok(run, ['wait', '--for=condition=Established', '--timeout=20s', 'crd/widgets.cel.example.com']);
      });
      after(async () => {
        await server?.stop();
      });

      test('apply of a CR that satisfies the rules, then of one breaking an object rule', async () => {
        assert.match(await ok(run, ['apply', '-n', ns, '-f', join(testdata, 'widget.yaml')]), /widget.cel.example.com\/w created/);
        const stderr = await fails(run, ['apply', '-n', ns, '-f', join(testdata, 'widget-bad.yaml')]);
        assert.match(stderr, /The Widget "bad" is invalid: spec: Invalid value: "object": replicas must be at least minReplicas/, stderr);
      });

      test('rules on fields: the default message names the rule, reason picks the error type', async () => {
        const stderr = await fails(run, ['apply', '-n', ns, '-f', join(testdata, 'widget-bad-fields.yaml')]);
        assert.match(stderr, /The Widget "bad-fields" is invalid: /, stderr);
        assert.match(stderr, /spec\.replicas: Invalid value: "integer": failed rule: self < 10/, stderr);
        assert.match(stderr, /spec\.tags: Forbidden: tags are lower case/, stderr);
      });

      test('a transition rule refuses the change on apply, with its messageExpression', async () => {
        const stderr = await fails(run, ['apply', '-n', ns, '-f', join(testdata, 'widget-resized.yaml')]);
        assert.match(stderr, /The Widget "w" is invalid: spec: Invalid value: "object": size is immutable \(was small\)/, stderr);
      });

      test('a CRD whose rule does not compile is refused', async () => {
        const stderr = await fails(run, ['create', '-f', join(testdata, 'bad-rule-crd.yaml')]);
        assert.match(stderr, /The CustomResourceDefinition "gadgets.cel.example.com" is invalid: spec.validation.openAPIV3Schema.properties\[spec\].x-kubernetes-validations\[0\].rule: Invalid value: "self.frobnicate\(\)": compilation failed: ERROR: <input>:1:16: undeclared reference to 'frobnicate' \(in container ''\)\n \| self.frobnicate\(\)\n \| \.{15}\^/, stderr);
      });

      test('a CRD whose rules do not type check, or cost too much, is refused with the checker\'s errors', async () => {
        const stderr = await fails(run, ['create', '-f', join(testdata, 'mistyped-rule-crd.yaml')]);
        const rule = (i: number) => `spec\\.validation\\.openAPIV3Schema\\.properties\\[spec\\]\\.x-kubernetes-validations\\[${i}\\]\\.rule`;
        assert.match(stderr, /The CustomResourceDefinition "gizmos.cel.example.com" is invalid: /, stderr);
        assert.match(stderr, new RegExp(`${rule(0)}: Invalid value: "self.replicas > 'a'": compilation failed: ERROR: <input>:1:15: found no matching overload for '_>_' applied to '\\(int, string\\)'`), stderr);
        assert.match(stderr, new RegExp(`${rule(1)}: Invalid value: "self.nosuchfield == 1": compilation failed: ERROR: <input>:1:5: undefined field 'nosuchfield'`), stderr);
        assert.match(stderr, new RegExp(`${rule(2)}: Invalid value: "self.replicas": cel expression must evaluate to a bool`), stderr);
        assert.match(stderr, new RegExp(`${rule(3)}: Forbidden: estimated rule cost exceeds budget by factor of more than 100x`), stderr);
      });
    });
  }
});
