// PatchOptions checks for apply: the 422 wording and causes upstream returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patchOptionsError, validateFieldManager } from './patch-options.js';

test('patch options: apply needs a fieldManager, force only with apply', () => {
  const cases: Array<{ apply: boolean; fieldManager: string; forceGiven: boolean; message?: string }> = [
    { apply: true, fieldManager: 'kubectl', forceGiven: true },
    { apply: false, fieldManager: '', forceGiven: false },
    {
      apply: true,
      fieldManager: '',
      forceGiven: false,
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    },
    {
      apply: false,
      fieldManager: 'kubectl-edit',
      forceGiven: true,
      message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    },
  ];
  for (const c of cases) {
    const err = patchOptionsError(c);
    assert.equal(err?.status.message, c.message, JSON.stringify(c));
    if (err) {
      assert.equal(err.status.code, 422);
      assert.equal(err.status.details?.kind, 'PatchOptions');
      assert.equal(err.status.details?.group, 'meta.k8s.io');
    }
  }
  const causes = patchOptionsError({ apply: true, fieldManager: '', forceGiven: false })!.status.details?.causes;
  assert.deepEqual(causes, [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
});

test('fieldManager values', () => {
  const cases: Array<[string, string[]]> = [
    ['kubectl-client-side-apply', []],
    ['Mozilla 5.0 (X11; Linux) ünïcødé', []],
    ['x'.repeat(128), []],
    ['x'.repeat(129), ['FieldValueTooLong']],
    ['tab\there', ['FieldValueInvalid']],
    ['ü'.repeat(65), ['FieldValueTooLong']],
  ];
  for (const [value, types] of cases) assert.deepEqual(validateFieldManager(value).map((e) => e.type), types, JSON.stringify(value));
});
