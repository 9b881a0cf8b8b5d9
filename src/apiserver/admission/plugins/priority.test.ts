import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newPriority } from './priority.js';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({
  group: 'scheduling.k8s.io',
  resource: 'priorityclasses',
  obj: { metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority', ...extra },
});

test('pods: class name → priority and preemptionPolicy, the global default, built-in system classes', async () => {
  const withDefault = newPriority({ reader: staticReader([pc('high', 1000), pc('low-default', 10, { globalDefault: true }), pc('never', 500, { preemptionPolicy: 'Never' })]) });
  const noDefault = newPriority({ reader: staticReader([pc('high', 1000)]) });
  const cases = [
    { plugin: withDefault, spec: { priorityClassName: 'high' }, want: { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' } },
    { plugin: withDefault, spec: {}, want: { priorityClassName: 'low-default', priority: 10, preemptionPolicy: 'PreemptLowerPriority' } },
    { plugin: withDefault, spec: { priorityClassName: 'never' }, want: { priorityClassName: 'never', priority: 500, preemptionPolicy: 'Never' } },
    { plugin: noDefault, spec: {}, want: { priority: 0 } },
    { plugin: noDefault, spec: { priorityClassName: 'system-node-critical' }, want: { priorityClassName: 'system-node-critical', priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' } },
    { plugin: noDefault, spec: { priorityClassName: 'system-cluster-critical', priority: 2000000000 }, want: { priorityClassName: 'system-cluster-critical', priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' } },
    { plugin: noDefault, spec: { priorityClassName: 'nope' }, err: 'pods "p" is forbidden: no PriorityClass with name nope was found' },
    {
      plugin: noDefault,
      spec: { priorityClassName: 'high', priority: 5 },
      err: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    },
    {
      plugin: withDefault,
      spec: { priorityClassName: 'never', preemptionPolicy: 'PreemptLowerPriority' },
      err: 'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    },
  ];
  for (const c of cases) {
    const pod: corev1.Pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'a' }], ...c.spec } };
    const run = c.plugin.admit!(testAttributes({ kind: 'Pod', resource: 'pods', namespace: 'ns', object: pod as never }));
    if (c.err) {
      await assert.rejects(run, { code: 403, message: c.err });
      continue;
    }
    await run;
    const { containers: _, ...rest } = pod.spec!;
    assert.deepEqual(rest, c.want, JSON.stringify(c.spec));
  }
});

test('PriorityClass: only one global default', async () => {
  const plugin = newPriority({ reader: staticReader([pc('base', 1, { globalDefault: true })]) });
  const write = (operation: 'CREATE' | 'UPDATE', name: string, globalDefault: boolean) =>
    plugin.validate!(testAttributes({ operation, group: 'scheduling.k8s.io', kind: 'PriorityClass', resource: 'priorityclasses', object: { metadata: { name }, value: 5, globalDefault } as never, oldObject: operation === 'UPDATE' ? ({ metadata: { name } } as never) : undefined }));
  const cases = [
    { op: 'CREATE' as const, name: 'other', def: false, err: undefined },
    { op: 'CREATE' as const, name: 'other', def: true, err: 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass base is already marked as default. Only one default can exist' },
    { op: 'UPDATE' as const, name: 'base', def: true, err: undefined },
    { op: 'UPDATE' as const, name: 'other', def: true, err: 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass base is already marked as default. Only one default can exist' },
  ];
  for (const c of cases) {
    if (c.err) await assert.rejects(write(c.op, c.name, c.def), { code: 403, message: c.err });
    else await write(c.op, c.name, c.def);
  }
});
