// How the scheduler records Events: upstream's scheduler speaks the events.k8s.io API (reason, action, note);
// k8ts writes them through src/client/record's EventBroadcaster (core/v1 Events with the correlator's dedupe
// and spam filter, written in the background so scheduling never waits on them).
import { hostname } from 'node:os';
import type { Pod } from '../api/generated/core/v1.js';
import { realClock, type Clock } from '../base/clock.js';
import { EventBroadcaster } from '../client/record/event-broadcaster.js';
import { newEventSinkFromClient } from '../client/record/event-sink.js';
import type { Interface as ClientInterface, KubeObject } from '../client/rest/interface.js';

/** How long close() waits for queued events before dropping them. */
const closeFlushMs = 2000;

export interface EventRecorder {
  /** Records an Event about `regarding`, e.g. ("Warning", "FailedScheduling", "Scheduling", msg). Never blocks. */
  eventf(regarding: Pod, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
}

/** A recorder writing through `client`, with `close()` to flush (for at most 2 s) and stop the background writer. */
export function newClientEventRecorder(opts: { client: ClientInterface; component?: string; clock?: Clock }): EventRecorder & { close(): Promise<void> } {
  // One Scheduled event per pod: at a thousand pods per second and more, one write at a time falls behind.
  // Upstream's events.k8s.io broadcaster writes each event from its own goroutine; here up to 16 writes are in
  // flight, and the backlog may hold ten seconds' worth (~10 MB) before events are dropped.
  const broadcaster = new EventBroadcaster({ clock: opts.clock, queueLength: 10_000, maxInFlight: 16 });
  broadcaster.startRecordingToSink(newEventSinkFromClient(opts.client));
  const recorder = broadcaster.newRecorder({ component: opts.component ?? 'default-scheduler', host: hostname() });
  return {
    eventf(regarding, type, reason, _action, note) {
      // Informer objects may come without kind/apiVersion; the Event's involvedObject needs them.
      recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: regarding.metadata as KubeObject['metadata'] }, type, reason, note);
    },
    async close() {
      // Give queued events a moment to be written, but do not hold a stopping scheduler up for a backlog.
      const clock = opts.clock ?? realClock;
      const giveUp = new AbortController();
      await Promise.race([broadcaster.flush(), clock.sleep(closeFlushMs, giveUp.signal).catch(() => undefined)]);
      giveUp.abort();
      await broadcaster.shutdown();
    },
  };
}
