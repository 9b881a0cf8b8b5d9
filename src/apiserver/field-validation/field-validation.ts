// The fieldValidation policy of create, update and patch requests (Strict, Warn, Ignore), as upstream applies
// it: Strict rejects unknown fields with 400, Warn (the server default) reports them as Warning headers.
import type { GroupVersionKind } from '../../api/definition.js';
import { StatusError, newBadRequest } from '../../apimachinery/errors.js';
import { checkUnknownFields, type SchemaSource } from './unknown-fields.js';

export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

/** The options kind whose `fieldValidation` field the query parameter fills (named in 422 errors). */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * The directive of a request from its `fieldValidation` query value. Absent or empty → "Warn", the server
 * default since 1.25 (kubectl sends "Strict" itself unless run with --validate=false, which sends "Ignore").
 * Any other value → 422 Invalid on the options kind, as upstream's options validation answers.
 */
export function parseFieldValidation(value: string | null | undefined, optionsKind: WriteOptionsKind): FieldValidationDirective {
  if (value === null || value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  const detail = `Unsupported value: "${value}": supported values: "", "Ignore", "Strict", "Warn"`;
  throw new StatusError({
    code: 422,
    reason: 'Invalid',
    message: `${optionsKind}.meta.k8s.io "" is invalid: fieldValidation: ${detail}`,
    details: {
      group: 'meta.k8s.io',
      kind: optionsKind,
      causes: [{ reason: 'FieldValueNotSupported', message: detail, field: 'fieldValidation' }],
    },
  });
}

export interface FieldValidationRequest {
  /** The decoded request body (for PATCH: the patched object). */
  object: unknown;
  /** The kind the body decodes to. */
  gvk: GroupVersionKind;
  /** The raw `fieldValidation` query value (null when absent). */
  fieldValidation: string | null | undefined;
  optionsKind: WriteOptionsKind;
  /** Schema lookup; the built-in tables by default (CRDs pass theirs). */
  schemas?: SchemaSource;
  /**
   * Strict-decoding problems the body decoder found, in upstream's words (`duplicate field "metadata.name"`:
   * DecodedObject.strictErrors from src/apimachinery/decode). They are reported before the unknown fields.
   */
  decoderErrors?: readonly string[];
}

export interface FieldValidationResult {
  /** Texts for `Warning: 299 - "<text>"` response headers (see warningHeaderValue), one per unknown field. */
  warnings: string[];
}

/**
 * Applies the request's field-validation policy to its decoded body. Pure apart from throwing:
 * - an invalid directive → 422 Invalid (see parseFieldValidation);
 * - Strict with unknown fields → 400 BadRequest `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`
 *   (decoder errors such as duplicate fields first), on create and update prefixed as upstream's decoder does:
 *   `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: …`;
 * - Warn → one warning per problem (`unknown field "spec.foo"`, `duplicate field "spec.replicas"`);
 * - Ignore → nothing (the body is not even walked).
 * The REST core calls it after decoding and before defaulting, on POST, PUT and PATCH, and drops the unknown
 * fields itself when it stores the object (pruning is not done here).
 */
export function applyFieldValidation(req: FieldValidationRequest): FieldValidationResult {
  const directive = parseFieldValidation(req.fieldValidation, req.optionsKind);
  if (directive === 'Ignore') return { warnings: [] };
  const unknown = checkUnknownFields(req.object, req.gvk, req.schemas);
  const messages = [...(req.decoderErrors ?? []), ...unknown.map((u) => `unknown field "${u.path}"`)];
  if (directive === 'Strict' && messages.length > 0) {
    const strict = `strict decoding error: ${messages.join(', ')}`;
    // On create and update upstream reports a failed decode of the body, naming the kind (transformDecodeError);
    // on patch the strict error stands alone.
    const { kind, version } = req.gvk;
    throw newBadRequest(req.optionsKind === 'PatchOptions' ? strict : `${kind} in version "${version}" cannot be handled as a ${kind}: ${strict}`);
  }
  return { warnings: messages };
}

/** The value of a `Warning` response header carrying `text`: `299 - "<text with \ and " escaped>"`. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
