// Tests the CPU profile summaries the scheduler bench prints: self time bucketed into categories, per pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categorizeProfile, summarizeProfile, type CpuProfile } from './profile-summary.js';

function profile(frames: Array<{ fn: string; url: string; us: number }>): CpuProfile {
  return {
    nodes: frames.map((f, i) => ({ id: i + 1, callFrame: { functionName: f.fn, url: f.url, lineNumber: 0 } })),
    startTime: 0,
    samples: frames.map((_, i) => i + 1),
    timeDeltas: frames.map((f) => f.us),
  };
}

test('categorizeProfile buckets self time by the first matching category', () => {
  const cases: Array<{ name: string; fn: string; url: string; want: string }> = [
    { name: 'gc', fn: '(garbage collector)', url: '', want: 'gc' },
    { name: 'idle', fn: '(idle)', url: '', want: 'idle' },
    { name: 'a filter plugin', fn: 'filter', url: 'file:///r/src/scheduler/plugins/noderesources/fit.ts', want: 'scheduler framework+plugins' },
    { name: 'the scheduling queue', fn: 'pop', url: 'file:///r/src/scheduler/queue/scheduling-queue.ts', want: 'scheduling queue' },
    { name: 'the filter loop', fn: 'findNodesThatPassFilters', url: 'file:///r/src/scheduler/schedule-one.ts', want: 'scheduling cycle (filter loop, host selection)' },
    { name: 'the informer', fn: 'handle', url: 'file:///r/src/client/tools/cache/reflector.ts', want: 'informer/watch client' },
    { name: 'a REST request', fn: 'request', url: 'file:///r/src/client/rest/request.ts', want: 'REST client' },
    { name: 'JSON.parse', fn: 'parse', url: '', want: 'JSON' },
    { name: 'HTTP/2 framing', fn: 'write', url: 'node:internal/http2/core', want: 'HTTP/2, TLS, sockets' },
    { name: 'anything else', fn: 'f', url: 'file:///r/bench/x.ts', want: 'other' },
  ];
  for (const c of cases) {
    const got = categorizeProfile(profile([{ fn: c.fn, url: c.url, us: 1000 }]));
    assert.deepEqual(got.map((g) => g.category), [c.want], c.name);
  }
});

test('categorizeProfile reports ms, percent and ms per pod, largest first', () => {
  const got = categorizeProfile(
    profile([
      { fn: '(garbage collector)', url: '', us: 1_000_000 },
      { fn: 'parse', url: '', us: 3_000_000 },
    ]),
    { pods: 2000 },
  );
  assert.deepEqual(got, [
    { category: 'JSON', ms: 3000, percent: 75, perPodMs: 1.5 },
    { category: 'gc', ms: 1000, percent: 25, perPodMs: 0.5 },
  ]);
});

test('a window keeps only the samples taken inside it (the measured phase)', () => {
  // Samples end at 1,000 µs (start-up), 3,000 µs and 6,000 µs on the profile's clock.
  const p = profile([
    { fn: 'compileSourceTextModule', url: 'node:internal/modules/esm/utils', us: 1000 },
    { fn: 'parse', url: '', us: 2000 },
    { fn: '(garbage collector)', url: '', us: 3000 },
  ]);
  const cases: Array<{ name: string; window?: { startUs: number; endUs: number }; want: Record<string, number> }> = [
    { name: 'whole profile', want: { 'other Node internals (events, timers, abort signals)': 1, JSON: 2, gc: 3 } },
    { name: 'after start-up', window: { startUs: 1500, endUs: 10_000 }, want: { JSON: 2, gc: 3 } },
    { name: 'one sample', window: { startUs: 2500, endUs: 3500 }, want: { JSON: 2 } },
    { name: 'nothing', window: { startUs: 7000, endUs: 8000 }, want: {} },
  ];
  for (const c of cases) {
    const got = Object.fromEntries(categorizeProfile(p, { window: c.window }).map((x) => [x.category, x.ms]));
    assert.deepEqual(got, c.want, c.name);
    const total = Object.values(c.want).reduce((a, b) => a + b, 0);
    assert.equal(summarizeProfile(p, 5, c.window).totalMs, total, c.name);
  }
});
