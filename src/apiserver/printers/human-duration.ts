// Human-readable durations and ages exactly as upstream's duration.HumanDuration prints them in the AGE,
// LAST SEEN, DURATION and RESTARTS columns: 5s, 2m30s, 10m, 3h20m, 9h, 3d4h, 20d, 2y100d, 9y.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * upstream duration.HumanDuration for a duration in milliseconds: about two significant figures, whole
 * units truncated toward zero. Up to one second in the future reads as "0s" (clock skew between
 * machines); further in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24);
    const years = Math.trunc(days / 365);
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp (metav1.Time or MicroTime), or undefined when it
 * is unset, unparsable or Go's zero time (year 1), which upstream treats as "not set".
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || value.startsWith('0001-01-01')) return undefined;
  return ms;
}

/** upstream translateTimestampSince: the age of a timestamp at `now`, "<unknown>" when it is unset. */
export function timestampSince(value: unknown, now: number): string {
  const t = parseTimestamp(value);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
