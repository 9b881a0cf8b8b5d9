import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreToEventsV1, eventsV1ToCore } from './convert.js';
import { eventStrategy } from './strategy.js';

const core = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'p1.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'u1', apiVersion: 'v1' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/p1 to n1',
  source: { component: 'default-scheduler' },
  firstTimestamp: '2026-11-22T06:00:00Z',
  lastTimestamp: '2026-11-22T06:01:00Z',
  count: 2,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'default-scheduler',
  reportingInstance: 'default-scheduler-n1',
  action: 'Binding',
};

test('core/v1 → events.k8s.io/v1 renames fields and round-trips', () => {
  const v1 = coreToEventsV1(core);
  assert.equal(v1.apiVersion, 'events.k8s.io/v1');
  const cases: Array<[string, unknown]> = [
    ['regarding', core.involvedObject],
    ['note', core.message],
    ['deprecatedSource', core.source],
    ['deprecatedFirstTimestamp', core.firstTimestamp],
    ['deprecatedLastTimestamp', core.lastTimestamp],
    ['deprecatedCount', 2],
    ['reportingController', 'default-scheduler'],
    ['reportingInstance', 'default-scheduler-n1'],
    ['action', 'Binding'],
    ['reason', 'Scheduled'],
  ];
  for (const [field, want] of cases) assert.deepEqual(v1[field], want, field);
  for (const gone of ['involvedObject', 'message', 'source', 'count', 'reportingComponent']) assert.equal(v1[gone], undefined, gone);
  assert.deepEqual(eventsV1ToCore(v1), core);
});

test('event field selectors and namespace check', () => {
  const f = eventStrategy.selectableFields!;
  assert.equal(f['involvedObject.name'](core), 'p1');
  assert.equal(f.source(core), 'default-scheduler');
  assert.equal(f['involvedObject.fieldPath'](core), '');
  assert.equal(f['involvedObject.namespace']({ involvedObject: { kind: 'Node', name: 'n1' } }), '');
  const wrongNs = { ...core, involvedObject: { ...core.involvedObject, namespace: 'other' } };
  assert.deepEqual(eventStrategy.validate!(wrongNs, { namespace: 'default', dryRun: false }).map((e) => e.field), ['involvedObject.namespace']);
});
