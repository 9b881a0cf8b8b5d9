import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronScheduleError, timeZoneMessages } from './cron-schedule.js';

test('cron schedules: accepted forms and the parser errors upstream reports', () => {
  const cases: Array<[string, string | undefined]> = [
    ['*/5 * * * *', undefined],
    ['0 9-17 * * mon-fri', undefined],
    ['30 2 1,15 JAN,jul ?', undefined],
    ['@hourly', undefined],
    ['@every 1h30m', undefined],
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 0 0 * * *', 'expected exactly 5 fields, found 6: [0 0 0 * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
    ['TZ=Europe/Paris 0 * * * *', undefined],
  ];
  for (const [schedule, want] of cases) assert.equal(cronScheduleError(schedule), want, schedule);
});

test('time zones: IANA names only', () => {
  const cases: Array<[string, string[]]> = [
    ['Europe/Berlin', []],
    ['UTC', []],
    ['', ['timeZone must be nil or non-empty string']],
    ['Local', ['timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    ['../etc/passwd', ['unknown time zone ../etc/passwd']],
    ['Mars/Olympus', ['unknown time zone Mars/Olympus']],
  ];
  for (const [zone, want] of cases) assert.deepEqual(timeZoneMessages(zone), want, zone);
});
