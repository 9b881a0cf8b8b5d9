import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cache } from '../../cache/cache.js';
import { Snapshot } from '../../cache/snapshot.js';
import { makeNode, makePod } from '../../testing/builders.js';
import { fakeHandle, runScore } from '../../testing/plugin-harness.js';
import { ImageLocalityPlugin, normalizedImageName } from './image-locality.js';

const mb = 1024 * 1024;

test('normalizedImageName adds :latest only to untagged names', () => {
  const cases = [
    ['nginx', 'nginx:latest'],
    ['nginx:1.27', 'nginx:1.27'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v1'],
  ];
  for (const [input, want] of cases) assert.equal(normalizedImageName(input), want, input);
});

test('ImageLocality prefers nodes holding big images, scaled by spread', () => {
  // Image states need the cache (it counts on how many nodes each image is).
  const cache = new Cache();
  const nodes = [
    makeNode({ name: 'has-big', images: [{ names: ['big:v1'], sizeBytes: 500 * mb }] }),
    makeNode({ name: 'has-small', images: [{ names: ['small:v1'], sizeBytes: 10 * mb }] }),
    makeNode({ name: 'none' }),
  ];
  for (const n of nodes) cache.addNode(n);
  const snapshot = new Snapshot();
  cache.updateSnapshot(snapshot);
  const { handle } = fakeHandle([]);
  const pl = new ImageLocalityPlugin({ ...handle, snapshotSharedLister: () => snapshot });
  const got = runScore(pl, makePod({ image: 'big:v1' }), [...snapshot.list()]);
  // 500 MiB on 1 of 3 nodes → 166 MiB; (166 − 23) × 100 / (1000 − 23) = 14.
  assert.deepEqual(got, [
    { name: 'has-big', score: 14 },
    { name: 'has-small', score: 0 },
    { name: 'none', score: 0 },
  ]);
});
