import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newGone, newResourceExpired, newTooManyRequests, newInternalError } from '../../apimachinery/errors.js';
import { Backoff } from '../../base/backoff.js';
import { FakeClock } from '../../base/clock.js';
import { newLogger } from '../../base/logger.js';
import type { KubeList, KubeObject, ListOptions, WatchEvent } from '../rest/interface.js';
import type { ListerWatcher } from './interface.js';
import { Reflector } from './reflector.js';
import { newIndexer } from './store.js';

type ListStep = KubeList | Error;
/** A watch step: events to yield, then how the stream ends. */
type WatchStep = Error | { events: WatchEvent[]; end: 'close' | 'hang' | Error };

/** Answers lists and watches from scripts; when a script runs out, the call waits until aborted. */
function scripted(lists: ListStep[], watches: WatchStep[]): { lw: ListerWatcher; calls: Array<{ verb: string; opts: ListOptions }> } {
  const calls: Array<{ verb: string; opts: ListOptions }> = [];
  const forever = (signal?: AbortSignal): Promise<never> =>
    new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  const lw: ListerWatcher = {
    async list(opts) {
      const { signal, ...rest } = opts;
      calls.push({ verb: 'list', opts: rest });
      const step = lists.shift();
      if (!step) return forever(signal);
      if (step instanceof Error) throw step;
      return step;
    },
    async watch(opts) {
      const { signal, ...rest } = opts;
      calls.push({ verb: 'watch', opts: rest });
      const step = watches.shift();
      if (!step) return forever(signal);
      if (step instanceof Error) throw step;
      return (async function* () {
        for (const ev of step.events) yield ev;
        if (step.end instanceof Error) throw step.end;
        if (step.end === 'hang') await forever(signal).catch(() => undefined);
      })();
    },
  };
  return { lw, calls };
}

const cm = (name: string, rv: string): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv } });
const list = (rv: string, items: KubeObject[], cont?: string): KubeList => ({ metadata: { resourceVersion: rv, continue: cont }, items });

interface Case {
  name: string;
  lists: ListStep[];
  watches: WatchStep[];
  /** Calls (verb:resourceVersion[+continue]) expected before the script runs out. */
  wantCalls: string[];
  wantKeys: string[];
}

const cases: Case[] = [
  {
    name: 'list at 0, watch from the list version, re-watch from the last event after a clean end',
    lists: [list('10', [cm('a', '5')])],
    watches: [{ events: [{ type: 'ADDED', object: cm('b', '11') }], end: 'close' }, { events: [{ type: 'BOOKMARK', object: cm('', '15') }], end: 'close' }],
    wantCalls: ['list:0', 'watch:10', 'watch:11', 'watch:15'],
    wantKeys: ['ns/a', 'ns/b'],
  },
  {
    name: 'a 410 ERROR event relists from the last version; a 410 on that list relists from the latest',
    lists: [list('10', [cm('a', '5')]), newResourceExpired('too old'), list('30', [cm('c', '29')])],
    watches: [{ events: [{ type: 'ADDED', object: cm('b', '12') }, { type: 'ERROR', object: newGone('too old resource version').status }], end: 'hang' }],
    wantCalls: ['list:0', 'watch:10', 'list:12', 'list:', 'watch:30'],
    wantKeys: ['ns/c'],
  },
  {
    name: 'a 410 when the watch starts relists; paginated lists follow continue tokens without a version',
    lists: [list('10', [cm('a', '5')], 'tok1'), list('10', [cm('b', '6')]), list('20', [cm('a', '5')], 'tok2'), list('20', [cm('d', '19')])],
    watches: [newGone('too old')],
    wantCalls: ['list:0', 'list:+tok1', 'watch:10', 'list:10', 'list:+tok2', 'watch:20'],
    wantKeys: ['ns/a', 'ns/d'],
  },
  {
    name: 'a broken stream and a failing list back off and relist; 429 on watch start retries the watch',
    lists: [list('10', []), newInternalError(new Error('etcd down')), list('40', [cm('z', '40')])],
    watches: [
      newTooManyRequests('slow down', 1),
      { events: [{ type: 'ADDED', object: cm('b', '11') }], end: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) },
    ],
    wantCalls: ['list:0', 'watch:10', 'watch:10', 'list:11', 'list:11', 'watch:40'],
    wantKeys: ['ns/z'],
  },
  {
    name: 'a watch that ends at once without events counts as failed: relist instead of a hot re-watch loop',
    lists: [list('10', []), list('10', [])],
    watches: [{ events: [], end: 'close' }],
    wantCalls: ['list:0', 'watch:10', 'list:10', 'watch:10'],
    wantKeys: [],
  },
];

test('reflector: list/watch sequences under errors', async () => {
  for (const c of cases) {
    const clock = new FakeClock();
    const { lw, calls } = scripted([...c.lists], [...c.watches]);
    const store = newIndexer();
    const r = new Reflector({ name: c.name, listerWatcher: lw, store, clock, backoff: new Backoff({ initialMs: 800, capMs: 30_000 }), logger: newLogger({ write: () => {} }), random: () => 0 });
    const ac = new AbortController();
    const run = r.run(ac.signal);
    const render = (): string[] => calls.map((x) => `${x.verb}:${x.opts.continue ? `+${x.opts.continue}` : (x.opts.resourceVersion ?? '')}`);
    // Let the reflector reach the end of its script, stepping the clock through any backoff.
    for (let i = 0; i < 200 && render().length < c.wantCalls.length; i++) {
      await new Promise((res) => setImmediate(res));
      if (clock.pendingTimers() > 0) clock.step(30_000);
    }
    for (let i = 0; i < 10; i++) await new Promise((res) => setImmediate(res));
    assert.deepEqual(render(), c.wantCalls, c.name);
    assert.deepEqual(store.listKeys().sort(), c.wantKeys, c.name);
    for (const w of calls.filter((x) => x.verb === 'watch')) {
      assert.equal(w.opts.allowWatchBookmarks, true);
      assert.equal(w.opts.timeoutSeconds, 300, 'random 0 → the minimum timeout');
    }
    const first = calls[0]?.opts;
    assert.equal(first?.limit, 500, 'lists ask for pages');
    ac.abort();
    await run;
  }
});
