// The ValidatingAdmissionPolicy status controller against an in-process apiserver: a policy's validations are
// type-checked against the kinds it matches (schemas from the server's OpenAPI v3) and the warnings land in
// status.typeChecking with observedGeneration; fixing the policy clears them at the next generation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as admissionregistrationv1 from '../../src/api/generated/admissionregistration/v1.js';
import type { Interface } from '../../src/client/rest/interface.js';
import type { Typed } from '../../src/client/typed.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const policies = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
type Policy = Typed<admissionregistrationv1.ValidatingAdmissionPolicy>;

const policy = (validations: admissionregistrationv1.Validation[], extra: Partial<admissionregistrationv1.ValidatingAdmissionPolicySpec> = {}): Policy => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'replicas' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'replicasets'] }] },
    validations,
    ...extra,
  },
});

async function statusAt(client: Interface, generation: number): Promise<admissionregistrationv1.ValidatingAdmissionPolicyStatus> {
  let status: admissionregistrationv1.ValidatingAdmissionPolicyStatus | undefined;
  await eventually(async () => {
    status = (await client.resource<Policy>(policies).get('replicas')).status;
    return status?.observedGeneration === generation;
  });
  return status!;
}

test('type checking warnings per matched kind, with params typed as the paramKind; a fixed policy has none', async (t) => {
  const { client } = await startControllers(t, { controllers: ['validatingadmissionpolicy-status-controller'] });
  const created = await client.resource<Policy>(policies).create(
    policy(
      [
        { expression: 'object.replicas > 1' },
        { expression: 'object.spec.replicas > 1', messageExpression: "'too few: ' + object.spec.replicas" },
        { expression: 'params.data.max > 1' },
        { expression: 'object.spec.replicas <= int(params.data.max) && variables.selected', messageExpression: "'ok'" },
      ],
      {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        variables: [{ name: 'selected', expression: "has(object.spec.selector) && object.metadata.name.startsWith('web')" }],
      },
    ),
  );
  assert.equal(created.metadata?.generation, 1);
  const undefinedField = (kind: string) => `apps/v1, Kind=${kind}: ERROR: <input>:1:7: undefined field 'replicas'\n | object.replicas > 1\n | ......^\n`;
  const noOverload = (kind: string) => `apps/v1, Kind=${kind}: ERROR: <input>:1:13: found no matching overload for '_+_' applied to '(string, int)'\n | 'too few: ' + object.spec.replicas\n | ............^\n`;
  const paramsString = (kind: string) => `apps/v1, Kind=${kind}: ERROR: <input>:1:17: found no matching overload for '_>_' applied to '(string, int)'\n | params.data.max > 1\n | ................^\n`;
  const status = await statusAt(client, 1);
  assert.deepEqual(status.typeChecking?.expressionWarnings, [
    { fieldRef: 'spec.validations[0].expression', warning: `${undefinedField('Deployment')}\n${undefinedField('ReplicaSet')}` },
    { fieldRef: 'spec.validations[1].messageExpression', warning: `${noOverload('Deployment')}\n${noOverload('ReplicaSet')}` },
    { fieldRef: 'spec.validations[2].expression', warning: `${paramsString('Deployment')}\n${paramsString('ReplicaSet')}` },
  ]);

  // A corrected spec is a new generation: checked again, no warnings left.
  const fixed = policy([{ expression: 'object.spec.replicas > 1', messageExpression: "'too few: ' + string(object.spec.replicas)" }]);
  await client.resource<Policy>(policies).patch('replicas', 'merge', { spec: { validations: fixed.spec!.validations, paramKind: null, variables: null } });
  const after = await statusAt(client, 2);
  assert.deepEqual(after.typeChecking, {});
  // The controller owns only the status fields it applied.
  const current = await client.resource<Policy>(policies).get('replicas');
  const entry = current.metadata?.managedFields?.find((m) => m.manager === 'validatingadmissionpolicy-status-controller');
  assert.equal(entry?.operation, 'Apply');
  assert.equal(entry?.subresource, 'status');
});

test('wildcard rules and unserved kinds are not checked', async (t) => {
  const { client } = await startControllers(t, { controllers: ['validatingadmissionpolicy-status-controller'] });
  await client.resource<Policy>(policies).create(
    policy([{ expression: 'object.nosuch == 1' }], {
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['*'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
          { apiGroups: ['apps'], apiVersions: ['v9'], operations: ['CREATE'], resources: ['deployments'] },
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods/status', '*'] },
        ],
      },
    }),
  );
  const status = await statusAt(client, 1);
  assert.deepEqual(status.typeChecking, {});
});
