// The controller manager's events: one client-go EventBroadcaster (correlation, aggregation, spam filter,
// background writes with retries) writing core/v1 Events through its own client, and a recorder per
// controller whose events carry `source.component` = the controller's name.
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { EventBroadcaster } from '../client/record/event-broadcaster.js';
import { newEventSinkFromClient } from '../client/record/event-sink.js';
import type { Interface } from '../client/rest/interface.js';
import type { EventRecorder } from './controller-context.js';

export interface EventRecorders {
  /** A recorder for `component` (e.g. deployment-controller) on this host. */
  recorder(component: string): EventRecorder;
  /** Stops the background writer; queued events are dropped. */
  shutdown(): Promise<void>;
}

export function newEventRecorders(opts: { client: Interface; clock: Clock; logger: Logger; host: string }): EventRecorders {
  const broadcaster = new EventBroadcaster({ clock: opts.clock, logger: opts.logger });
  broadcaster.startRecordingToSink(newEventSinkFromClient(opts.client));
  // As upstream's manager: every event also goes to the log at -v=3.
  broadcaster.startStructuredLogging(3);
  return {
    recorder: (component) => broadcaster.newRecorder({ component, host: opts.host }),
    shutdown: () => broadcaster.shutdown(),
  };
}
