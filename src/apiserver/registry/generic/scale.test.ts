import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorString, toScale } from './scale.js';

test('selectorString renders label selectors as upstream prints them', () => {
  const cases: Array<[unknown, string]> = [
    [undefined, ''],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ app: 'web' }, 'app=web'],
    [{ matchExpressions: [{ key: 't', operator: 'NotIn', values: ['y', 'x'] }, { key: 'e', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist' }] }, '!d,e,t notin (x,y)'],
  ];
  for (const [sel, want] of cases) assert.equal(selectorString(sel), want, JSON.stringify(sel));
});

test('toScale keeps identity metadata and replicas only', () => {
  const obj = { metadata: { name: 'r', namespace: 'ns', uid: 'u', resourceVersion: '5', labels: { x: 'y' } }, spec: { replicas: 3, selector: { app: 'r' } }, status: { replicas: 2 } };
  assert.deepEqual(toScale(obj, true), {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'r', namespace: 'ns', uid: 'u', resourceVersion: '5', creationTimestamp: undefined },
    spec: { replicas: 3 },
    status: { replicas: 2, selector: 'app=r' },
  });
});
