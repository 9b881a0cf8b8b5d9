// ConfigMaps and the data rules they share with Secrets (upstream ValidateConfigMap / ValidateSecret): valid
// keys, a total size limit, and `immutable: true` freezing the data for good.

import { forbidden, invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, equalJSON } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

/** The most data a ConfigMap or Secret may hold (upstream MaxSecretSize / 1 MiB). */
export const maxDataBytes = 1024 * 1024;

const configKeyRE = /^[-._a-zA-Z0-9]+$/;
const configKeyMessage =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or " +
  "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** Problems with a data key; [] when valid. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!configKeyRE.test(key)) errs.push(configKeyMessage);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Key checks for each of `fields` (`data`, `binaryData`, `stringData`), duplicates across them, and size. */
export function validateDataKeys(obj: APIObject, fields: string[], sizeOf: (field: string, value: unknown) => number): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  for (const field of fields) {
    const data = asObject(obj[field]) ?? {};
    for (const [key, value] of Object.entries(data)) {
      for (const msg of isConfigMapKey(key)) errs.push(invalid(`${field}[${key}]`, key, msg));
      const other = seen.get(key);
      if (other && other !== field && !(field === 'stringData' || other === 'stringData')) {
        errs.push(invalid(`${field}[${key}]`, key, `duplicate of key present in ${other}`));
      }
      seen.set(key, field);
      total += sizeOf(field, value);
    }
  }
  if (total > maxDataBytes) errs.push({ type: 'FieldValueTooLong', field: fields[0], detail: `Too long: must have at most ${maxDataBytes} bytes` });
  return errs;
}

/** With `immutable: true` stored, the data fields and the flag itself may not change. */
export function validateImmutableData(obj: APIObject, old: APIObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  for (const field of fields) {
    if (!equalJSON(obj[field] ?? {}, old[field] ?? {})) errs.push(forbidden(field, 'field is immutable when `immutable` is set'));
  }
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  return errs;
}

const dataFields = ['data', 'binaryData'];

function configMapSize(field: string, value: unknown): number {
  if (typeof value !== 'string') return 0;
  return field === 'binaryData' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
}

export const configMapStrategy: ResourceStrategy = {
  hasStatusSubresource: false,
  hasGeneration: false,
  validate(obj) {
    return validateDataKeys(obj, dataFields, configMapSize);
  },
  validateUpdate(obj, old) {
    return [...validateDataKeys(obj, dataFields, configMapSize), ...validateImmutableData(obj, old, dataFields)];
  },
};
