// metav1.MicroTime on the wire: RFC 3339 in UTC with exactly six fractional digits
// (`2006-01-02T15:04:05.000000Z`), as leases and events carry it.

/** Formats epoch milliseconds (sub-millisecond digits kept when present) as a MicroTime string. */
export function formatMicroTime(ms: number): string {
  const micros = Math.floor(ms * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const iso = new Date(wholeMs).toISOString(); // 2006-01-02T15:04:05.000Z
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

/** Parses a MicroTime (or plain RFC 3339 time) into epoch milliseconds; NaN for a malformed value. */
export function parseMicroTime(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) return Date.parse(s);
  const seconds = Date.parse(`${m[1]}Z`);
  const fraction = (m[2] ?? '').padEnd(9, '0');
  return seconds + Number(fraction) / 1e6;
}
