// Table tests for the RBAC, admission, certificates, coordination, flowcontrol, scheduling, node and
// apiregistration printers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  clusterRoleBindingPrinter,
  flowSchemaPrinter,
  formatParamRef,
  leasePrinter,
  mutatingAdmissionPolicyPrinter,
  mutatingWebhookConfigurationPrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  roleBindingPrinter,
  runtimeClassPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './control-plane-printers.js';
import type { TablePrinter } from './table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2026-03-01T11:58:30Z', ...extra });

test('control plane printers', () => {
  const subjects = [
    { kind: 'User', name: 'alice' },
    { kind: 'Group', name: 'devs' },
    { kind: 'ServiceAccount', namespace: 'kube-system', name: 'ctrl' },
    { kind: 'User', name: 'bob' },
  ];
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    {
      name: 'role binding',
      printer: roleBindingPrinter,
      obj: { metadata: meta('rb'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects },
      want: ['rb', 'Role/reader', '90s', 'alice, bob', 'devs', 'kube-system/ctrl'],
    },
    {
      name: 'cluster role binding without subjects',
      printer: clusterRoleBindingPrinter,
      obj: { metadata: meta('crb'), roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } },
      want: ['crb', 'ClusterRole/cluster-admin', '90s', '', '', ''],
    },
    { name: 'mutating webhooks', printer: mutatingWebhookConfigurationPrinter, obj: { metadata: meta('m'), webhooks: [{}, {}] }, want: ['m', 2, '90s'] },
    { name: 'validating webhooks', printer: validatingWebhookConfigurationPrinter, obj: { metadata: meta('v') }, want: ['v', 0, '90s'] },
    {
      name: 'validating admission policy',
      printer: validatingAdmissionPolicyPrinter,
      obj: { metadata: meta('vap'), spec: { validations: [{ expression: 'true' }], paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } },
      want: ['vap', 1, 'v1/ConfigMap', '90s'],
    },
    { name: 'mutating admission policy', printer: mutatingAdmissionPolicyPrinter, obj: { metadata: meta('map'), spec: {} }, want: ['map', 0, '<unset>', '90s'] },
    {
      name: 'policy binding',
      printer: validatingAdmissionPolicyBindingPrinter,
      obj: { metadata: meta('b'), spec: { policyName: 'vap', paramRef: { name: 'limits', namespace: 'default' } } },
      want: ['b', 'vap', 'default/limits', '90s'],
    },
    {
      name: 'certificate signing request, approved and issued',
      printer: certificateSigningRequestPrinter,
      obj: {
        metadata: meta('csr-1'),
        spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'system:admin', expirationSeconds: 86400 },
        status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
      },
      want: ['csr-1', '90s', 'kubernetes.io/kube-apiserver-client', 'system:admin', '24h', 'Approved,Issued'],
    },
    {
      name: 'pending CSR',
      printer: certificateSigningRequestPrinter,
      obj: { metadata: meta('csr-2'), spec: { username: 'u' } },
      want: ['csr-2', '90s', '<none>', 'u', '<none>', 'Pending'],
    },
    {
      name: 'denied and failed CSR',
      printer: certificateSigningRequestPrinter,
      obj: { metadata: meta('csr-3'), spec: { signerName: 's', username: 'u' }, status: { conditions: [{ type: 'Approved' }, { type: 'Denied' }, { type: 'Failed' }] } },
      want: ['csr-3', '90s', 's', 'u', '<none>', 'Denied,Failed'],
    },
    { name: 'lease', printer: leasePrinter, obj: { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'node-a_1234' } }, want: ['kube-scheduler', 'node-a_1234', '90s'] },
    {
      name: 'flow schema',
      printer: flowSchemaPrinter,
      obj: {
        metadata: meta('system-leader-election'),
        spec: { priorityLevelConfiguration: { name: 'leader-election' }, matchingPrecedence: 100, distinguisherMethod: { type: 'ByUser' } },
        status: { conditions: [{ type: 'Dangling', status: 'False' }] },
      },
      want: ['system-leader-election', 'leader-election', 100, 'ByUser', '90s', 'False'],
    },
    {
      name: 'flow schema without distinguisher or status',
      printer: flowSchemaPrinter,
      obj: { metadata: meta('exempt'), spec: { priorityLevelConfiguration: { name: 'exempt' }, matchingPrecedence: 1 } },
      want: ['exempt', 'exempt', 1, '<none>', '90s', '?'],
    },
    {
      name: 'limited priority level with queuing',
      printer: priorityLevelConfigurationPrinter,
      obj: {
        metadata: meta('workload-low'),
        spec: { type: 'Limited', limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } },
      },
      want: ['workload-low', 'Limited', 100, 128, 6, 50, '90s'],
    },
    {
      name: 'limited priority level that rejects',
      printer: priorityLevelConfigurationPrinter,
      obj: { metadata: meta('catch-all'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' } } } },
      want: ['catch-all', 'Limited', 5, '<none>', '<none>', '<none>', '90s'],
    },
    { name: 'exempt priority level', printer: priorityLevelConfigurationPrinter, obj: { metadata: meta('exempt'), spec: { type: 'Exempt' } }, want: ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '90s'] },
    {
      name: 'priority class',
      printer: priorityClassPrinter,
      obj: { metadata: meta('system-node-critical'), value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' },
      want: ['system-node-critical', 2000001000, false, '90s', 'PreemptLowerPriority'],
    },
    { name: 'runtime class', printer: runtimeClassPrinter, obj: { metadata: meta('gvisor'), handler: 'runsc' }, want: ['gvisor', 'runsc', '90s'] },
    { name: 'local API service', printer: apiServicePrinter, obj: { metadata: meta('v1.apps'), spec: {}, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } }, want: ['v1.apps', 'Local', 'True', '90s'] },
    {
      name: 'aggregated API service that is down',
      printer: apiServicePrinter,
      obj: { metadata: meta('v1beta1.metrics.k8s.io'), spec: { service: { namespace: 'kube-system', name: 'metrics-server' } }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } },
      want: ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '90s'],
    },
    { name: 'API service without status', printer: apiServicePrinter, obj: { metadata: meta('v1.x') }, want: ['v1.x', 'Local', 'Unknown', '90s'] },
  ];
  for (const c of cases) {
    const row = c.printer.printRow(c.obj as APIObject, now);
    assert.equal(row.cells.length, c.printer.columnDefinitions.length, c.name);
    assert.deepEqual(row.cells, c.want, c.name);
  }
});

test('flow schemas list in precedence order, then by name', () => {
  const fs = (name: string, precedence: number) => ({ metadata: { name }, spec: { matchingPrecedence: precedence } });
  const sorted = flowSchemaPrinter.sortList!([fs('global-default', 9900), fs('b', 500), fs('a', 500), fs('exempt', 1)]);
  assert.deepEqual(sorted.map((o) => o.metadata?.name), ['exempt', 'a', 'b', 'global-default']);
});

test('policy binding paramRef cell', () => {
  const cases: Array<[object | undefined, string]> = [
    [undefined, '<unset>'],
    [{ name: 'p', namespace: 'ns' }, 'ns/p'],
    [{ name: 'p' }, '*/p'],
    [{ selector: { matchLabels: { b: '2', a: '1' } } }, '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{},}'],
    [
      { selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'qa'] }] } },
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[dev qa],},},}',
    ],
    [{ parameterNotFoundAction: 'Deny' }, '<unset>'],
  ];
  for (const [ref, want] of cases) assert.equal(formatParamRef(ref as never), want, JSON.stringify(ref));
});
