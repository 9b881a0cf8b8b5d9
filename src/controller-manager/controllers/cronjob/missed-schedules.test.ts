// mostRecentScheduleTime: nothing due, one due, many missed, startingDeadlineSeconds narrowing the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostRecentScheduleTime } from './missed-schedules.js';
import { parseSchedule } from './schedule.js';

const t = (iso: string): number => Date.parse(iso);

test('mostRecentScheduleTime finds the latest due activation and counts the missed ones', () => {
  const created = t('2026-01-01T10:00:30Z');
  const cases: Array<{ name: string; spec: string; now: string; last?: string; deadline?: number; want: { time?: string; missed: number } }> = [
    { name: 'not yet due', spec: '* * * * *', now: '2026-01-01T10:00:59Z', want: { missed: 0 } },
    { name: 'one due', spec: '* * * * *', now: '2026-01-01T10:01:10Z', want: { time: '2026-01-01T10:01:00.000Z', missed: 1 } },
    { name: 'after lastScheduleTime', spec: '* * * * *', now: '2026-01-01T10:05:10Z', last: '2026-01-01T10:04:00Z', want: { time: '2026-01-01T10:05:00.000Z', missed: 1 } },
    { name: 'many missed', spec: '* * * * *', now: '2026-01-01T12:00:10Z', want: { time: '2026-01-01T12:00:00.000Z', missed: 120 } },
    { name: 'deadline narrows', spec: '* * * * *', now: '2026-01-01T12:00:10Z', deadline: 200, want: { time: '2026-01-01T12:00:00.000Z', missed: 4 } },
    { name: 'hourly, days later', spec: '@hourly', now: '2026-01-03T10:30:00Z', want: { time: '2026-01-03T10:00:00.000Z', missed: 48 } },
    { name: 'irregular: weekdays 9:00', spec: '0 9 * * 1-5', now: '2026-01-12T09:00:00Z', want: { time: '2026-01-12T09:00:00.000Z', missed: 7 } },
  ];
  for (const c of cases) {
    const got = mostRecentScheduleTime({
      schedule: parseSchedule(c.spec),
      now: t(c.now),
      created,
      lastScheduleTime: c.last ? t(c.last) : undefined,
      startingDeadlineSeconds: c.deadline,
    });
    assert.deepEqual({ time: got.time === undefined ? undefined : new Date(got.time).toISOString(), missed: got.missed }, { time: c.want.time, missed: c.want.missed }, c.name);
  }
});
