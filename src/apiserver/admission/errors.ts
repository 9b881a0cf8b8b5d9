// Admission's error answers (upstream admission.NewForbidden): the resource and name of the write being
// admitted, so kubectl prints `<resource> "<name>" is forbidden: <reason>`.

import { newForbidden, type StatusError } from '../../apimachinery/errors.js';
import type { AdmissionAttributes } from './interface.js';

/** 403 for the write `attrs` describes; the name falls back to the object's own (creates carry it there). */
export function newAdmissionForbidden(attrs: AdmissionAttributes, message: string): StatusError {
  const name = attrs.name || attrs.object?.metadata?.name || '';
  return newForbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
}
