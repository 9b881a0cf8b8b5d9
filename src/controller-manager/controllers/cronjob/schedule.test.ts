// Cron parsing and next activations: fields, names, steps, macros, dom/dow semantics, time zones, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleParseError, formatInZone, nextActivation, parseSchedule } from './schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

test('nextActivation follows the standard cron semantics', () => {
  const cases: Array<{ spec: string; after: string; want: string | undefined; tz?: string }> = [
    { spec: '* * * * *', after: '2026-01-01T10:00:30Z', want: '2026-01-01T10:01:00.000Z' },
    { spec: '* * * * *', after: '2026-01-01T10:01:00Z', want: '2026-01-01T10:02:00.000Z' },
    { spec: '*/15 * * * *', after: '2026-01-01T10:16:00Z', want: '2026-01-01T10:30:00.000Z' },
    { spec: '5/20 * * * *', after: '2026-01-01T10:26:00Z', want: '2026-01-01T10:45:00.000Z' },
    { spec: '0 9-17/4 * * *', after: '2026-01-01T13:00:00Z', want: '2026-01-01T17:00:00.000Z' },
    { spec: '30 2 * * MON-FRI', after: '2026-01-02T03:00:00Z', want: '2026-01-05T02:30:00.000Z' },
    { spec: '0 0 1 jan,JUL ?', after: '2026-02-01T00:00:00Z', want: '2026-07-01T00:00:00.000Z' },
    // Both day fields restricted: either may match (the 13th, or a Friday).
    { spec: '0 0 13 * 5', after: '2026-02-01T00:00:00Z', want: '2026-02-06T00:00:00.000Z' },
    { spec: '@hourly', after: '2026-01-01T10:00:00Z', want: '2026-01-01T11:00:00.000Z' },
    { spec: '@daily', after: '2026-01-01T10:00:00Z', want: '2026-01-02T00:00:00.000Z' },
    { spec: '@weekly', after: '2026-01-01T10:00:00Z', want: '2026-01-04T00:00:00.000Z' },
    { spec: '@monthly', after: '2026-01-15T10:00:00Z', want: '2026-02-01T00:00:00.000Z' },
    { spec: '@yearly', after: '2026-01-15T10:00:00Z', want: '2027-01-01T00:00:00.000Z' },
    { spec: '0 0 30 2 *', after: '2026-01-01T00:00:00Z', want: undefined },
    { spec: '0 9 * * *', after: '2026-01-01T00:00:00Z', tz: 'Europe/Berlin', want: '2026-01-01T08:00:00.000Z' },
    { spec: '0 9 * * *', after: '2026-07-01T00:00:00Z', tz: 'Europe/Berlin', want: '2026-07-01T07:00:00.000Z' },
    { spec: '0 0 * * *', after: '2026-01-01T12:00:00Z', tz: 'America/New_York', want: '2026-01-02T05:00:00.000Z' },
  ];
  for (const c of cases) assert.equal(iso(nextActivation(parseSchedule(c.spec), at(c.after), c.tz)), c.want, `${c.spec} after ${c.after} ${c.tz ?? ''}`);
});

test('parseSchedule rejects what robfig/cron rejects, and TZ prefixes', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty spec string/],
    ['* * * *', /expected exactly 5 fields, found 4/],
    ['60 * * * *', /end of range \(60\) above maximum \(59\)/],
    ['* * 0 * *', /beginning of range \(0\) below minimum \(1\)/],
    ['5-1 * * * *', /beginning of range \(5\) beyond end of range \(1\)/],
    ['*/0 * * * *', /step of range should be a positive number/],
    ['x * * * *', /failed to parse int from x/],
    ['@every 5m', /unrecognized descriptor/],
    ['CRON_TZ=UTC * * * * *', /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/],
    ['TZ=Europe/Berlin 0 * * * *', /cannot use TZ or CRON_TZ/],
  ];
  for (const [spec, want] of cases) assert.throws(() => parseSchedule(spec), (err: unknown) => err instanceof ScheduleParseError && want.test(err.message), spec);
});

test('formatInZone writes RFC 3339 with the zone offset', () => {
  assert.equal(formatInZone(at('2026-01-01T08:00:00Z'), undefined), '2026-01-01T08:00:00Z');
  assert.equal(formatInZone(at('2026-01-01T08:00:00Z'), 'Europe/Berlin'), '2026-01-01T09:00:00+01:00');
  assert.equal(formatInZone(at('2026-01-01T08:00:00Z'), 'America/New_York'), '2026-01-01T03:00:00-05:00');
});
