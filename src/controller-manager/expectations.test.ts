// ControllerExpectations: satisfied when met, unknown or expired; UID tracking counts a pod once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { ControllerExpectations, UIDTrackingControllerExpectations, expectationsTimeoutMs } from './expectations.js';

test('expectations block until observed, and expire after five minutes', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  assert.equal(e.satisfiedExpectations('ns/rs'), true, 'unknown keys are satisfied');
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfiedExpectations('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfiedExpectations('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfiedExpectations('ns/rs'), true);

  e.expectDeletions('ns/rs', 1);
  assert.equal(e.satisfiedExpectations('ns/rs'), false);
  clock.step(expectationsTimeoutMs + 1);
  assert.equal(e.satisfiedExpectations('ns/rs'), true, 'lost events do not block forever');

  e.expectCreations('ns/rs', 3);
  e.lowerExpectations('ns/rs', 3, 0);
  assert.equal(e.satisfiedExpectations('ns/rs'), true);
  e.raiseExpectations('ns/rs', 1, 0);
  assert.deepEqual(e.getExpectations('ns/rs'), { add: 1, del: 0 });
  e.deleteExpectations('ns/rs');
  assert.equal(e.getExpectations('ns/rs'), undefined);
});

test('UID tracking counts each expected deletion once and ignores others', () => {
  const e = new UIDTrackingControllerExpectations(new FakeClock());
  e.expectDeletionsOf('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObservedOf('ns/rs', 'ns/a');
  e.deletionObservedOf('ns/rs', 'ns/a');
  e.deletionObservedOf('ns/rs', 'ns/zzz');
  assert.deepEqual(e.getExpectations('ns/rs'), { add: 0, del: 1 });
  e.deletionObservedOf('ns/rs', 'ns/b');
  assert.equal(e.satisfiedExpectations('ns/rs'), true);
  e.deleteExpectations('ns/rs');
  e.deletionObservedOf('ns/rs', 'ns/a');
  assert.equal(e.getExpectations('ns/rs'), undefined);
});
