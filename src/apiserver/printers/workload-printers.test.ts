// Table tests for the workload printers: deployments (READY 2/3), replica sets, stateful sets, daemon
// sets, controller revisions, jobs (STATUS, COMPLETIONS, DURATION), cron jobs, HPAs (TARGETS) and PDBs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import type { TablePrinter } from './table.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  formatHPAMetrics,
  horizontalPodAutoscalerPrinter,
  jobPrinter,
  podDisruptionBudgetPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workload-printers.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString().replace('.000Z', 'Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: ago(45), ...extra });
const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit' }] } };

function cells(printer: TablePrinter, obj: object): unknown[] {
  const row = printer.printRow(obj as APIObject, now);
  assert.equal(row.cells.length, printer.columnDefinitions.length, 'one cell per column');
  return row.cells;
}

test('apps printers', () => {
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    {
      name: 'deployment mid-rollout',
      printer: deploymentPrinter,
      obj: {
        metadata: meta('web'),
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template },
        status: { replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 },
      },
      want: ['web', '2/3', 1, 2, '45s', 'web,log', 'nginx:1.27,fluent-bit', 'app=web,tier in (a,b)'],
    },
    {
      name: 'new deployment without status',
      printer: deploymentPrinter,
      obj: { metadata: meta('new'), spec: { replicas: 0, selector: { matchLabels: { app: 'new' } }, template } },
      want: ['new', '0/0', 0, 0, '45s', 'web,log', 'nginx:1.27,fluent-bit', 'app=new'],
    },
    {
      name: 'replica set',
      printer: replicaSetPrinter,
      obj: { metadata: meta('web-5d8f'), spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f' } }, template }, status: { replicas: 2, readyReplicas: 1 } },
      want: ['web-5d8f', 2, 2, 1, '45s', 'web,log', 'nginx:1.27,fluent-bit', 'app=web,pod-template-hash=5d8f'],
    },
    {
      name: 'stateful set',
      printer: statefulSetPrinter,
      obj: { metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 3 } },
      want: ['db', '3/3', '45s', 'web,log', 'nginx:1.27,fluent-bit'],
    },
    {
      name: 'daemon set with node selector',
      printer: daemonSetPrinter,
      obj: {
        metadata: meta('agent'),
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
        status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 },
      },
      want: ['agent', 4, 4, 3, 4, 3, 'kubernetes.io/os=linux', '45s', 'web,log', 'nginx:1.27,fluent-bit', 'app=agent'],
    },
    {
      name: 'controller revision owned by a stateful set',
      printer: controllerRevisionPrinter,
      obj: {
        metadata: meta('db-7c9', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }),
        revision: 2,
      },
      want: ['db-7c9', 'statefulset.apps/db', 2, '45s'],
    },
    {
      name: 'controller revision without controller',
      printer: controllerRevisionPrinter,
      obj: { metadata: meta('orphan'), revision: 1 },
      want: ['orphan', '<none>', 1, '45s'],
    },
  ];
  for (const c of cases) assert.deepEqual(cells(c.printer, c.obj), c.want, c.name);
});

test('jobs: status precedence, completions and duration', () => {
  const job = (spec: object, status: object, extraMeta: Record<string, unknown> = {}) => ({
    metadata: meta('pi', extraMeta),
    spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, ...spec },
    status,
  });
  const cond = (type: string, status = 'True') => ({ type, status });
  const cases: Array<{ name: string; obj: object; want: unknown[] }> = [
    { name: 'running', obj: job({ completions: 3, parallelism: 1 }, { startTime: ago(30), succeeded: 1 }), want: ['Running', '1/3', '30s'] },
    { name: 'complete', obj: job({ completions: 1 }, { startTime: ago(40), completionTime: ago(10), succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }), want: ['Complete', '1/1', '30s'] },
    { name: 'failed', obj: job({ completions: 1 }, { startTime: ago(40), conditions: [cond('FailureTarget'), cond('Failed')] }), want: ['Failed', '0/1', '40s'] },
    { name: 'terminating beats suspended', obj: job({}, { conditions: [cond('Suspended')] }, { deletionTimestamp: ago(1) }), want: ['Terminating', '0/1', ''] },
    { name: 'suspended', obj: job({ completions: 2 }, { conditions: [cond('Suspended')] }), want: ['Suspended', '0/2', ''] },
    { name: 'condition False is ignored', obj: job({ completions: 2 }, { conditions: [cond('Complete', 'False')] }), want: ['Running', '0/2', ''] },
    { name: 'failure target', obj: job({ completions: 2 }, { conditions: [cond('FailureTarget')] }), want: ['FailureTarget', '0/2', ''] },
    { name: 'work queue with parallelism', obj: job({ parallelism: 5 }, { succeeded: 2 }), want: ['Running', '2/1 of 5', ''] },
  ];
  for (const c of cases) {
    const got = cells(jobPrinter, c.obj);
    assert.deepEqual(got.slice(1, 4), c.want, c.name);
    assert.deepEqual(got.slice(5), ['web,log', 'nginx:1.27,fluent-bit', 'batch.kubernetes.io/controller-uid=u1'], c.name);
  }
});

