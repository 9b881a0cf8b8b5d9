// Validation results as values: upstream's field.Error, reported to clients as 422 Invalid causes.

/** upstream field.ErrorType values as they appear in Status causes (`reason`). */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Path in upstream's notation: `spec.template.spec.containers[0].image`, `metadata.labels[app]`. */
  field: string;
  /** The sentence after the path, in upstream's wording, e.g. `Required value`, `Invalid value: "x": must be ...`. */
  detail: string;
}

/** Renders a bad value as upstream (1.34+) does: strings quoted, numbers and booleans bare, the rest as JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail: detail ? `Required value: ${detail}` : 'Required value',
});

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  detail: `Invalid value: ${show(value)}${detail ? `: ${detail}` : ''}`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail: `Forbidden: ${detail}`,
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  detail: `Duplicate value: ${show(value)}`,
});

export const notSupported = (field: string, value: unknown, valid: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  detail: `Unsupported value: ${show(value)}: supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
});

export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `Too long: may not be more than ${max} bytes`,
});

/** upstream field.TooMany: a list or map with more than `max` entries. */
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  detail: `Too many: ${actual}: must have at most ${max} items`,
});

/** upstream field.NotFound: a reference to something that does not exist (a volumeMount naming no volume). */
export const notFound = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  detail: `Not found: ${show(value)}`,
});
