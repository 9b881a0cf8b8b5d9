// deletedObject unwraps tombstones and passes objects through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDeletedFinalStateUnknown } from '../client/cache/keys.js';
import { deletedObject } from './deleted-object.js';

test('deletedObject returns the object of a tombstone or the object itself', () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' } };
  assert.equal(deletedObject(pod), pod);
  assert.equal(deletedObject(newDeletedFinalStateUnknown('ns/p', pod)), pod);
});
