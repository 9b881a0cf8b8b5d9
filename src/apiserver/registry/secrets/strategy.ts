// Secrets (upstream pkg/registry/core/secret): stringData folded into data, type Opaque by default, the
// keys each built-in type requires, an immutable `type`, and `immutable: true` freezing the data.

import { invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateDataKeys, validateImmutableData } from '../configmaps/strategy.js';
import { asObject, stringField } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

/** Keys each built-in Secret type must carry (upstream ValidateSecret). */
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** stringData is write-only: its entries replace data entries (base64-encoded) and it is never stored. */
function foldStringData(obj: APIObject): void {
  const stringData = asObject(obj.stringData);
  if (stringData) {
    const data = { ...(asObject(obj.data) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

function secretSize(_field: string, value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

function validateSecret(obj: APIObject): FieldError[] {
  const errs = validateDataKeys(obj, ['data'], secretSize);
  const type = typeof obj.type === 'string' ? obj.type : 'Opaque';
  const data = asObject(obj.data) ?? {};
  for (const key of requiredKeys[type] ?? []) {
    if (data[key] === undefined) errs.push(required(`data[${key}]`));
  }
  if (type === 'kubernetes.io/service-account-token' && !obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && data.username === undefined && data.password === undefined) {
    errs.push(required('data[username]'));
  }
  return errs;
}

export const secretStrategy: ResourceStrategy = {
  hasStatusSubresource: false,
  hasGeneration: false,
  selectableFields: { type: stringField('type') },
  prepareForCreate(obj) {
    foldStringData(obj);
    if (!obj.type) obj.type = 'Opaque';
  },
  prepareForUpdate(obj, old) {
    foldStringData(obj);
    if (!obj.type) obj.type = old.type ?? 'Opaque';
  },
  validate: validateSecret,
  validateUpdate(obj, old) {
    const errs = [...validateSecret(obj), ...validateImmutableData(obj, old, ['data'])];
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(invalid('type', obj.type, 'field is immutable'));
    return errs;
  },
};
