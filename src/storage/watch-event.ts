// Small accessors over WatchEvent, whose key and revision live in different fields for puts and deletes.
import type { WatchEvent } from './interface.js';

/** The key a watch event is about. */
export function eventKey(event: WatchEvent): string {
  return event.type === 'put' ? event.kv.key : event.key;
}

/** The revision a watch event happened at. */
export function eventRevision(event: WatchEvent): number {
  return event.type === 'put' ? event.kv.modRevision : event.revision;
}
