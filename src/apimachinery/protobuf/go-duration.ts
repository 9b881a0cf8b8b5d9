// Go's time.Duration.String(), the JSON form of metav1.Duration: "1h0m0s", "1m30s", "1.5s", "500ms", "0s".

function fraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale).padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Formats a duration given in nanoseconds. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(ns);
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${fraction(u, 3)}µs`;
  if (u < 1e9) return `${sign}${fraction(u, 6)}ms`;
  const totalSeconds = Math.floor(u / 1e9);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = fraction((totalSeconds % 60) * 1e9 + (u % 1e9), 9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

const unitNanos: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses Go's duration syntax ("1h30m", "1.5s", "-2ms") into nanoseconds; undefined if malformed. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (text === '0' || text === '-0' || text === '+0') return 0;
  if (!m) return undefined;
  let total = 0;
  for (const part of text.slice(m[1].length).matchAll(/(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g)) {
    const unit = unitNanos[part[3]];
    const frac = part[2] ?? '';
    total += Number(part[1] || '0') * unit + (frac ? Math.round((Number(frac) / 10 ** frac.length) * unit) : 0);
  }
  return m[1] === '-' ? -total : total;
}
