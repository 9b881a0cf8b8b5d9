// Defaults applied to custom resources as they are read from storage (upstream: the storage decoder defaults
// with the storage version's schema), so a default added to a CRD shows on objects written before it, in
// GETs, lists and watch events alike, and is persisted by their next write.

import type { APIObject } from '../registry/strategy.js';
import type { JSONSchemaProps } from './crd-types.js';
import { newSchemaValidator } from './schema-validation.js';

/** Whether any node of `schema` declares a default. */
function hasDefaults(schema: JSONSchemaProps | undefined): boolean {
  if (!schema || typeof schema !== 'object') return false;
  if (schema.default !== undefined) return true;
  if (Object.values(schema.properties ?? {}).some(hasDefaults)) return true;
  if (typeof schema.additionalProperties === 'object' && hasDefaults(schema.additionalProperties)) return true;
  return !Array.isArray(schema.items) && hasDefaults(schema.items);
}

/** The read-time defaulting of a storage version's schema; undefined when the schema has no defaults (nothing to do). */
export function readDefaulter(schema: JSONSchemaProps | undefined, storage: { kind: string; apiVersion: string }): ((obj: APIObject) => void) | undefined {
  if (!hasDefaults(schema)) return undefined;
  const validator = newSchemaValidator({ schema, kind: storage.kind, apiVersion: storage.apiVersion });
  return (obj) => validator.applyDefaults(obj);
}
