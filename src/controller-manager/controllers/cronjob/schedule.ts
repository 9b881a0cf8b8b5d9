// Cron schedules as CronJobs use them (the standard parser of robfig/cron v3, which upstream uses): five
// fields — minute, hour, day of month, month, day of week — with `*`, `?`, lists, ranges, steps and
// JAN-DEC / SUN-SAT names, the @yearly … @hourly macros, and the next activation in a time zone.

/** A parsed schedule: the allowed values of each field as bit sets, and whether dom/dow were `*`. */
export interface Schedule {
  minute: bigint;
  hour: bigint;
  dom: bigint;
  month: bigint;
  dow: bigint;
  domStar: boolean;
  dowStar: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const weekdays: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const fieldBounds: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, months, weekdays];

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A schedule the parser rejects; the message follows robfig/cron's wording. */
export class ScheduleParseError extends Error {
  override readonly name = 'ScheduleParseError';
}

function bitsBetween(min: number, max: number, step: number): bigint {
  let bits = 0n;
  for (let i = min; i <= max; i += step) bits |= 1n << BigInt(i);
  return bits;
}

function parseValue(text: string, b: Bounds): number {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new ScheduleParseError(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

/** One comma-separated part of a field: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
function parseRange(expr: string, b: Bounds): { bits: bigint; star: boolean } {
  const [rangeText, stepText, extra] = expr.split('/');
  if (extra !== undefined) throw new ScheduleParseError(`too many slashes: ${expr}`);
  const [lowText, highText, extraDash] = rangeText!.split('-');
  if (extraDash !== undefined) throw new ScheduleParseError(`too many hyphens: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  if (lowText === '*' || lowText === '?') {
    if (highText !== undefined) throw new ScheduleParseError(`too many hyphens: ${expr}`);
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(lowText!, b);
    end = highText === undefined ? start : parseValue(highText, b);
  }
  let step = 1;
  if (stepText !== undefined) {
    step = parseValue(stepText, { min: 0, max: 0 });
    // `N/step` means N through the maximum.
    if (highText === undefined && !star) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new ScheduleParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new ScheduleParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new ScheduleParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleParseError(`step of range should be a positive number: ${expr}`);
  return { bits: bitsBetween(start, end, step), star };
}

function parseField(text: string, b: Bounds): { bits: bigint; star: boolean } {
  let bits = 0n;
  let star = false;
  for (const part of text.split(',')) {
    const r = parseRange(part, b);
    bits |= r.bits;
    star ||= r.star;
  }
  return { bits, star };
}

/**
 * Parses a standard five-field schedule or a macro. `TZ=`/`CRON_TZ=` prefixes are refused here: CronJobs
 * name their zone in spec.timeZone (upstream validation rejects the prefixes for new objects).
 */
export function parseSchedule(spec: string): Schedule {
  const trimmed = spec.trim();
  if (trimmed.length === 0) throw new ScheduleParseError('empty spec string');
  if (/^(CRON_)?TZ=/.test(trimmed)) throw new ScheduleParseError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  if (trimmed.startsWith('@')) {
    const expanded = macros[trimmed];
    if (!expanded) throw new ScheduleParseError(`unrecognized descriptor: ${trimmed}`);
    return parseSchedule(expanded);
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) throw new ScheduleParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, fieldBounds[i]!));
  return { minute: minute!.bits, hour: hour!.bits, dom: dom!.bits, month: month!.bits, dow: dow!.bits, domStar: dom!.star, dowStar: dow!.star };
}

const has = (bits: bigint, v: number): boolean => (bits & (1n << BigInt(v))) !== 0n;

/** robfig dayMatches: with either field `*`, both must match; otherwise either may. */
function dayMatches(s: Schedule, wall: Date): boolean {
  const domOk = has(s.dom, wall.getUTCDate());
  const dowOk = has(s.dow, wall.getUTCDay());
  return s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC (ms) at instant `ms`; undefined zone = UTC. */
export function zoneOffset(ms: number, timeZone: string | undefined): number {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUTC = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUTC - Math.floor(ms / 1000) * 1000;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock time of `ms` in the zone, as a Date whose UTC fields are the local fields. */
function toWall(ms: number, timeZone: string | undefined): Date {
  return new Date(ms + zoneOffset(ms, timeZone));
}

/** The instant of a wall-clock time in the zone (for times in a DST gap, the instant after the gap). */
function fromWall(wall: Date, timeZone: string | undefined): number {
  const w = wall.getTime();
  let guess = w - zoneOffset(w, timeZone);
  guess = w - zoneOffset(guess, timeZone);
  return guess;
}

/**
 * The first activation strictly after `afterMs` (robfig SpecSchedule.Next), evaluated on the wall clock
 * of `timeZone` (UTC when undefined). Undefined when none within five years (e.g. `0 0 30 2 *`).
 */
export function nextActivation(s: Schedule, afterMs: number, timeZone?: string): number | undefined {
  const wall = toWall(afterMs, timeZone);
  wall.setUTCSeconds(0, 0);
  wall.setUTCMinutes(wall.getUTCMinutes() + 1);
  const limitYear = wall.getUTCFullYear() + 5;
  while (wall.getUTCFullYear() <= limitYear) {
    if (!has(s.month, wall.getUTCMonth() + 1)) {
      wall.setUTCMonth(wall.getUTCMonth() + 1, 1);
      wall.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, wall)) {
      wall.setUTCDate(wall.getUTCDate() + 1);
      wall.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!has(s.hour, wall.getUTCHours())) {
      wall.setUTCHours(wall.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!has(s.minute, wall.getUTCMinutes())) {
      wall.setUTCMinutes(wall.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    const at = fromWall(wall, timeZone);
    // A wall time that maps back before `afterMs` (the repeated hour at a DST fall-back) is not "after".
    if (at > afterMs) return at;
    wall.setUTCMinutes(wall.getUTCMinutes() + 1, 0, 0);
  }
  return undefined;
}

/** RFC 3339 with the zone's offset (`Z` for UTC), as Go formats time.RFC3339 in a location. */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  const offset = zoneOffset(ms, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().replace('.000Z', '');
  if (offset === 0) return `${wall}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
