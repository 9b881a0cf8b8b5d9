// Summarizes a V8 .cpuprofile: self time per function, per file and per cost category (optionally only inside
// the measured phase), so a benchmark report says where the scheduler's and the apiserver's time went.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the machine's monotonic clock (process.hrtime), as the samples' timestamps. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A part of the profiled process's life, on process.hrtime's clock in microseconds (e.g. the measured phase). */
export interface ProfileWindow {
  startUs: number;
  endUs: number;
}

/** Self time (µs) per profile node id, counting only samples taken inside `window` when given. */
function selfTimes(p: CpuProfile, window?: ProfileWindow): Map<number, number> {
  const self = new Map<number, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    if (window && (t < window.startUs || t > window.endUs)) return;
    self.set(id, (self.get(id) ?? 0) + d);
  });
  return self;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  const j = url.lastIndexOf('/');
  return j >= 0 ? url.slice(j + 1) : url || '(native)';
}

/**
 * One bucket of a per-pod cost table: a sample's self time goes to the first category whose pattern matches
 * "<functionName> <url>" of its frame; unmatched time goes to 'other'.
 */
export interface ProfileCategory {
  name: string;
  pattern: RegExp;
}

/**
 * Buckets for a k8ts process at scheduler_perf's workloads: order matters (the first match wins), so specific
 * source folders come before the generic JSON/network/GC buckets.
 */
export const defaultCategories: readonly ProfileCategory[] = [
  { name: 'idle', pattern: /^\(idle\) / },
  { name: 'gc', pattern: /^\(garbage collector\) / },
  { name: 'V8 (program, microtasks)', pattern: /^(\(program\)|runMicrotasks) / },
  { name: 'metrics', pattern: /prom-client|src\/[\w/-]*metrics/ },
  // V8 attributes an inlined callee's time to its caller: the Filter plugins mostly show up in schedule-one.
  { name: 'scheduling cycle (filter loop, host selection)', pattern: /src\/scheduler\/schedule-one/ },
  { name: 'scheduler framework+plugins', pattern: /src\/scheduler\/(framework|plugins)\// },
  { name: 'scheduling queue', pattern: /src\/scheduler\/queue\// },
  { name: 'scheduler cache/snapshot', pattern: /src\/scheduler\/cache\// },
  { name: 'scheduler (other: binding, events, handlers)', pattern: /src\/scheduler\// },
  { name: 'informer/watch client', pattern: /src\/client\/(tools|informers|watch)|src\/client\/rest\/watch/ },
  { name: 'REST client', pattern: /src\/client\// },
  { name: 'admission', pattern: /src\/apiserver\/(admission|cel)\// },
  { name: 'watch cache/fan-out', pattern: /src\/(apiserver|storage)\/.*(watch|cacher)/i },
  { name: 'managedFields/SSA', pattern: /src\/(apiserver|apimachinery)\/.*(managed|fieldmanager|apply)/i },
  { name: 'validation/defaulting', pattern: /src\/(api|apiserver)\/.*(valid|default)/i },
  { name: 'quantities, labels, other apimachinery', pattern: /src\/(apimachinery|api)\// },
  { name: 'storage', pattern: /src\/storage\// },
  { name: 'apiserver handlers/registry', pattern: /src\/apiserver\// },
  { name: 'JSON', pattern: /^(stringify|parse|JSONStringify|JsonStringifier|JSON\w*) |JSON/ },
  { name: 'HTTP/2, TLS, sockets', pattern: /node:(internal\/)?(http2|tls|net|stream|_tls|internal\/stream|internal\/http2)|^(writev|writeUtf8String|writeBuffer|onStreamRead|onread|TLSWrap\w*) / },
  { name: 'other Node internals (events, timers, abort signals)', pattern: / node:/ },
];

/**
 * Self time per category, as ms and % of the profile (of `window` when given: samples outside it are ignored);
 * `perPodMs` divides by `pods` when given.
 */
export function categorizeProfile(
  p: CpuProfile,
  opts: { categories?: readonly ProfileCategory[]; pods?: number; window?: ProfileWindow } = {},
): Array<{ category: string; ms: number; percent: number; perPodMs?: number }> {
  const categories = opts.categories ?? defaultCategories;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const us = new Map<string, number>();
  let total = 0;
  for (const [id, d] of selfTimes(p, opts.window)) {
    const n = byId.get(id);
    total += d;
    const key = n ? `${n.callFrame.functionName} ${n.callFrame.url}` : '';
    const cat = categories.find((c) => c.pattern.test(key))?.name ?? 'other';
    us.set(cat, (us.get(cat) ?? 0) + d);
  }
  return [...us]
    .sort((a, b) => b[1] - a[1])
    .map(([category, v]) => ({
      category,
      ms: Math.round(v / 1000),
      percent: total ? Math.round((v / total) * 1000) / 10 : 0,
      ...(opts.pods ? { perPodMs: Math.round((v / 1000 / opts.pods) * 1000) / 1000 } : {}),
    }));
}

export function summarizeProfile(
  p: CpuProfile,
  top: number,
  window?: ProfileWindow,
): { totalMs: number; topFunctions: unknown[]; topFiles: unknown[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = selfTimes(p, window);
  let total = 0;
  for (const v of self.values()) total += v;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const f = shortUrl(n.callFrame.url);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${f}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    file.set(f, (file.get(f) ?? 0) + us);
  }
  const pct = (us: number): number => Math.round((us / total) * 1000) / 10;
  const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: Math.round(total / 1000),
    topFunctions: sorted(fn).map(([name, us]) => ({ name, selfPercent: pct(us) })),
    topFiles: sorted(file).map(([name, us]) => ({ file: name, selfPercent: pct(us) })),
  };
}
