// MutatingAdmissionWebhook: the matching webhooks of the MutatingWebhookConfigurations, one after another;
// each may answer with a JSON Patch applied to the object before the next sees it. A change asks the chain
// for a second pass, in which only webhooks with reinvocationPolicy IfNeeded are called again.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { newInternalError } from '../../../apimachinery/errors.js';
import { applyJSONPatch, decodeJSONPatch } from '../../../apimachinery/patch/json-patch.js';
import type { JSONValue } from '../../../apimachinery/patch/json-value.js';
import type { APIObject } from '../../registry/strategy.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { CallingWebhookError } from './client.js';
import { failurePolicyError, type WebhookDispatcher } from './dispatch.js';
import { isExemptAdmissionConfigurationResource } from './matching.js';
import type { WebhookSource } from './source.js';

export const mutatingAdmissionWebhookPluginName = 'MutatingAdmissionWebhook';

/** What this plugin remembers between the two passes of one write (upstream webhookReinvokeContext). */
interface ReinvokeState {
  /** Webhooks (IfNeeded) called since the object last changed. */
  previouslyInvoked: Set<string>;
  /** Webhooks to call again in the second pass. */
  toReinvoke: Set<string>;
  /** The object as the last webhook left it: a change by another plugin since then also calls for reinvocation. */
  lastOutput?: string;
}

/** Replaces the contents of `obj` with `next` (plugins change the write's object in place). */
function replaceContents(obj: APIObject, next: APIObject): void {
  for (const k of Object.keys(obj)) delete (obj as Record<string, unknown>)[k];
  Object.assign(obj, next);
}

export function newMutatingAdmissionWebhook(opts: { source: WebhookSource; dispatcher: WebhookDispatcher }): AdmissionPlugin {
  function stateOf(attrs: AdmissionAttributes): ReinvokeState {
    const values = attrs.reinvocation?.values;
    let s = values?.get(mutatingAdmissionWebhookPluginName) as ReinvokeState | undefined;
    if (!s) {
      s = { previouslyInvoked: new Set(), toReinvoke: new Set() };
      values?.set(mutatingAdmissionWebhookPluginName, s);
    }
    return s;
  }

  /** Applies a webhook's patch; returns whether the object changed. */
  function applyPatch(hook: admissionregistrationv1.MutatingWebhook, attrs: AdmissionAttributes, patch: string): boolean {
    if (!attrs.object) {
      throw newInternalError(new Error(`admission webhook "${hook.name}" attempted to modify the object, which is not supported for this operation`));
    }
    let ops;
    try {
      ops = decodeJSONPatch(JSON.parse(Buffer.from(patch, 'base64').toString('utf8')));
    } catch (err) {
      throw newInternalError(new CallingWebhookError(hook.name, `received undecodable patch in webhook response: ${(err as Error).message}`));
    }
    const before = JSON.stringify(attrs.object);
    let patched: JSONValue;
    try {
      patched = applyJSONPatch(JSON.parse(before) as JSONValue, ops);
    } catch (err) {
      throw newInternalError(err);
    }
    const after = JSON.stringify(patched);
    if (after === before) return false;
    replaceContents(attrs.object, patched as APIObject);
    return true;
  }

  return {
    name: mutatingAdmissionWebhookPluginName,
    handles: (op) => op !== 'CONNECT',
    async admit(attrs) {
      if (isExemptAdmissionConfigurationResource(attrs)) return;
      const hooks = await opts.source.webhooks();
      if (hooks.length === 0) return;
      const state = stateOf(attrs);
      const reinvoke = attrs.reinvocation?.isReinvoke ?? false;
      if (reinvoke && state.lastOutput !== undefined && JSON.stringify(attrs.object) !== state.lastOutput) {
        // An in-tree plugin changed the object after the webhooks ran: they may want to see it.
        for (const uid of state.previouslyInvoked) state.toReinvoke.add(uid);
        state.previouslyInvoked.clear();
      }
      for (const { hook, uid } of hooks as ReadonlyArray<{ hook: admissionregistrationv1.MutatingWebhook; uid: string }>) {
        if (reinvoke && !state.toReinvoke.has(uid)) continue;
        const outcome = await opts.dispatcher.call(hook, attrs, true);
        if (outcome.kind === 'skipped') continue;
        if (outcome.kind === 'rejected') throw outcome.error;
        let changed = false;
        if (outcome.kind === 'allowed' && outcome.response.patch) changed = applyPatch(hook, attrs, outcome.response.patch);
        if (changed) {
          for (const id of state.previouslyInvoked) state.toReinvoke.add(id);
          state.previouslyInvoked.clear();
          if (attrs.reinvocation) attrs.reinvocation.shouldReinvoke = true;
        }
        if (hook.reinvocationPolicy === 'IfNeeded') state.previouslyInvoked.add(uid);
        if (outcome.kind === 'failed') {
          const err = failurePolicyError(hook, outcome.error);
          if (err) throw err;
        }
      }
      state.lastOutput = JSON.stringify(attrs.object);
    },
  };
}
