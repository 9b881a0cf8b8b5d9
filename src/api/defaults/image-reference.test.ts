import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPullPolicy, parseImageReference } from './image-reference.js';

const sha = 'sha256:' + 'ab'.repeat(32);

test('imagePullPolicy follows the tag, stated or implied', () => {
  const cases: Array<[image: string, policy: 'Always' | 'IfNotPresent']> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['nginx:Latest', 'IfNotPresent'],
    ['library/nginx', 'Always'],
    ['registry.k8s.io/pause:3.10', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost/app:v1', 'IfNotPresent'],
    ['my.registry:5000/team/app:latest', 'Always'],
    ['[::1]:5000/app:v2', 'IfNotPresent'],
    [`busybox@${sha}`, 'IfNotPresent'],
    [`busybox:latest@${sha}`, 'Always'],
    [`busybox:1.36@${sha}`, 'IfNotPresent'],
    ['', 'IfNotPresent'],
    ['NGINX', 'IfNotPresent'],
    ['nginx:', 'IfNotPresent'],
    ['ab'.repeat(32), 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) assert.equal(defaultPullPolicy(image), policy, image);
});

test('references are normalised to docker.io and library/', () => {
  const cases: Array<[image: string, name: string | undefined, tag?: string]> = [
    ['nginx:1.27', 'docker.io/library/nginx', '1.27'],
    ['bitnami/redis', 'docker.io/bitnami/redis', ''],
    ['Registry.Example.com/team/app:v1', 'Registry.Example.com/team/app', 'v1'],
    ['quay.io/Team/app', undefined],
    ['a/'.repeat(130) + 'b', undefined],
  ];
  for (const [image, name, tag] of cases) {
    const ref = parseImageReference(image);
    assert.equal(ref?.name, name, image);
    if (tag !== undefined) assert.equal(ref?.tag, tag, image);
  }
});
