// The ResourceStrategy of a custom resource (upstream apiextensions-apiserver customresource strategy):
// generation tracking, the status subresource's spec/status split, and schema validation.

import { StatusError } from '../../apimachinery/errors.js';
import type { FieldError } from '../../apimachinery/field-error.js';
import type { APIObject, ResourceStrategy } from '../registry/strategy.js';
import { customResourceScale, type ScalePaths } from './custom-resource-scale.js';

export interface CustomResourceStrategyOptions {
  /** The CRD version declares `subresources.status`. */
  hasStatusSubresource: boolean;
  /** Schema validation of a whole object (create, update and status update; `old` on updates). */
  validate?: (obj: APIObject, old?: APIObject) => FieldError[];
  /** The CRD version's scale subresource paths, when it has one. */
  scale?: ScalePaths;
  /** The resource (for errors) and whether its CRD is being deleted: then creates are refused. */
  groupResource?: { group: string; resource: string };
  terminating?: () => boolean;
  /** Field selector names and value getters beyond metadata.name/namespace (the version's selectableFields). */
  selectableFields?: Record<string, (obj: APIObject) => string>;
}

/**
 * Custom resources always track metadata.generation. With a status subresource the main resource keeps
 * the stored status, /status keeps everything else, and only changes outside metadata and status bump the
 * generation; without one, every change outside metadata does (status is just another field).
 */
export function customResourceStrategy(opts: CustomResourceStrategyOptions): ResourceStrategy {
  const validate = (obj: APIObject, old?: APIObject) => opts.validate?.(obj, old) ?? [];
  return {
    hasGeneration: true,
    hasStatusSubresource: opts.hasStatusSubresource,
    prepareForCreate(obj) {
      if (opts.terminating?.()) {
        const gr = opts.groupResource ?? { group: '', resource: '' };
        throw new StatusError({
          code: 405,
          reason: 'MethodNotAllowed',
          message: 'create not allowed while custom resource definition is terminating',
          details: { group: gr.group, kind: gr.resource },
        });
      }
      if (opts.hasStatusSubresource) delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (opts.hasStatusSubresource) return;
      // The generic registry bumps on spec changes (everything but metadata and status); here status counts too.
      const meta = obj.metadata ?? {};
      if (JSON.stringify(obj.status) !== JSON.stringify(old.status)) {
        const { metadata: _a, status: _b, ...rest } = obj;
        const { metadata: _c, status: _d, ...oldRest } = old;
        if (JSON.stringify(rest) === JSON.stringify(oldRest)) meta.generation = (old.metadata?.generation ?? 0) + 1;
      }
    },
    validate: (obj) => validate(obj),
    validateUpdate: (obj, old) => validate(obj, old),
    validateStatusUpdate: (obj, old) => validate(obj, old),
    scale: opts.scale ? customResourceScale(opts.scale) : undefined,
    selectableFields: opts.selectableFields,
  };
}
