// Decodes a watch stream: newline-delimited JSON `{"type": …, "object": …}` events, parsed as the bytes
// arrive (a chunk may hold many events or part of one, split anywhere, even inside a UTF-8 sequence).
import { StringDecoder } from 'node:string_decoder';
import type { KubeObject, WatchEvent } from './interface.js';

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Parses one event line; throws on anything that is not a watch event. */
export function parseWatchEvent<T extends KubeObject>(line: string): WatchEvent<T> {
  const v = JSON.parse(line) as { type?: unknown; object?: unknown };
  if (!v || typeof v !== 'object' || typeof v.type !== 'string' || !eventTypes.has(v.type) || !v.object || typeof v.object !== 'object') {
    throw new Error(`watch: not a watch event: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
  }
  return v as WatchEvent<T>;
}

/**
 * Yields the events of a byte stream in order. A final line without its newline is decoded too (servers
 * end streams after a complete object).
 */
export async function* decodeWatchEvents<T extends KubeObject>(chunks: AsyncIterable<Buffer>): AsyncGenerator<WatchEvent<T>> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      const line = pending.slice(start, nl).trim();
      start = nl + 1;
      if (line) yield parseWatchEvent<T>(line);
    }
    pending = pending.slice(start);
  }
  const rest = (pending + decoder.end()).trim();
  if (rest) yield parseWatchEvent<T>(rest);
}
