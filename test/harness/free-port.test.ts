// freePort hands out loopback ports that can then be bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePort } from './free-port.js';

test('freePort returns distinct bindable loopback ports', async () => {
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  for (const port of ports) {
    assert.ok(port > 1024 && port < 65536, `port ${port}`);
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  }
});
