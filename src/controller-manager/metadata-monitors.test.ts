import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../base/clock.js';
import { newLogger } from '../base/logger.js';
import type { APIResourceInfo } from '../client/discovery/discovery-client.js';
import { FakeClient } from './testing/fake-client.js';
import { Monitors } from './metadata-monitors.js';

const res = (group: string, version: string, resource: string, kind: string): APIResourceInfo => ({
  group,
  version,
  resource,
  kind,
  namespaced: true,
  verbs: ['delete', 'list', 'watch'],
  preferred: true,
});

const configmaps = res('', 'v1', 'configmaps', 'ConfigMap');
const events = res('', 'v1', 'events', 'Event');
const newEvents = res('events.k8s.io', 'v1', 'events', 'Event');
const widgets = res('example.com', 'v1', 'widgets', 'Widget');
const gadgets = res('example.com', 'v1', 'gadgets', 'Gadget');

const steps: Array<{ name: string; resources: APIResourceInfo[]; keep?: string[]; want: { added: number; removed: number; count: number } }> = [
  { name: 'first pass: events are ignored', resources: [configmaps, events, newEvents, widgets], want: { added: 2, removed: 0, count: 2 } },
  { name: 'unchanged discovery changes nothing', resources: [configmaps, widgets], want: { added: 0, removed: 0, count: 2 } },
  { name: 'a new CRD adds a monitor', resources: [configmaps, widgets, gadgets], want: { added: 1, removed: 0, count: 3 } },
  { name: 'a group failing discovery keeps its monitors', resources: [configmaps], keep: ['example.com/v1'], want: { added: 0, removed: 0, count: 3 } },
  { name: 'resources gone from discovery lose their monitors', resources: [configmaps, gadgets], want: { added: 0, removed: 1, count: 2 } },
];

test('monitors follow discovery', async () => {
  const monitors = new Monitors({ client: new FakeClient(), clock: new FakeClock(), logger: newLogger({ write: () => {} }), name: 'test', onEvent: () => {} });
  const ac = new AbortController();
  for (const s of steps) {
    const got = monitors.sync(s.resources, ac.signal, s.keep);
    assert.deepEqual({ ...got, count: monitors.count }, s.want, s.name);
  }
  ac.abort();
  await monitors.stopped();
});
