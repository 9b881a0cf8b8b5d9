// Where recorded Events are written (client-go EventSink): the core/v1 events resource of the API.
import type { Interface } from '../rest/interface.js';
import type { CoreEvent } from './events-cache.js';

export interface EventSink {
  create(event: CoreEvent): Promise<CoreEvent>;
  /** Applies `patch` (a strategic merge patch) to the existing Event named like `event`. */
  patch(event: CoreEvent, patch: unknown): Promise<CoreEvent>;
}

const eventsGVR = { group: '', version: 'v1', resource: 'events' };

/** A sink writing through `client` into each event's namespace. */
export function newEventSinkFromClient(client: Interface): EventSink {
  const events = (ns: string | undefined) => client.resource<CoreEvent>(eventsGVR, ns ?? 'default');
  return {
    create: (event) => events(event.metadata.namespace).create(event),
    patch: (event, patch) => events(event.metadata.namespace).patch(event.metadata.name ?? '', 'strategic', patch),
  };
}
