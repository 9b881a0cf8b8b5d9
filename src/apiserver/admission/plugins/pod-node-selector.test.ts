import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newPodNodeSelector, parseNodeSelector } from './pod-node-selector.js';

const reader = staticReader([
  { resource: 'namespaces', obj: { metadata: { name: 'gpu', annotations: { 'scheduler.alpha.kubernetes.io/node-selector': 'accel=gpu,zone=a' } } } },
  { resource: 'namespaces', obj: { metadata: { name: 'plain' } } },
  { resource: 'namespaces', obj: { metadata: { name: 'listed' } } },
]);

test('namespace node selectors merge into pods; conflicts and whitelist violations are refused', async () => {
  assert.deepEqual(parseNodeSelector('a=b, c==d'), { a: 'b', c: 'd' });
  const plugin = newPodNodeSelector({ reader, config: { clusterDefaultNodeSelector: 'pool=general', listed: 'pool=general,disk=ssd' } });
  const cases = [
    { ns: 'gpu', sel: { disk: 'ssd' }, want: { disk: 'ssd', accel: 'gpu', zone: 'a' } },
    { ns: 'plain', sel: undefined, want: { pool: 'general' } },
    { ns: 'gpu', sel: { zone: 'b' }, err: 'pods "p" is forbidden: pod node label selector conflicts with its namespace node label selector' },
    { ns: 'listed', sel: { disk: 'ssd' }, want: { disk: 'ssd', pool: 'general' } },
    { ns: 'listed', sel: { disk: 'hdd' }, err: 'pods "p" is forbidden: pod node label selector labels conflict with its namespace whitelist' },
  ];
  for (const c of cases) {
    const pod = { metadata: { name: 'p' }, spec: { containers: [], nodeSelector: c.sel ? { ...c.sel } : undefined } };
    const attrs = testAttributes({ kind: 'Pod', resource: 'pods', namespace: c.ns, object: pod });
    const run = (async () => {
      await plugin.admit!(attrs);
      await plugin.validate!(attrs);
    })();
    if (c.err) await assert.rejects(run, { code: 403, message: c.err });
    else {
      await run;
      assert.deepEqual(pod.spec.nodeSelector, c.want);
    }
  }
});
