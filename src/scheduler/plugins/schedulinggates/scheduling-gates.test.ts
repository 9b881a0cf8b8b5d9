import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, Status } from '../../framework/status.js';
import { makePod } from '../../testing/builders.js';
import { SchedulingGatesPlugin } from './scheduling-gates.js';

test('SchedulingGates PreEnqueue', () => {
  const cases = [
    { name: 'no gates', pod: makePod(), want: null },
    { name: 'two gates', pod: makePod({ schedulingGates: ['a.io/x', 'b.io/y'] }), want: new Status(Code.UnschedulableAndUnresolvable, ['waiting for scheduling gates: [a.io/x b.io/y]']) },
  ];
  for (const tc of cases) assert.deepEqual(new SchedulingGatesPlugin().preEnqueue(tc.pod), tc.want, tc.name);
});
