// Which scheduled time a CronJob should run now (upstream mostRecentScheduleTime): the latest activation
// between its last schedule (or creation, or now − startingDeadlineSeconds) and now, and how many were missed.
import { nextActivation, type Schedule } from './schedule.js';

/** Upstream warns (TooManyMissedTimes) above this many missed activations. */
export const tooManyMissedStarts = 100;

/** Up to this many activations are walked one by one (exact count); longer gaps are jumped. */
const walkLimit = 1000;

export interface MostRecent {
  /** The activation to run now, if any is due. */
  time?: number;
  /** Activations due since `earliest` (the one to run included). */
  missed: number;
}

/**
 * The latest activation in (earliest, now], where earliest is `lastScheduleTime` (else `created`), moved up
 * to now − startingDeadlineSeconds when that is later. Gaps of more than 1000 activations are crossed by
 * the schedule's first interval, so there `missed` of an irregular schedule is an estimate (it only feeds
 * the warning); `time` is always exact.
 */
export function mostRecentScheduleTime(opts: {
  schedule: Schedule;
  timeZone?: string;
  now: number;
  created: number;
  lastScheduleTime?: number;
  startingDeadlineSeconds?: number;
}): MostRecent {
  let earliest = opts.lastScheduleTime ?? opts.created;
  if (opts.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, opts.now - opts.startingDeadlineSeconds * 1000);
  const first = nextActivation(opts.schedule, earliest, opts.timeZone);
  if (first === undefined || first > opts.now) return { missed: 0 };
  let time = first;
  let missed = 1;
  // Long gaps: jump close to now by the first interval; the walk below then lands on the exact time.
  const second = nextActivation(opts.schedule, first, opts.timeZone);
  if (second !== undefined && second <= opts.now) {
    const interval = second - first;
    const skipped = Math.floor((opts.now - first) / interval) - 1;
    if (skipped > walkLimit) {
      const probe = nextActivation(opts.schedule, first + skipped * interval - 1, opts.timeZone);
      if (probe !== undefined && probe <= opts.now) {
        time = probe;
        missed += skipped;
      }
    }
  }
  for (;;) {
    const next = nextActivation(opts.schedule, time, opts.timeZone);
    if (next === undefined || next > opts.now) break;
    time = next;
    missed++;
  }
  return { time, missed };
}