test('cron jobs', () => {
  const cj = {
    metadata: meta('backup'),
    spec: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(125) },
  };
  assert.deepEqual(cells(cronJobPrinter, cj), ['backup', '*/5 * * * *', 'Etc/UTC', 'False', 1, '2m5s', '45s', 'web,log', 'nginx:1.27,fluent-bit', '<none>']);
  const fresh = { metadata: meta('fresh'), spec: { schedule: '@daily', jobTemplate: { spec: { template } } } };
  assert.deepEqual(cells(cronJobPrinter, fresh).slice(0, 7), ['fresh', '@daily', '<none>', '<unset>', 0, '<none>', '45s']);
});

test('HPA targets as upstream formats them', () => {
  const resource = (name: string, target: object) => ({ type: 'Resource', resource: { name, target } });
  const cases: Array<{ name: string; specs: object[]; statuses?: object[]; want: string }> = [
    { name: 'no metrics', specs: [], want: '<none>' },
    { name: 'cpu utilization, current unknown', specs: [resource('cpu', { type: 'Utilization', averageUtilization: 50 })], want: 'cpu: <unknown>/50%' },
    {
      name: 'cpu utilization with current',
      specs: [resource('cpu', { type: 'Utilization', averageUtilization: 50 })],
      statuses: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 10, averageValue: '10m' } } }],
      want: 'cpu: 10%/50%',
    },
    {
      name: 'memory average value',
      specs: [resource('memory', { type: 'AverageValue', averageValue: '1Gi' })],
      statuses: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '200Mi' } } }],
      want: 'memory: 200Mi/1Gi',
    },
    { name: 'utilization target missing: <auto>', specs: [resource('cpu', { type: 'Utilization' })], want: 'cpu: <unknown>/<auto>' },
    {
      name: 'pods and external, three metrics cut at two',
      specs: [
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '100' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
        { type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '10k' } } },
      ],
      statuses: [{ type: 'Pods', pods: { current: { averageValue: '42' } } }],
      want: '42/100, <unknown>/30 (avg) + 1 more...',
    },
    {
      name: 'object value and container resource',
      specs: [
        { type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '10k' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
      statuses: [{ type: 'Object', object: { current: { value: '5k' } } }, { type: 'ContainerResource', containerResource: { name: 'cpu', current: { averageUtilization: 70 } } }],
      want: '5k/10k, cpu: 70%/60%',
    },
    { name: 'unknown type', specs: [{ type: 'Bogus' }], want: '<unknown type>' },
  ];
  for (const c of cases) assert.equal(formatHPAMetrics(c.specs as never, c.statuses as never), c.want, c.name);

  const hpa = {
    metadata: meta('web'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, metrics: [resource('cpu', { type: 'Utilization', averageUtilization: 80 })] },
    status: { currentReplicas: 3, desiredReplicas: 3 },
  };
  assert.deepEqual(cells(horizontalPodAutoscalerPrinter, hpa), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 10, 3, '45s']);
});

test('pod disruption budgets', () => {
  const cases: Array<{ name: string; obj: object; want: unknown[] }> = [
    { name: 'minAvailable number', obj: { metadata: meta('a'), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, want: ['a', '2', 'N/A', 1, '45s'] },
    { name: 'maxUnavailable percent', obj: { metadata: meta('b'), spec: { maxUnavailable: '25%' } }, want: ['b', 'N/A', '25%', 0, '45s'] },
  ];
  for (const c of cases) assert.deepEqual(cells(podDisruptionBudgetPrinter, c.obj), c.want, c.name);
});
