// Summarizes a V8 .cpuprofile: self time per function (with its file) and per file, as percentages, so a
// benchmark report says where the scheduler's time went.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const i = url.indexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  const j = url.lastIndexOf('/');
  return j >= 0 ? url.slice(j + 1) : url || '(native)';
}

export function summarizeProfile(p: CpuProfile, top: number): { totalMs: number; topFunctions: unknown[]; topFiles: unknown[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
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
