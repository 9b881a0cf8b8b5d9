import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueuedPodInfo } from '../../framework/interface.js';
import { newPodInfo } from '../../framework/node-info.js';
import { makePod } from '../../testing/builders.js';
import { PrioritySortPlugin } from './priority-sort.js';

function q(priority: number | undefined, timestamp: number): QueuedPodInfo {
  return {
    podInfo: newPodInfo(makePod({ priority })),
    timestamp,
    attempts: 0,
    initialAttemptTimestamp: undefined,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    gated: false,
    gatingPlugin: '',
  };
}

test('PrioritySort: higher priority first, then earlier timestamp', () => {
  const cases = [
    { name: 'higher priority wins', a: q(100, 2), b: q(10, 1), want: true },
    { name: 'lower priority loses', a: q(10, 1), b: q(100, 2), want: false },
    { name: 'equal priority, earlier first', a: q(5, 1), b: q(5, 2), want: true },
    { name: 'equal priority and time: not less', a: q(5, 1), b: q(5, 1), want: false },
    { name: 'unset priority is 0', a: q(undefined, 1), b: q(1, 2), want: false },
  ];
  for (const tc of cases) assert.equal(new PrioritySortPlugin().less(tc.a, tc.b), tc.want, tc.name);
});
