// Every built-in strategy's validation = the schema-driven checks (src/api/validation) + the kind's own semantic
// checks; strategies.ts wraps each strategy with withBuiltinValidation so no kind is left without them.

import type { FieldError } from '../../apimachinery/field-error.js';
import { validateBuiltinSchema } from '../../api/validation/schema-validation.js';
import type { APIObject, ResourceStrategy } from './strategy.js';

/**
 * Concatenates error lists, dropping repeats (same field and message): the schema walk and a semantic
 * validator may both report, say, a missing container name, and upstream reports it once.
 */
export function mergeFieldErrors(...lists: FieldError[][]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const list of lists) {
    for (const e of list) {
      const key = `${e.field}\u0000${e.detail}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/**
 * `strategy` (or the generic behaviour when undefined) with the schema-driven checks run before its own
 * `validate` and `validateUpdate`. Everything else — including whether prepareForCreate exists, which the
 * registry looks at — is left as it was.
 */
export function withBuiltinValidation(strategy: ResourceStrategy | undefined): ResourceStrategy {
  const base = strategy ?? {};
  return {
    ...base,
    validate(obj: APIObject, ctx) {
      return mergeFieldErrors(validateBuiltinSchema(obj), base.validate?.(obj, ctx) ?? []);
    },
    validateUpdate(obj: APIObject, old: APIObject, ctx) {
      return mergeFieldErrors(validateBuiltinSchema(obj), base.validateUpdate?.(obj, old, ctx) ?? []);
    },
  };
}
