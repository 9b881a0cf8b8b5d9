// The per-resource behaviour of the generic registry, in the shape of upstream's RESTCreateStrategy /
// RESTUpdateStrategy / RESTDeleteStrategy. Each resource's folder under registry/ exports one
// ResourceStrategy; registry/strategies.ts lists them all in one place. Every hook is optional: the
// generic registry already does what is common to all kinds (metadata, uid, timestamps, resourceVersion,
// generation for kinds with a spec, namespace checks, finalizers, preconditions).

import type { UserInfo } from '../authentication/interface.js';
import type { FieldError } from '../../apimachinery/field-error.js';

/** Any API object as plain JSON. */
export type APIObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
};

/** The subset of metav1.ObjectMeta the registry reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** Context a hook may need: who is asking and with which options. */
export interface StrategyContext {
  /** Namespace from the URL ('' for cluster-scoped resources). */
  namespace: string;
  dryRun: boolean;
  /** Who asks, on creates through the REST API (upstream's request context user); absent for in-process writes. */
  user?: UserInfo;
}

export interface ResourceStrategy {
  /**
   * Fields, beyond metadata.name and metadata.namespace (always supported), that field selectors may
   * use, and how to read them. An unknown field in a selector is a 400 BadRequest.
   */
  selectableFields?: Record<string, (obj: APIObject) => string | undefined>;
  /** Whether the kind has a spec whose changes bump metadata.generation (default: true when it has `spec`). */
  hasGeneration?: boolean;
  /** Whether the kind has a `status` the main resource may not change (a `status` subresource exists). */
  hasStatusSubresource?: boolean;

  /** Mutates a new object before validation: clear status, set defaults that depend on nothing else. */
  prepareForCreate?(obj: APIObject, ctx: StrategyContext): void;
  /** Mutates an updated object before validation; `old` is the stored object (read-only). */
  prepareForUpdate?(obj: APIObject, old: APIObject, ctx: StrategyContext): void;
  /** Kind-specific validation on create; metadata (name syntax, labels) is validated generically. */
  validate?(obj: APIObject, ctx: StrategyContext): FieldError[];
  /** Kind-specific validation on update, e.g. immutable fields. */
  validateUpdate?(obj: APIObject, old: APIObject, ctx: StrategyContext): FieldError[];
  /** For the `status` subresource: keep everything but status from `old`. Default: copy old, take new status. */
  prepareForStatusUpdate?(obj: APIObject, old: APIObject, ctx: StrategyContext): void;

  /**
   * Side effects that must hold before the object is written (e.g. allocate a Service's ClusterIP and
   * NodePorts). Called after validation, skipped on dry run unless noted. Throw a StatusError to refuse.
   * Returns an undo function called if the write then fails.
   */
  beforeCreate?(obj: APIObject, ctx: StrategyContext): Promise<(() => Promise<void>) | void>;
  /**
   * As beforeCreate. The returned undo function may carry a `commit` method, which the registry calls
   * after the write succeeded (e.g. to release the IPs and ports a Service gave up: releasing them before
   * the write could hand them out twice if the write then failed).
   */
  beforeUpdate?(obj: APIObject, old: APIObject, ctx: StrategyContext): Promise<UndoFunction | void>;
  /** Called after an object is finally removed from storage (e.g. release allocated IPs and ports). */
  afterDelete?(obj: APIObject): Promise<void>;

  /** For Namespaces etc.: delete is a two-phase operation the strategy may take over. */
  deleteBehaviour?: 'default' | 'namespace';

  // --- Compatible extensions (registry engineer). All optional; absent = generic behaviour. ---

  /**
   * Takes over the first step of DELETE (upstream: the namespace REST's Delete). Called with the stored
   * object before the generic graceful-deletion logic. Returns `{ action: 'update', obj }` to store `obj`
   * instead of deleting (e.g. a namespace turning Terminating; reply 200 with it), or `{ action: 'delete' }`
   * to continue with the generic delete. Throws a StatusError to refuse (e.g. 409 while finalizing).
   */
  beginDelete?(existing: APIObject, ctx: StrategyContext): DeleteDecision;
  /**
   * An extra condition, ANDed with the generic rule (deletionTimestamp set and no metadata.finalizers),
   * under which an update removes the object instead of storing it. Namespaces also need an empty
   * spec.finalizers.
   */
  shouldDeleteDuringUpdate?(obj: APIObject, existing: APIObject): boolean;
  /**
   * Subresources other than `status` that update part of the main object, e.g. `namespaces/finalize`:
   * each hook mutates `obj` so that only what the subresource may change differs from `old`.
   * After the hook, `validateUpdate` runs and `shouldDeleteDuringUpdate` applies as for the main resource.
   */
  subresourceUpdates?: Record<string, (obj: APIObject, old: APIObject, ctx: StrategyContext) => void>;
  /**
   * Graceful deletion (upstream RESTGracefulDeleteStrategy.CheckGracefulDelete): the grace period, in
   * seconds, DELETE should use given the request's `gracePeriodSeconds`. 0 deletes at once (unless
   * finalizers remain); N > 0 keeps the object with deletionTimestamp = now + N and
   * deletionGracePeriodSeconds = N until a later DELETE with gracePeriodSeconds=0 (the kubelet's).
   * Absent: kinds are not graceful.
   */
  checkGracefulDelete?(obj: APIObject, options: { gracePeriodSeconds?: number }): number;
  /**
   * Validation of an update through one of `subresourceUpdates`, instead of `validateUpdate` (e.g. CSR
   * /approval, which may change conditions the main resource may not).
   */
  validateSubresourceUpdates?: Record<string, (obj: APIObject, old: APIObject, ctx: StrategyContext) => FieldError[]>;
  /** Validation of a `status` subresource update (after prepareForStatusUpdate). */
  validateStatusUpdate?(obj: APIObject, old: APIObject, ctx: StrategyContext): FieldError[];
  /**
   * The `scale` subresource over other fields than spec.replicas (custom resources' specReplicasPath,
   * statusReplicasPath, labelSelectorPath). Absent: spec.replicas, status.replicas and spec.selector.
   */
  scale?: {
    /** The autoscaling/v1 Scale of `obj`. */
    toScale(obj: APIObject, namespaced: boolean): APIObject;
    /** Writes the new desired replicas into `obj`. */
    setReplicas(obj: APIObject, replicas: number): void;
  };
}

/** Undoes work done before a failed write; `commit`, when present, finishes it after a successful one. */
export type UndoFunction = (() => Promise<void>) & { commit?: () => Promise<void> };

/** What `beginDelete` decided; see ResourceStrategy.beginDelete. */
export type DeleteDecision = { action: 'delete' } | { action: 'update'; obj: APIObject };
