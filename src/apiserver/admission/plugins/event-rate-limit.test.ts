import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../base/clock.js';
import { testAttributes } from '../test-attributes.js';
import { newEventRateLimit } from './event-rate-limit.js';

test('events are limited per namespace and server; tokens come back with time; other kinds pass', async () => {
  const clock = new FakeClock();
  const plugin = newEventRateLimit({ clock, limits: [{ type: 'Namespace', qps: 1, burst: 2 }, { type: 'Server', qps: 10, burst: 3 }] });
  const event = (ns: string) => testAttributes({ kind: 'Event', resource: 'events', namespace: ns, object: { metadata: { name: 'e' } } });
  await plugin.validate!(event('a'));
  await plugin.validate!(event('a'));
  await assert.rejects(plugin.validate!(event('a')), { code: 429, reason: 'TooManyRequests', message: 'Too many requests: limit reached on type Namespace for key a' });
  await plugin.validate!(event('b'));
  await assert.rejects(plugin.validate!(event('c')), { code: 429, message: 'Too many requests: limit reached on type Server for key ' });
  clock.step(1000);
  await plugin.validate!(event('a'));
  await plugin.validate!(testAttributes({ kind: 'ConfigMap', resource: 'configmaps', namespace: 'a', object: { metadata: { name: 'c' } } }));
});
