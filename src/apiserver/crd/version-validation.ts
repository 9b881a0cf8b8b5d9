// The per-version rules of CRD validation besides the schema (upstream validateCustomResourceDefinitionVersion):
// the scale subresource's JSON paths and the additionalPrinterColumns, with upstream's paths and messages
// (`JSONPath` is upstream's internal field name, which its messages show).

import { invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import type { CRDVersion } from './crd-types.js';

const printerColumnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const printerColumnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

/** upstream validateSimpleJSONPath. */
function simpleJSONPath(s: string, path: string): FieldError[] {
  if (s === '') return [invalid(path, s, 'must not be empty')];
  if (!s.startsWith('.')) return [invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

/** A scale path: a simple JSON path under one of `under` (".spec", ".status"). */
function scalePath(value: string | undefined, path: string, under: string[], what: string, requiredField: boolean): FieldError[] {
  if (!value) return requiredField ? [required(path)] : [];
  const errs = simpleJSONPath(value, path);
  if (errs.length > 0) return errs;
  return under.some((u) => value.startsWith(`${u}.`)) ? [] : [invalid(path, value, `should be a json path under ${what}`)];
}

/**
 * Problems with subresources and printer columns; `path` is spec.versions[i], or `spec` for those identical in
 * every version (validated once there, as upstream).
 */
export function validateVersionExtras(v: Pick<CRDVersion, 'subresources' | 'additionalPrinterColumns'>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const scale = v.subresources?.scale;
  if (scale) {
    const at = `${path}.subresources.scale`;
    errs.push(...scalePath(scale.specReplicasPath, `${at}.specReplicasPath`, ['.spec'], '.spec', true));
    errs.push(...scalePath(scale.statusReplicasPath, `${at}.statusReplicasPath`, ['.status'], '.status', true));
    errs.push(...scalePath(scale.labelSelectorPath, `${at}.labelSelectorPath`, ['.spec', '.status'], 'either .spec or .status', false));
  }
  (v.additionalPrinterColumns ?? []).forEach((col, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!col.name) errs.push(required(`${at}.name`));
    const types = `must be one of ${printerColumnTypes.join(',')}`;
    if (!col.type) errs.push(required(`${at}.type`, types));
    else if (!printerColumnTypes.includes(col.type)) errs.push(invalid(`${at}.type`, col.type, types));
    if (col.format && !printerColumnFormats.includes(col.format)) errs.push(invalid(`${at}.format`, col.format, `must be one of ${printerColumnFormats.join(',')}`));
    if (!col.jsonPath) errs.push(required(`${at}.JSONPath`));
    else errs.push(...simpleJSONPath(col.jsonPath, `${at}.JSONPath`));
  });
  return errs;
}
