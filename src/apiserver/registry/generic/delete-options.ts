// metav1.DeleteOptions from a DELETE's body or query, validated like upstream's ValidateDeleteOptions.

import { newBadRequest, newInvalid } from '../../../apimachinery/errors.js';
import { invalid, notSupported, type FieldError } from '../../../apimachinery/field-error.js';
import { checkDryRun } from './list-options.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: PropagationPolicy;
  /** ["All"] for a dry run. */
  dryRun?: string[];
}

const policies = ['Foreground', 'Background', 'Orphan'];

/**
 * Merges the body (a DeleteOptions object, possibly absent) with the query parameters (the query wins
 * where both are given, as upstream decodes the query over the body) and validates the result.
 */
export function parseDeleteOptions(body: Record<string, unknown> | undefined, query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  if (body) {
    if (body.kind !== undefined && body.kind !== 'DeleteOptions') {
      throw newBadRequest(`${String(body.kind)} in version "${String(body.apiVersion ?? 'v1')}" cannot be handled as a DeleteOptions`);
    }
    if (typeof body.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = body.gracePeriodSeconds;
    if (typeof body.orphanDependents === 'boolean') opts.orphanDependents = body.orphanDependents;
    if (typeof body.propagationPolicy === 'string') opts.propagationPolicy = body.propagationPolicy as PropagationPolicy;
    if (Array.isArray(body.dryRun)) opts.dryRun = body.dryRun.map(String);
    const pre = body.preconditions as { uid?: unknown; resourceVersion?: unknown } | undefined | null;
    if (pre && typeof pre === 'object') {
      opts.preconditions = {};
      if (typeof pre.uid === 'string' && pre.uid) opts.preconditions.uid = pre.uid;
      if (typeof pre.resourceVersion === 'string' && pre.resourceVersion) opts.preconditions.resourceVersion = pre.resourceVersion;
    }
  }
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    if (!/^-?[0-9]+$/.test(grace)) throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(grace)}: invalid syntax`);
    opts.gracePeriodSeconds = Number(grace);
  }
  const policy = query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as PropagationPolicy;
  const orphan = query.get('orphanDependents');
  if (orphan === 'true' || orphan === 'false') opts.orphanDependents = orphan === 'true';
  const dry = query.getAll('dryRun').flatMap((v) => v.split(',')).filter((v) => v);
  if (dry.length) opts.dryRun = dry;

  const errs: FieldError[] = [];
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push(invalid('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (opts.propagationPolicy !== undefined && !policies.includes(opts.propagationPolicy)) {
    errs.push(notSupported('propagationPolicy', opts.propagationPolicy, [...policies, 'nil']));
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  if (opts.dryRun) checkDryRun(opts.dryRun, 'DeleteOptions');
  return opts;
}
