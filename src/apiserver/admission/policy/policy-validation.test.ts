// ValidatingAdmissionPolicy expressions are compiled when the policy is written: a bad one is 422 at its field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { validateValidatingAdmissionPolicyExpressions } from './policy-validation.js';
import { withPolicyPlugin } from './policy-testing.js';
import { newValidatingAdmissionPolicy } from './validating-admission-policy.js';

const policy = (spec: admissionregistrationv1.ValidatingAdmissionPolicySpec): admissionregistrationv1.ValidatingAdmissionPolicy => ({ metadata: { name: 'p' }, spec });

test('every expression field is compiled, errors at its path', () => {
  const cases: Array<[string, admissionregistrationv1.ValidatingAdmissionPolicySpec, string[]]> = [
    [
      'fine',
      {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConditions: [{ name: 'm', expression: "request.operation == 'CREATE'" }],
        variables: [{ name: 'n', expression: 'object.metadata.name' }],
        validations: [{ expression: 'variables.n != params.data.x && !has(oldObject.spec)', messageExpression: "'bad: ' + variables.n" }],
        auditAnnotations: [{ key: 'k', valueExpression: 'namespaceObject.metadata.name' }],
      },
      [],
    ],
    ['undeclared variable', { validations: [{ expression: 'obj.spec.replicas < 5' }] }, ["spec.validations[0].expression: compilation failed: ERROR: <input>:1:1: undeclared reference to 'obj' (in container '')"]],
    ['syntax error in a messageExpression', { validations: [{ expression: 'true', messageExpression: "'a' +" }] }, ['spec.validations[0].messageExpression: compilation failed: ERROR: <input>:1:6: Syntax error']],
    ['match condition', { matchConditions: [{ name: 'm', expression: 'nope()' }] }, ["spec.matchConditions[0].expression: compilation failed: ERROR: <input>:1:5: undeclared reference to 'nope' (in container '')"]],
    ['variable', { variables: [{ name: 'a', expression: 'object.' }] }, ['spec.variables[0].expression: compilation failed: ERROR: <input>:1:8: Syntax error']],
    ['audit annotation', { auditAnnotations: [{ key: 'k', valueExpression: 'x' }] }, ["spec.auditAnnotations[0].valueExpression: compilation failed: ERROR: <input>:1:1: undeclared reference to 'x' (in container '')"]],
    // params exists only with a paramKind; request and namespaceObject are typed; variables see earlier ones.
    ['params without paramKind', { validations: [{ expression: 'params.x == 1' }] }, ["spec.validations[0].expression: compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')"]],
    ['a field request lacks', { validations: [{ expression: "request.user == 'x'" }] }, ["spec.validations[0].expression: compilation failed: ERROR: <input>:1:8: undefined field 'user'"]],
    ['namespaceObject typed', { matchConditions: [{ name: 'm', expression: "namespaceObject.metadata.labels.env == 1" }] }, ["spec.matchConditions[0].expression: compilation failed: ERROR: <input>:1:37: found no matching overload for '_==_' applied to '(string, int)'"]],
    ['a variable after its use', { variables: [{ name: 'a', expression: 'variables.b' }, { name: 'b', expression: '1' }] }, ["spec.variables[0].expression: compilation failed: ERROR: <input>:1:10: undefined field 'b'"]],
    // The types the fields must evaluate to; dyn (an untyped object's fields) passes.
    ['not a bool', { validations: [{ expression: "'yes'" }, { expression: 'object.spec.enabled' }] }, ['spec.validations[0].expression: must evaluate to bool']],
    ['not a string', { validations: [{ expression: 'true', messageExpression: 'size(object.spec.items)' }] }, ['spec.validations[0].messageExpression: must evaluate to string']],
    ['audit value', { auditAnnotations: [{ key: 'k', valueExpression: '1' }, { key: 'k2', valueExpression: 'null' }] }, ['spec.auditAnnotations[0].valueExpression: must evaluate to one of [string null_type]']],
  ];
  for (const [name, spec, want] of cases) {
    const got = validateValidatingAdmissionPolicyExpressions(policy(spec)).map((e) => `${e.field}: ${e.detail.split('\n')[0].replace(/^Invalid value: ".*?": /, '')}`);
    assert.equal(got.length, want.length, `${name}: ${got.join('; ')}`);
    want.forEach((w, i) => assert.ok(got[i].startsWith(w), `${name}: ${got[i]} does not start with ${w}`));
  }
});

test('creating a policy with a bad expression is 422 Invalid through the API', async () => {
  await withPolicyPlugin(newValidatingAdmissionPolicy, async (server) => {
    const body = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'bad' },
      spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] }, validations: [{ expression: 'object.data.size( > 1' }] },
    };
    const res = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', { body });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.reason, 'Invalid');
    assert.equal(res.json.details.causes[0].field, 'spec.validations[0].expression');
    assert.match(res.json.message, /^ValidatingAdmissionPolicy.admissionregistration.k8s.io "bad" is invalid: spec.validations\[0\].expression: Invalid value: "object.data.size\( > 1": compilation failed: ERROR: <input>:1:19: Syntax error/);
    const fine = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', { body: { ...body, metadata: { name: 'fine' }, spec: { ...body.spec, validations: [{ expression: 'size(object.data) > 1' }] } } });
    assert.equal(fine.status, 201, fine.text);
    assert.equal(fine.json.metadata.generation, 1);
  });
});
