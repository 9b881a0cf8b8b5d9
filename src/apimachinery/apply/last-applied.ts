// kubectl's last-applied-configuration annotation and server-side apply: which conflicts the "kubectl" manager
// may take over from client-side apply, and keeping the annotation in step with what it applies.
import { deepEqual, isJSONObject, type JSONObject, type JSONValue } from '../patch/json-value.js';
import type { FieldSet } from './field-set.js';
import { canonicalJSON } from './path-element.js';
import type { ApplyType } from './schema.js';
import { compare, fieldSetOf } from './typed-value.js';

/** kubectl's client-side apply annotation, kept in step with server-side applies by the "kubectl" manager. */
export const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Fields kubectl's last-applied annotation set that still hold those values: the "kubectl" manager may
 * take them from a client-side-apply owner without conflict (upstream's lastAppliedManager).
 */
export function allowedFromLastApplied(live: JSONObject, type: ApplyType): FieldSet | undefined {
  const annotations = metadataOf(live)?.annotations;
  const text = isJSONObject(annotations) ? annotations[lastAppliedConfigAnnotation] : undefined;
  if (typeof text !== 'string' || text === '') return undefined;
  let lastApplied: JSONValue;
  try {
    lastApplied = JSON.parse(text) as JSONValue;
  } catch {
    return undefined;
  }
  if (!isJSONObject(lastApplied)) return undefined;
  const c = compare(lastApplied, live, type);
  return fieldSetOf(lastApplied, type).difference(c.modified).difference(c.added).difference(c.removed);
}

/** Go's encoding/json escapes these in strings; the annotation is written as Go writes it. */
function escapeLikeGo(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The configuration as kubectl's last-applied annotation holds it: JSON with sorted keys (Go marshals
 * maps sorted), without that annotation itself (an annotations map left empty stays, as `{}`).
 */
function buildLastApplied(applied: JSONObject): string {
  const meta = metadataOf(applied);
  let obj = applied;
  if (meta && isJSONObject(meta.annotations)) {
    const annotations = { ...meta.annotations };
    delete annotations[lastAppliedConfigAnnotation];
    obj = { ...applied, metadata: { ...meta, annotations } };
  }
  return escapeLikeGo(canonicalJSON(obj));
}

/** Upstream's limit on the total size of an object's annotations (keys and values), in bytes. */
const totalAnnotationSizeLimit = 256 * 1024;

function annotationsSize(annotations: JSONObject): number {
  let n = 0;
  for (const [k, v] of Object.entries(annotations)) n += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  return n;
}

/**
 * kubectl's server-side applies keep an existing last-applied annotation equal to what they applied, so
 * that a later client-side apply computes the right diff (upstream's lastAppliedUpdater). Returns `obj`
 * itself when nothing changes.
 */
export function syncLastApplied(obj: JSONObject, applied: JSONObject): JSONObject {
  const annotations = metadataOf(obj)?.annotations;
  if (!isJSONObject(annotations) || !Object.hasOwn(annotations, lastAppliedConfigAnnotation)) return obj;
  const next: JSONObject = { ...annotations, [lastAppliedConfigAnnotation]: buildLastApplied(applied) };
  // Too big to keep: upstream drops the annotation rather than fail the apply.
  if (annotationsSize(next) > totalAnnotationSizeLimit) delete next[lastAppliedConfigAnnotation];
  if (deepEqual(next, annotations)) return obj;
  return { ...obj, metadata: { ...metadataOf(obj), annotations: next } };
}

function metadataOf(obj: JSONObject): JSONObject | undefined {
  return isJSONObject(obj.metadata) ? obj.metadata : undefined;
}
