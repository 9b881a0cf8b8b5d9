// Waiting for a condition in end-to-end tests: poll a check until it yields a value, with a bound, and say
// what was awaited (plus a diagnosis, e.g. a component's log tail) when it never came.
import assert from 'node:assert/strict';

/**
 * Calls `check` every 50 ms until it returns something other than undefined and returns that. A throwing
 * check counts as "not yet" (its last error is reported). Fails the test after `timeoutMs` (default 30 s).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, diagnose?: () => Promise<string>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${diagnose ? await diagnose() : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
