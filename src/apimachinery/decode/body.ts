// Decoding an object request body (POST/PUT, JSON or YAML) into a plain object, with upstream's 400
// messages and the strict-decoding errors (duplicate fields) that `fieldValidation` acts on.

import { newBadRequest, StatusError } from '../errors.js';
import { decodeJSON, JSONSyntaxError } from './json.js';
import { decodeYAML, yamlDuplicateMessage, YAMLSyntaxError } from './yaml.js';

export type BodyFormat = 'json' | 'yaml';

export interface DecodedObject {
  object: Record<string, unknown>;
  /**
   * Strict-decoding problems in upstream's words (`duplicate field "metadata.name"`). With
   * fieldValidation=Strict they fail the request (strictDecodingError); with Warn they become warnings.
   */
  strictErrors: string[];
}

const typeMetaStruct = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * Decodes a JSON or YAML body that must hold one object. Throws 400 BadRequest StatusErrors worded like
 * upstream's (`couldn't get version/kind; json parse error: …`).
 */
export function decodeObjectBody(body: string | Uint8Array, format: BodyFormat): DecodedObject {
  let value: unknown;
  let strictErrors: string[];
  try {
    if (format === 'json') {
      const d = decodeJSON(body);
      value = d.value;
      strictErrors = d.duplicateFields.map((p) => `duplicate field ${JSON.stringify(p)}`);
    } else {
      const d = decodeYAML(body);
      value = d.value;
      strictErrors = d.duplicates.length ? [yamlDuplicateMessage(d.duplicates)] : [];
    }
  } catch (err) {
    if (err instanceof JSONSyntaxError) throw newBadRequest(`couldn't get version/kind; json parse error: ${err.message}`);
    if (err instanceof YAMLSyntaxError) throw newBadRequest(`error converting YAML to JSON: ${err.message}`);
    throw err;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const goType = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (value === null) throw newBadRequest("Object 'Kind' is missing in 'null'");
    throw newBadRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goType} into Go value of type ${typeMetaStruct}`);
  }
  return { object: value as Record<string, unknown>, strictErrors };
}

/** The 400 fieldValidation=Strict answers with: `strict decoding error: duplicate field "x", unknown field "y"`. */
export function strictDecodingError(errors: readonly string[]): StatusError {
  return newBadRequest(`strict decoding error: ${errors.join(', ')}`);
}
