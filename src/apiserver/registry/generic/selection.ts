// Which objects a list or watch selects: a label selector and a field selector, matched against the
// labels and the selectable fields of an object (metadata.name, metadata.namespace, plus the strategy's).

import { checkSupportedFields, parseFieldSelector } from '../../../apimachinery/fields/selector.js';
import { parse as parseLabelSelector } from '../../../apimachinery/labels/selector.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

/** A compiled pair of selectors. `empty` predicates match everything and cost nothing to check. */
export interface SelectionPredicate {
  empty: boolean;
  matches(labels: Readonly<Record<string, string>>, fields: Readonly<Record<string, string>>): boolean;
  /**
   * When set, the watch cache computes the fields to match from the object's JSON instead of using the ones it
   * cached (custom resources: one cache serves every version, and their selectable fields differ per version).
   */
  fieldsOf?: (json: string) => Readonly<Record<string, string>>;
}

/** Matches everything. */
export const everything: SelectionPredicate = { empty: true, matches: () => true };

/**
 * Compiles selector strings into a predicate. `fieldNames` are the fields this resource supports; any
 * other field in the selector is a 400 BadRequest (`field label not supported: x`). Invalid selectors are
 * 400 BadRequest with upstream's parse error text.
 */
export type SelectorCompiler = (opts: { labelSelector?: string; fieldSelector?: string; fieldNames: ReadonlySet<string> }) => SelectionPredicate;

/** The selectable fields of an object: always metadata.name and metadata.namespace, plus the strategy's. */
export function objectFields(obj: APIObject, strategy: ResourceStrategy | undefined): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': obj.metadata?.namespace ?? '',
  };
  const extra = strategy?.selectableFields;
  if (extra) {
    for (const [name, get] of Object.entries(extra)) fields[name] = get(obj) ?? '';
  }
  return fields;
}

/** The names of the selectable fields of a resource. */
export function selectableFieldNames(strategy: ResourceStrategy | undefined): Set<string> {
  return new Set(['metadata.name', 'metadata.namespace', ...Object.keys(strategy?.selectableFields ?? {})]);
}

/** The SelectorCompiler over src/apimachinery's label and field selectors. */
export const compileSelectors: SelectorCompiler = (opts) => {
  const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
  if (fields) checkSupportedFields(fields, opts.fieldNames);
  const l = labels && !labels.empty() ? labels : undefined;
  const f = fields && !fields.empty() ? fields : undefined;
  if (!l && !f) return everything;
  return {
    empty: false,
    matches: (objLabels, objFields) => (!l || l.matches(objLabels)) && (!f || f.matches(objFields)),
  };
};
