// The contract of admission control (upstream k8s.io/apiserver/pkg/admission): after authentication,
// authorization, decoding and defaulting, each write passes the mutating plugins, then the registry's own
// validation, then the validating plugins — in the order --enable-admission-plugins gives.

import type { UserInfo } from '../authentication/interface.js';
import type { APIObject } from '../registry/strategy.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** One write as admission sees it (upstream admission.Attributes). */
export interface AdmissionAttributes {
  operation: Operation;
  /** Kind of the object: `{group: 'apps', version: 'v1', kind: 'Deployment'}`. */
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subresource: string;
  namespace: string;
  /** The object's name; may be "" on create with generateName. */
  name: string;
  /** The new object (CREATE, UPDATE); mutating plugins change it in place. Absent for DELETE. */
  object?: APIObject;
  /** The stored object (UPDATE, DELETE). Read-only. */
  oldObject?: APIObject;
  user: UserInfo;
  dryRun: boolean;
  /** The operation's options object (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions). */
  options?: Record<string, unknown>;
  /** The mutating pass this is (absent: the first and only one). */
  reinvocation?: ReinvocationContext;
  /** Adds a warning for the client (a `Warning: 299 - "…"` header), as upstream's warning.AddWarning. */
  addWarning?(text: string): void;
  /** Where webhook call time is added, for the request's SLI latency (apiserver_request_sli_duration_seconds). */
  excludedLatency?: { seconds: number };
}

/**
 * Upstream admission.ReinvocationContext: when a mutating webhook changed the object, the mutating plugins run
 * once more (in-tree plugins all, webhooks only those with reinvocationPolicy IfNeeded).
 */
export interface ReinvocationContext {
  /** True during the second pass. */
  isReinvoke: boolean;
  /** Set by a plugin during the first pass to ask for the second one. */
  shouldReinvoke: boolean;
  /** Per-plugin state carried from the first pass to the second, keyed by plugin name. */
  values: Map<string, unknown>;
}

/**
 * A plugin rejects with a StatusError (usually 403 Forbidden, or 422 Invalid); anything else thrown is an
 * internal error. `handles` lets the chain skip plugins cheaply (upstream admission.Handler).
 */
export interface AdmissionPlugin {
  /** Upstream name, e.g. "NamespaceLifecycle", "ServiceAccount". */
  readonly name: string;
  handles(operation: Operation): boolean;
  /** Mutating step (MutationInterface). */
  admit?(attrs: AdmissionAttributes): Promise<void>;
  /** Validating step (ValidationInterface); must not change the object. */
  validate?(attrs: AdmissionAttributes): Promise<void>;
}

/**
 * What the REST layer calls for one write: `mutate` before the registry's strategy (on every update attempt,
 * with that attempt's stored object), `validate` after the strategy's validation.
 */
export interface AdmissionHooks {
  mutate(obj: APIObject | undefined, old: APIObject | undefined): Promise<void>;
  validate(obj: APIObject | undefined, old: APIObject | undefined): Promise<void>;
  /** Warnings the plugins added during this write, in order, without duplicates; the REST layer sends them. */
  readonly warnings?: readonly string[];
}
