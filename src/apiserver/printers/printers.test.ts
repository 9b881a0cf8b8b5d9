// The printer registry against the served-resource table: every served kind has a printer whose rows
// match its columns (even for empty objects), the default table covers the kinds upstream prints as
// NAME / CREATED AT, and the cross-version printers (events.k8s.io, autoscaling/v1) print converted objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resources } from '../../api/resources.js';
import { defaultTablePrinter } from './default-printer.js';
import { builtinPrinterKinds, printerFor } from './printers.js';

const now = Date.parse('2026-03-01T12:00:00Z');

test('every served resource has a printer whose rows fit its columns', () => {
  const served = new Set(resources.map((r) => `${r.group}/${r.version}/${r.kind}`));
  for (const r of resources) for (const s of r.subresources) served.add(`${s.group ?? r.group}/${s.version ?? r.version}/${s.kind}`);
  for (const key of builtinPrinterKinds()) assert.ok(served.has(key), `printer for ${key}, which is not served`);
  for (const r of resources) {
    const printer = printerFor(r);
    const names = printer.columnDefinitions.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, `${r.plural}: duplicate column names`);
    // At least one: upstream also marks VolumeAttachment's ATTACHER column with the name format.
    assert.ok(printer.columnDefinitions.some((c) => c.format === 'name'), `${r.plural}: a name column`);
    for (const c of printer.columnDefinitions) {
      assert.ok(['string', 'integer', 'number', 'boolean', 'date'].includes(c.type), `${r.plural}/${c.name}: type ${c.type}`);
      assert.ok(c.priority === 0 || c.priority === 1, `${r.plural}/${c.name}: priority`);
      assert.ok(c.description.length > 0, `${r.plural}/${c.name}: description`);
    }
    for (const obj of [{}, { metadata: { name: 'x' } }, { metadata: { name: 'x', creationTimestamp: '2026-03-01T11:00:00Z' }, spec: {}, status: {} }]) {
      const row = printer.printRow({ apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...obj }, now);
      assert.equal(row.cells.length, printer.columnDefinitions.length, `${r.plural}: cells of ${JSON.stringify(obj)}`);
    }
  }
});

test('kinds printed with the default NAME / CREATED AT table', () => {
  const defaults = resources.filter((r) => printerFor(r) === defaultTablePrinter).map((r) => `${r.group}/${r.plural}`);
  assert.deepEqual(defaults.sort(), [
    '/bindings',
    '/limitranges',
    'apiextensions.k8s.io/customresourcedefinitions',
    'authentication.k8s.io/selfsubjectreviews',
    'authentication.k8s.io/tokenreviews',
    'authorization.k8s.io/localsubjectaccessreviews',
    'authorization.k8s.io/selfsubjectaccessreviews',
    'authorization.k8s.io/selfsubjectrulesreviews',
    'authorization.k8s.io/subjectaccessreviews',
    'rbac.authorization.k8s.io/clusterroles',
    'rbac.authorization.k8s.io/roles',
  ]);
  const row = defaultTablePrinter.printRow({ metadata: { name: 'admin', creationTimestamp: '2026-01-02T03:04:05Z' } }, now);
  assert.deepEqual(row.cells, ['admin', '2026-01-02T03:04:05Z']);
  assert.deepEqual(defaultTablePrinter.printRow({ metadata: { name: 'x' } }, now).cells, ['x', '0001-01-01T00:00:00Z']);
  assert.deepEqual(
    defaultTablePrinter.columnDefinitions.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ],
  );
});

test('the scale subresource prints NAME DESIRED AVAILABLE AGE', () => {
  const printer = printerFor({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', creationTimestamp: '2026-03-01T11:00:00Z' }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } };
  assert.deepEqual(printer.columnDefinitions.map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', ''],
    ['Desired', 'integer', ''],
    ['Available', 'integer', ''],
    ['Age', 'string', ''],
  ]);
  assert.deepEqual(printer.printRow(scale, now).cells, ['web', 3, 2, '60m']);
});

test('events.k8s.io/v1 events print like core events', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    eventTime: '2026-03-01T11:59:00.000000Z',
    regarding: { kind: 'Pod', name: 'web' },
    reason: 'Pulled',
    type: 'Normal',
    note: 'Image pulled',
    reportingController: 'kubelet',
    reportingInstance: 'node-a',
  };
  const cells = printerFor({ group: 'events.k8s.io', version: 'v1', kind: 'Event' }).printRow(ev, now).cells;
  assert.deepEqual(cells, ['60s', 'Normal', 'Pulled', 'pod/web', '', 'kubelet, node-a', 'Image pulled', '60s', 1, 'web.1']);
});

test('autoscaling/v1 HPAs print their CPU target like v2 ones', () => {
  const hpa = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', creationTimestamp: '2026-03-01T11:00:00Z' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 10 },
  };
  const printer = printerFor({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
  assert.deepEqual(printer.printRow(hpa, now).cells, ['web', 'Deployment/web', 'cpu: 10%/50%', '1', 5, 2, '60m']);
  assert.equal(hpa.spec.targetCPUUtilizationPercentage, 50, 'the served object is not modified');
});
