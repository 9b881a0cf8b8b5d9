// JSON Patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy, test, as the
// apiserver applies it: a malformed patch is a 400, one that does not apply to the object is a 422.

import { newBadRequest, newTooLarge, StatusError } from '../errors.js';
import { parseArrayIndex, parsePointer } from './json-pointer.js';
import { deepCopy, deepEqual, isJSONObject, setMember, type JSONObject, type JSONValue } from './json-value.js';

/** One operation as sent; fields are checked when it is applied (as upstream does). */
export interface Operation {
  op: string;
  path?: string;
  from?: string;
  value?: JSONValue;
}

/** upstream's cap on operations in one patch. */
export const maxJSONPatchOperations = 10000;

/**
 * Checks the shape of a decoded `application/json-patch+json` body: an array of objects, at most 10000.
 * Throws 400 BadRequest (or 413 for too many operations) with upstream's messages.
 */
export function decodeJSONPatch(body: unknown): Operation[] {
  if (!Array.isArray(body)) {
    throw newBadRequest(`json: cannot unmarshal ${goJSONType(body)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of body) {
    if (!isJSONObject(op)) {
      throw newBadRequest(`json: cannot unmarshal ${goJSONType(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (body.length > maxJSONPatchOperations) {
    throw newTooLarge(`The allowed maximum operations in a JSON patch is ${maxJSONPatchOperations}, got ${body.length}`);
  }
  return body as Operation[];
}

function goJSONType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** The failure of one operation; becomes upstream's 422 (its text is kept as the StatusError's cause). */
class PatchApplyError extends Error {}

/** upstream answers every apply failure with this generic 422; the specific reason is the error's `cause`. */
function invalidPatch(detail: string): StatusError {
  const err = new StatusError({
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
  });
  (err as Error).cause = new Error(detail);
  return err;
}

interface Parent {
  container: JSONObject | JSONValue[];
  key: string;
}

/** Finds the container of the pointer's last token; undefined when an intermediate value is missing. */
function findParent(doc: JSONValue, tokens: string[]): Parent | undefined {
  let cur: JSONValue = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) {
      const idx = parseArrayIndex(t);
      if (idx === undefined || idx >= cur.length) return undefined;
      cur = cur[idx];
    } else if (isJSONObject(cur)) {
      if (!Object.hasOwn(cur, t)) return undefined;
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  if (!Array.isArray(cur) && !isJSONObject(cur)) return undefined;
  return { container: cur, key: tokens[tokens.length - 1] };
}

function getChild(p: Parent): JSONValue | undefined {
  if (Array.isArray(p.container)) {
    const idx = parseArrayIndex(p.key);
    return idx === undefined || idx >= p.container.length ? undefined : p.container[idx];
  }
  return Object.hasOwn(p.container, p.key) ? p.container[p.key] : undefined;
}

function addChild(p: Parent, value: JSONValue): void {
  if (Array.isArray(p.container)) {
    if (p.key === '-') {
      p.container.push(value);
      return;
    }
    const idx = parseArrayIndex(p.key);
    if (idx === undefined || idx > p.container.length) {
      throw new PatchApplyError(`Unable to access invalid index: ${p.key}: invalid index referenced`);
    }
    p.container.splice(idx, 0, value);
    return;
  }
  setMember(p.container, p.key, value);
}

function removeChild(p: Parent): void {
  if (Array.isArray(p.container)) {
    const idx = parseArrayIndex(p.key);
    if (idx === undefined || idx >= p.container.length) {
      throw new PatchApplyError(`Unable to access invalid index: ${p.key}: invalid index referenced`);
    }
    p.container.splice(idx, 1);
    return;
  }
  if (!Object.hasOwn(p.container, p.key)) throw new PatchApplyError(`Unable to remove nonexistent key: ${p.key}: missing value`);
  delete p.container[p.key];
}

function pointerOf(op: Operation, field: 'path' | 'from'): { text: string; tokens: string[] } {
  const text = op[field];
  if (typeof text !== 'string') throw new PatchApplyError(`${op.op} operation failed to decode ${field}: missing value`);
  const tokens = parsePointer(text);
  if (!tokens) throw new PatchApplyError(`${op.op} operation does not apply: invalid JSON pointer ${JSON.stringify(text)}`);
  return { text, tokens };
}

/** Applies one operation to `doc` in place where possible; returns the (possibly replaced) document. */
function applyOne(doc: JSONValue, op: Operation): JSONValue {
  switch (op.op) {
    case 'add': {
      const { text, tokens } = pointerOf(op, 'path');
      const value = deepCopy(op.value ?? null);
      if (tokens.length === 0) return value;
      const parent = findParent(doc, tokens);
      if (!parent) throw new PatchApplyError(`add operation does not apply: doc is missing path: "${text}": missing value`);
      try {
        addChild(parent, value);
      } catch (err) {
        throw new PatchApplyError(`error in add for path: '${text}': ${(err as Error).message}`);
      }
      return doc;
    }
    case 'remove': {
      const { text, tokens } = pointerOf(op, 'path');
      if (tokens.length === 0) throw new PatchApplyError(`remove operation does not apply: cannot remove the whole document`);
      const parent = findParent(doc, tokens);
      if (!parent) throw new PatchApplyError(`remove operation does not apply: doc is missing path: "${text}": missing value`);
      try {
        removeChild(parent);
      } catch (err) {
        throw new PatchApplyError(`error in remove for path: '${text}': ${(err as Error).message}`);
      }
      return doc;
    }
    case 'replace': {
      const { text, tokens } = pointerOf(op, 'path');
      const value = deepCopy(op.value ?? null);
      if (tokens.length === 0) return value;
      const parent = findParent(doc, tokens);
      if (!parent) throw new PatchApplyError(`replace operation does not apply: doc is missing path: ${text}: missing value`);
      if (getChild(parent) === undefined) {
        throw new PatchApplyError(`replace operation does not apply: doc is missing key: ${text}: missing value`);
      }
      if (Array.isArray(parent.container)) parent.container[parseArrayIndex(parent.key) as number] = value;
      else setMember(parent.container, parent.key, value);
      return doc;
    }
    case 'move': {
      const from = pointerOf(op, 'from');
      const to = pointerOf(op, 'path');
      if (from.text === to.text) {
        if (resolve(doc, from.tokens) === undefined) {
          throw new PatchApplyError(`move operation does not apply: doc is missing from path: ${from.text}: missing value`);
        }
        return doc;
      }
      if (to.text.startsWith(`${from.text}/`)) {
        throw new PatchApplyError(`move operation does not apply: cannot move ${from.text} into its own child ${to.text}`);
      }
      const src = from.tokens.length ? findParent(doc, from.tokens) : undefined;
      const value = src ? getChild(src) : undefined;
      if (!src || value === undefined) {
        throw new PatchApplyError(`move operation does not apply: doc is missing from path: ${from.text}: missing value`);
      }
      removeChild(src);
      return applyOne(doc, { op: 'add', path: to.text, value });
    }
    case 'copy': {
      const from = pointerOf(op, 'from');
      const to = pointerOf(op, 'path');
      const value = resolve(doc, from.tokens);
      if (value === undefined) {
        throw new PatchApplyError(`copy operation does not apply: doc is missing from path: ${from.text}: missing value`);
      }
      return applyOne(doc, { op: 'add', path: to.text, value: deepCopy(value) });
    }
    case 'test': {
      const { text, tokens } = pointerOf(op, 'path');
      const actual = resolve(doc, tokens);
      if (tokens.length > 0 && !findParent(doc, tokens)) {
        throw new PatchApplyError(`test operation does not apply: is missing path: ${text}: missing value`);
      }
      // A missing member tests equal to null, as upstream's implementation has it.
      if (!deepEqual(actual ?? null, op.value ?? null)) throw new PatchApplyError(`testing value ${text} failed: test failed`);
      return doc;
    }
    default:
      throw new PatchApplyError(`Unexpected kind: ${typeof op.op === 'string' ? op.op : 'unknown'}`);
  }
}

/** The value at a pointer, or undefined if absent. */
export function resolve(doc: JSONValue, tokens: string[]): JSONValue | undefined {
  if (tokens.length === 0) return doc;
  const parent = findParent(doc, tokens);
  return parent ? getChild(parent) : undefined;
}

/**
 * Applies the operations in order to a copy of `doc` and returns the result; `doc` is never modified.
 * All or nothing: the first failing operation throws a 422 Invalid StatusError (upstream's generic message,
 * with the specific reason as its `cause`).
 */
export function applyJSONPatch(doc: JSONValue, ops: readonly Operation[]): JSONValue {
  let out = deepCopy(doc);
  for (const op of ops) {
    try {
      out = applyOne(out, op);
    } catch (err) {
      if (err instanceof PatchApplyError) throw invalidPatch(err.message);
      throw err;
    }
  }
  return out;
}
