import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { JSONObject } from './fields.js';
import { defaultPriorityClass } from './scheduling-v1.js';

test('PriorityClass preemption policy', () => {
  const cases: Array<{ name: string; obj: JSONObject; want: string }> = [
    { name: 'unset', obj: { value: 1000 }, want: 'PreemptLowerPriority' },
    {
      name: 'kubectl create priorityclass high --value=1000 --preemption-policy=Never',
      obj: JSON.parse(readFileSync(new URL('../testdata/protobuf/priorityclass.kubectl.json', import.meta.url), 'utf8')) as JSONObject,
      want: 'Never',
    },
  ];
  for (const c of cases) {
    defaultPriorityClass(c.obj);
    assert.equal(c.obj.preemptionPolicy, c.want, c.name);
  }
});
