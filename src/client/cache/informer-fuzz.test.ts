// The informer's core guarantee under randomized server behaviour: whatever mix of writes, watch ends,
// broken connections, 410s and compaction happens, the cache ends equal to the server's content and every
// handler sees a consistent history (add only for unknown keys, update/delete only for known ones, from the
// state it last saw, never going back in resourceVersion).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Backoff } from '../../base/backoff.js';
import { newLogger } from '../../base/logger.js';
import { poll } from '../../base/wait.js';
import type { KubeObject } from '../rest/interface.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';
import type { ResourceEventHandler } from './interface.js';
import { isDeletedFinalStateUnknown, metaNamespaceKeyFunc } from './keys.js';
import { SharedIndexInformer } from './shared-informer.js';

type Op =
  | { op: 'write'; name: string }
  | { op: 'delete'; name: string }
  | { op: 'close' | 'break' | 'expire' | 'compact' | 'bookmark' | 'compactAndBreak' }
  | { op: 'yield'; turns: number };

const names = ['a', 'b', 'c', 'd', 'e'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('write' as const), name: fc.constantFrom(...names) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...names) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('close' as const, 'break' as const, 'expire' as const, 'compact' as const, 'bookmark' as const, 'compactAndBreak' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('yield' as const), turns: fc.integer({ min: 1, max: 5 }) }) },
);

/** The state a handler has built from its notifications, checking each one against it. */
function checkingHandler(violations: string[]): { handler: ResourceEventHandler; state: Map<string, number> } {
  const state = new Map<string, number>();
  const rv = (o: KubeObject): number => Number(o.metadata?.resourceVersion);
  return {
    state,
    handler: {
      onAdd(obj) {
        const key = metaNamespaceKeyFunc(obj);
        if (state.has(key)) violations.push(`add of known ${key}`);
        state.set(key, rv(obj));
      },
      onUpdate(oldObj, newObj) {
        const key = metaNamespaceKeyFunc(newObj);
        if (state.get(key) !== rv(oldObj)) violations.push(`update of ${key} from ${rv(oldObj)}, handler had ${state.get(key)}`);
        if (rv(newObj) < rv(oldObj)) violations.push(`update of ${key} went back ${rv(oldObj)} -> ${rv(newObj)}`);
        state.set(key, rv(newObj));
      },
      onDelete(obj) {
        const key = isDeletedFinalStateUnknown(obj) ? obj.key : metaNamespaceKeyFunc(obj);
        const last = isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
        if (!state.has(key)) violations.push(`delete of unknown ${key}`);
        if (isDeletedFinalStateUnknown(obj) && rv(last) !== state.get(key)) violations.push(`tombstone of ${key} is not the last state seen`);
        state.delete(key);
      },
    },
  };
}

const truthRVs = (lw: FakeListerWatcher): Map<string, number> =>
  new Map([...lw.contents()].map(([k, o]) => [k, Number(o.metadata?.resourceVersion)]));
const sameMap = (a: Map<string, number>, b: Map<string, number>): boolean =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('informer never misses the final state of any object under watch drops, 410s and compaction', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 100 }), fc.boolean(), fc.boolean(), async (ops, goneOnWatchStart, paginate) => {
      const lw = new FakeListerWatcher();
      lw.goneOnWatchStart = goneOnWatchStart;
      lw.pageSize = paginate ? 2 : 0;
      lw.create({ metadata: { namespace: 'ns', name: 'a' }, data: { n: '0' } });
      const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: new Backoff({ initialMs: 0 }), logger: newLogger({ write: () => {} }) });
      const violations: string[] = [];
      const early = checkingHandler(violations);
      informer.addEventHandler(early.handler);
      const ac = new AbortController();
      const run = informer.run(ac.signal);
      let late: ReturnType<typeof checkingHandler> | undefined;
      let n = 0;
      for (const op of ops) {
        n++;
        if (n === Math.floor(ops.length / 2)) {
          late = checkingHandler(violations);
          informer.addEventHandler(late.handler);
        }
        switch (op.op) {
          case 'write': {
            const obj = { metadata: { namespace: 'ns', name: op.name }, data: { n: String(n) } };
            if (lw.contents().has(`ns/${op.name}`)) lw.update(obj);
            else lw.create(obj);
            break;
          }
          case 'delete':
            if (lw.contents().has(`ns/${op.name}`)) lw.delete(`ns/${op.name}`);
            break;
          case 'close':
            lw.closeWatches();
            break;
          case 'break':
            lw.breakWatches();
            break;
          case 'expire':
            lw.expireWatches();
            break;
          case 'compact':
            lw.compact();
            break;
          case 'compactAndBreak':
            lw.compact();
            lw.breakWatches();
            break;
          case 'bookmark':
            lw.bookmark();
            break;
          case 'yield':
            for (let i = 0; i < op.turns; i++) await turn();
            break;
        }
      }
      const truth = truthRVs(lw);
      const storeRVs = (): Map<string, number> =>
        new Map(informer.getStore().list().map((o) => [metaNamespaceKeyFunc(o), Number(o.metadata?.resourceVersion)]));
      await poll({ intervalMs: 1, timeoutMs: 5000 }, () =>
        informer.lastSyncResourceVersion() === lw.resourceVersion() &&
        sameMap(storeRVs(), truth) && sameMap(early.state, truth) && (!late || sameMap(late.state, truth)),
      ).catch(() => undefined);
      ac.abort();
      await run;
      assert.deepEqual(violations, []);
      assert.deepEqual(storeRVs(), truth, 'store equals the server');
      assert.deepEqual(early.state, truth, 'early handler state equals the server');
      if (late) assert.deepEqual(late.state, truth, 'late handler state equals the server');
    }),
    { numRuns: 400 },
  );
});
