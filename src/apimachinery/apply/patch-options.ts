// Checks of a PATCH request's apply-related options, as upstream validates PatchOptions before touching the
// object: apply needs a fieldManager, only apply may say force, and manager names are short and printable.
import { newInvalid, type StatusError } from '../errors.js';
import { forbidden, invalid, required, tooLong, type FieldError } from '../field-error.js';

/** Longest fieldManager upstream accepts, in bytes. */
export const fieldManagerMaxLength = 128;

/** Letters, marks, numbers, punctuation, symbols and the ASCII space: Go's unicode.IsPrint. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

/** Errors of a fieldManager value (any write may carry one); empty means "not set", which is valid. */
export function validateFieldManager(fieldManager: string, field = 'fieldManager'): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(fieldManager, 'utf8') > fieldManagerMaxLength) errs.push(tooLong(field, fieldManagerMaxLength));
  if (!printable.test(fieldManager)) errs.push(invalid(field, fieldManager, 'must only contain printable characters'));
  return errs;
}

export interface PatchOptionsInput {
  /** True for `application/apply-patch+yaml`. */
  apply: boolean;
  fieldManager: string;
  /** Whether the request carried a `force` parameter at all (any value). */
  forceGiven: boolean;
}

/** Upstream's ValidatePatchOptions for the apply-related members. */
export function validatePatchOptions(o: PatchOptionsInput): FieldError[] {
  const errs: FieldError[] = [];
  if (!o.apply && o.forceGiven) errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  if (o.apply && o.fieldManager === '') errs.push(required('fieldManager', 'is required for apply patch'));
  errs.push(...validateFieldManager(o.fieldManager));
  return errs;
}

/**
 * The 422 for invalid patch options, or undefined when they are fine:
 * `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`.
 */
export function patchOptionsError(o: PatchOptionsInput): StatusError | undefined {
  const errs = validatePatchOptions(o);
  return errs.length > 0 ? newInvalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errs) : undefined;
}
