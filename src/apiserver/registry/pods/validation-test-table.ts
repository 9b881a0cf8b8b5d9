// Shared runner for the PodSpec validation table tests beside this file: each case is a spec fragment added to
// a minimal valid pod spec and the exact causes (type, field, detail) validatePodSpec must return.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../../apimachinery/field-error.js';
import { validatePodSpec, type PodSpecValidationOptions } from './validation.js';

export interface PodSpecCase {
  name: string;
  /** Merged over `{containers: [{name: 'c', image: 'nginx'}]}`. */
  spec: Record<string, unknown>;
  /** `<type> <field>: <detail>` per cause, in order. */
  want: string[];
  /** Where the spec sits (default `spec`, a Pod's). */
  path?: string;
  opts?: PodSpecValidationOptions;
}

export const showCauses = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}: ${e.detail}`);

/** Registers one node:test test per case. */
export function runPodSpecCases(cases: PodSpecCase[]): void {
  for (const c of cases) {
    test(c.name, () => {
      const spec = { containers: [{ name: 'c', image: 'nginx' }], ...c.spec };
      assert.deepEqual(showCauses(validatePodSpec(spec, c.path ?? 'spec', c.opts)), c.want);
    });
  }
}
