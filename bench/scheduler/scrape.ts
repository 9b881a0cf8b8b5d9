// Reads the scheduler's own view of a run from its /metrics (HTTPS, self-signed): how long the Bind extension
// point took (the apiserver round trip of pods/binding) and how long whole attempts took, as quantiles
// estimated from the histogram buckets.
import { request } from 'node:https';

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The q-quantile (0–1) of a Prometheus histogram given its cumulative buckets, as the bucket's upper bound. */
export function bucketQuantile(buckets: Array<{ le: number; count: number }>, q: number): number {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total === 0) return NaN;
  for (const b of buckets) if (b.count >= q * total) return b.le;
  return Infinity;
}

/** Cumulative buckets of `metric` whose label set includes every `labels` pair. */
export function histogramBuckets(text: string, metric: string, labels: Record<string, string>): Array<{ le: number; count: number }> {
  const out: Array<{ le: number; count: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`)) continue;
    const labelText = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
    const le = /le="([^"]+)"/.exec(labelText)?.[1] ?? '+Inf';
    out.push({ le: le === '+Inf' ? Infinity : Number(le), count: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return out.sort((a, b) => a.le - b.le);
}

export async function scrapeSchedulerMetrics(port: number): Promise<Record<string, number>> {
  const text = await get(`https://127.0.0.1:${port}/metrics`);
  const bind = histogramBuckets(text, 'scheduler_framework_extension_point_duration_seconds', { extension_point: 'Bind', status: 'Success' });
  const attempt = histogramBuckets(text, 'scheduler_scheduling_attempt_duration_seconds', { result: 'scheduled' });
  const ms = (s: number): number => Math.round(s * 1e4) / 10;
  return {
    bindP50MsAtMost: ms(bucketQuantile(bind, 0.5)),
    bindP99MsAtMost: ms(bucketQuantile(bind, 0.99)),
    attemptP50MsAtMost: ms(bucketQuantile(attempt, 0.5)),
    attemptP99MsAtMost: ms(bucketQuantile(attempt, 0.99)),
  };
}
