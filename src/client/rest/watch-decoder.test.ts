// The watch stream decoder: events split anywhere across chunks, several per chunk, a final line without newline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWatchEvents } from './watch-decoder.js';

async function* chunks(parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
}

async function decode(parts: Array<string | Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of decodeWatchEvents(chunks(parts))) out.push(`${e.type} ${JSON.stringify(e.object)}`);
  return out;
}

test('decodes events however the stream is cut', async () => {
  const a = '{"type":"ADDED","object":{"metadata":{"name":"ä"}}}\n';
  const b = '{"type":"DELETED","object":{"metadata":{"name":"b"}}}\n';
  const bytes = Buffer.from(a + b);
  const split = bytes.indexOf(Buffer.from('ä')) + 1; // inside the two-byte UTF-8 sequence
  const want = ['ADDED {"metadata":{"name":"ä"}}', 'DELETED {"metadata":{"name":"b"}}'];
  const cases: Array<{ name: string; parts: Array<string | Buffer> }> = [
    { name: 'one chunk', parts: [a + b] },
    { name: 'one per chunk', parts: [a, b] },
    { name: 'inside a UTF-8 sequence', parts: [bytes.subarray(0, split), bytes.subarray(split)] },
    { name: 'byte by byte', parts: [...bytes].map((x) => Buffer.from([x])) },
    { name: 'no final newline', parts: [a, b.trimEnd()] },
    { name: 'blank lines between', parts: [`${a}\n\n`, `\r\n${b}`] },
  ];
  for (const c of cases) assert.deepEqual(await decode(c.parts), want, c.name);
});

test('rejects what is not a watch event', async () => {
  const cases = ['{"kind":"Status"}\n', '{"type":"WHAT","object":{}}\n', 'not json\n', '{"type":"ADDED"}\n'];
  for (const c of cases) await assert.rejects(decode([c]), Error, c);
});
