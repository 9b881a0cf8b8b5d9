import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testAttributes } from '../test-attributes.js';
import { newAlwaysAdmit, newAlwaysDeny } from './always.js';

test('AlwaysAdmit admits, AlwaysDeny refuses every write', async () => {
  const write = testAttributes({ kind: 'ConfigMap', resource: 'configmaps', namespace: 'ns', object: { metadata: { name: 'c' } } });
  await newAlwaysAdmit().admit!(write);
  await newAlwaysAdmit().validate!(write);
  await assert.rejects(newAlwaysDeny().admit!(write), { code: 403, message: 'configmaps "c" is forbidden: admission control is denying all modifications' });
});
